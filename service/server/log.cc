// Leveled server logging: one timestamped line per event on stderr, filtered by
// a process-wide level.
#include "service/server/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace qantara::server {
namespace {
std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
ABSL_CONST_INIT absl::Mutex g_mu(absl::kConstInit);

const char* LevelName(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug: return "DEBUG";
    case LogLevel::kInfo: return "INFO";
    case LogLevel::kWarn: return "WARN";
    case LogLevel::kError: return "ERROR";
  }
  return "?";
}
}  // namespace

absl::StatusOr<LogLevel> ParseLogLevel(std::string_view name) {
  std::string n = absl::AsciiStrToLower(std::string(name));
  if (n == "debug") return LogLevel::kDebug;
  if (n == "info") return LogLevel::kInfo;
  if (n == "warn" || n == "warning") return LogLevel::kWarn;
  if (n == "error") return LogLevel::kError;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown log level '", std::string(name), "' (debug, info, warn, error)"));
}

void SetLogLevel(LogLevel level) { g_level.store(static_cast<int>(level)); }
LogLevel GetLogLevel() { return static_cast<LogLevel>(g_level.load()); }

void Log(LogLevel level, std::string_view message) {
  if (static_cast<int>(level) < g_level.load()) return;
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char ts[32];
  std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
  absl::MutexLock lock(&g_mu);
  std::fprintf(stderr, "%s %s %.*s\n", ts, LevelName(level), static_cast<int>(message.size()),
               message.data());
  std::fflush(stderr);
}

}  // namespace qantara::server
