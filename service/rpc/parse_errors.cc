// Parse errors of request messages: see service/rpc/parse_errors.h.
#include "service/rpc/parse_errors.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <deque>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/stubs/logging.h"
#include "grpcpp/support/status.h"
#include "service/base/error_details.h"
#include "service/rpc/grpc_status.h"

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

// The request field path of the field protobuf names in `error` ("String
// field 'qantara.v1.Unit.source' contains invalid UTF-8 ..."), from the
// request type of `method` ("/qantara.v1.MemoryService/AddUnit"): "text" for
// a field of the request itself, "unit.source" for one of a nested message
// (found breadth-first; a repeated field's path has no index).
std::optional<std::string> FieldOfParseError(absl::string_view method, absl::string_view error) {
  constexpr absl::string_view kField = "field '";
  const size_t at = error.find(kField);
  if (at == absl::string_view::npos) return std::nullopt;
  absl::string_view full = error.substr(at + kField.size());
  full = full.substr(0, full.find('\''));
  const size_t dot = full.rfind('.');
  if (dot == absl::string_view::npos) return std::nullopt;
  const std::string type(full.substr(0, dot));
  const std::string name(full.substr(dot + 1));
  if (!absl::StartsWith(method, "/")) return std::nullopt;
  std::string rpc(method.substr(1));
  std::replace(rpc.begin(), rpc.end(), '/', '.');
  const auto* m = google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(rpc);
  if (m == nullptr) return name;
  std::deque<std::pair<const google::protobuf::Descriptor*, std::string>> queue{{m->input_type(), ""}};
  for (int steps = 0; !queue.empty() && steps < 256; ++steps) {
    auto [d, path] = queue.front();
    queue.pop_front();
    if (d->full_name() == type) return path.empty() ? name : absl::StrCat(path, ".", name);
    if (path.size() > 200) continue;
    for (int i = 0; i < d->field_count(); ++i) {
      const google::protobuf::FieldDescriptor* f = d->field(i);
      if (f->message_type() != nullptr && !f->is_map()) {
        queue.emplace_back(f->message_type(), path.empty() ? f->name() : absl::StrCat(path, ".", f->name()));
      }
    }
  }
  return name;
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
        absl::Status refused = WithReason(
            absl::InvalidArgumentError(absl::StrCat(
                "request message ", received_, " of ", method_, " does not parse: ",
                error.value_or("not a valid message of this rpc (wrong field types or cut bytes)"),
                received_ > 1 ? "; the call stopped there (what earlier messages did is done)" : "")),
            "MALFORMED_REQUEST");
        if (error.has_value()) {
          if (std::optional<std::string> field = FieldOfParseError(method_, *error)) {
            refused = WithField(std::move(refused), *field);
          }
        }
        methods->ModifySendStatus(ToGrpcStatus(refused));
      } else if (!status.ok() && status.error_details().empty()) {
        // A status made as grpc::Status, not through ToGrpcStatus.
        methods->ModifySendStatus(WithErrorDetails(status));
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
