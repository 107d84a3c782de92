// Parse errors of request messages: see service/rpc/parse_errors.h.
#include "service/rpc/parse_errors.h"

#include <atomic>
#include <cstdio>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/stubs/logging.h"
#include "grpcpp/support/status.h"

namespace qantara::rpc {
namespace {

thread_local std::optional<std::string> t_parse_error;
std::atomic<uint64_t> g_seen{0};

// Protobuf's lines about a message it could not parse (its wording in
// protobuf 3.21: "String field '...' contains invalid UTF-8 data when
// parsing a protocol buffer", "Can't parse message of type ...").
bool AboutParsing(const std::string& message) {
  return absl::StrContains(message, "invalid UTF-8 data when parsing") ||
         absl::StrContains(message, "Can't parse message") ||
         absl::StrContains(message, "when parsing a protocol buffer");
}

void LogHandler(google::protobuf::LogLevel level, const char* filename, int line,
                const std::string& message) {
  if (level <= google::protobuf::LOGLEVEL_ERROR && AboutParsing(message)) {
    g_seen.fetch_add(1, std::memory_order_relaxed);
    // Keep the first sentence ("String field 'x.y' contains invalid UTF-8
    // data when parsing a protocol buffer").
    std::string note = message;
    if (size_t dot = note.find(". "); dot != std::string::npos) note.resize(dot);
    t_parse_error = std::move(note);
    return;
  }
  static const char* const kLevels[] = {"INFO", "WARNING", "ERROR", "FATAL"};
  std::fprintf(stderr, "[libprotobuf %s %s:%d] %s\n", kLevels[level], filename, line, message.c_str());
}

class ParseErrorInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit ParseErrorInterceptor(std::string method) : method_(std::move(method)) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      ++received_;
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      std::optional<std::string> error = TakeParseError();
      const grpc::Status status = methods->GetSendStatus();
      const bool unparsed =
          status.error_code() == grpc::StatusCode::INTERNAL && status.error_message().empty();
      if (error.has_value() || unparsed) {
        methods->ModifySendStatus(grpc::Status(
            grpc::StatusCode::INVALID_ARGUMENT,
            absl::StrCat(
                "request message ", received_, " of ", method_, " does not parse: ",
                error.value_or("not a valid message of this rpc (wrong field types or cut bytes)"),
                received_ > 1 ? "; the call stopped there (what earlier messages did is done)" : "")));
      }
    }
    methods->Proceed();
  }

 private:
  const std::string method_;
  uint64_t received_ = 0;
};

class ParseErrorInterceptorFactoryImpl final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override {
    return new ParseErrorInterceptor(info->method());
  }
};

}  // namespace

void InstallParseErrorCapture() { google::protobuf::SetLogHandler(&LogHandler); }

std::optional<std::string> TakeParseError() { return std::exchange(t_parse_error, std::nullopt); }

uint64_t ParseErrorsSeen() { return g_seen.load(std::memory_order_relaxed); }

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> ParseErrorInterceptorFactory() {
  return std::make_unique<ParseErrorInterceptorFactoryImpl>();
}

}  // namespace qantara::rpc
