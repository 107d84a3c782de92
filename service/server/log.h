// Minimal leveled logging for the server: one line per event on stderr,
// "2026-11-29T13:40:00Z INFO message". stdout is reserved for the
// `listening on HOST:PORT` line that scripts read.
#ifndef QANTARA_SERVICE_SERVER_LOG_H_
#define QANTARA_SERVICE_SERVER_LOG_H_

#include <string_view>

#include "absl/status/statusor.h"

namespace qantara::server {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// Parses "debug", "info", "warn"/"warning", "error" (any case).
absl::StatusOr<LogLevel> ParseLogLevel(std::string_view name);

void SetLogLevel(LogLevel level);
LogLevel GetLogLevel();

// Writes one line if `level` is at or above the current level. Thread-safe.
void Log(LogLevel level, std::string_view message);

}  // namespace qantara::server

#endif  // QANTARA_SERVICE_SERVER_LOG_H_
