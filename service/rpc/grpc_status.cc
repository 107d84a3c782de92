// Mapping absl::Status codes and messages to grpc::Status at the API edge:
// bounded, without the server's paths, internal errors by request id.
#include "service/rpc/grpc_status.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace qantara::rpc {

namespace {

// Longest message sent: a message may quote what the client sent (a
// memory name, a language tag), and gRPC carries it in a header whose size
// clients limit (8 KiB by default); a longer one would fail the client's
// read of the status instead of telling it what was wrong.
constexpr size_t kMaxMessageBytes = 1024;

struct Config {
  std::vector<std::string> hidden;  // longest first
  void (*log)(const std::string&) = nullptr;
};

absl::Mutex config_mu;
Config* config ABSL_GUARDED_BY(config_mu) = nullptr;

std::string Bounded(absl::string_view message) {
  if (message.size() <= kMaxMessageBytes) return std::string(message);
  size_t cut = kMaxMessageBytes - 64;
  while (cut > 0 && (static_cast<unsigned char>(message[cut]) & 0xC0) == 0x80) --cut;  // a UTF-8 boundary
  return absl::StrCat(message.substr(0, cut), "... (", message.size() - cut,
                      " more bytes of this message cut)");
}

std::string RequestId() {
  thread_local absl::BitGen gen;
  return absl::StrFormat("%016x", absl::Uniform<uint64_t>(gen));
}

}  // namespace

void ConfigureClientErrors(const std::string& data_dir, void (*log)(const std::string& line)) {
  auto* c = new Config;
  c->log = log;
  std::error_code ec;
  for (std::string p : {data_dir, std::filesystem::absolute(data_dir, ec).lexically_normal().string(),
                        std::filesystem::weakly_canonical(data_dir, ec).string()}) {
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    if (p.size() > 1) c->hidden.push_back(p);
  }
  std::sort(c->hidden.begin(), c->hidden.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  absl::MutexLock l(&config_mu);
  delete config;
  config = c;
}

grpc::Status ToGrpcStatus(const absl::Status& s) {
  if (s.ok()) return grpc::Status::OK;
  const auto code = static_cast<grpc::StatusCode>(s.code());
  std::string message(s.message());
  void (*log)(const std::string&) = nullptr;
  {
    absl::MutexLock l(&config_mu);
    if (config != nullptr) {
      log = config->log;
      for (const std::string& p : config->hidden) {
        message = absl::StrReplaceAll(message, {{absl::StrCat("data dir ", p), "data dir"}});
        message = absl::StrReplaceAll(message, {{p, "the data dir"}});
      }
    }
  }
  if (s.code() == absl::StatusCode::kInternal || s.code() == absl::StatusCode::kDataLoss ||
      s.code() == absl::StatusCode::kUnknown) {
    const std::string id = RequestId();
    const std::string line =
        absl::StrCat("request ", id, ": ", absl::StatusCodeToString(s.code()), ": ", s.message());
    if (log != nullptr) {
      log(line);
    } else {
      std::fprintf(stderr, "%s\n", line.c_str());
    }
    return grpc::Status(code,
                        absl::StrCat(s.code() == absl::StatusCode::kDataLoss ? "data loss" : "internal error",
                                     " (request id ", id, ": the server's log has the details)"));
  }
  return grpc::Status(code, Bounded(message));
}

}  // namespace qantara::rpc
