// Request ids at the edge: a mutating call that carries a request_id runs
// once per caller and id (tm::RequestLog); a repeat gets the first call's
// response, read back from the log.
#ifndef QANTARA_SERVICE_RPC_IDEMPOTENCY_H_
#define QANTARA_SERVICE_RPC_IDEMPOTENCY_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/status.h"
#include "service/tm/access.h"
#include "service/tm/request_log.h"

namespace qantara::rpc {

// Sets the log every handler uses (nullptr: request ids are ignored). Call
// before serving; `log` outlives the server.
void InstallRequestLog(tm::RequestLog* log);

// A stable hash of `request` without its request_id field (and, for an
// ImportRequest, of its start message).
uint64_t RequestHash(const google::protobuf::Message& request);

// Runs `run` (which fills `response`) unless (who, request_id) was seen:
// then `response` is the remembered one and `run` is not called. An empty
// request_id just runs. `redact`, when given, clears what must not be kept
// (a token's secret) from the copy remembered.
grpc::Status RunOnce(const tm::Principal& who, const std::string& request_id, absl::string_view method,
                     const google::protobuf::Message& request, google::protobuf::Message* response,
                     const std::function<grpc::Status()>& run,
                     const std::function<void(google::protobuf::Message*)>& redact = nullptr);

// For streams, whose request is known only as it arrives: Begin with the
// first message; when it returns a response, the call is a repeat: answer
// it (and do nothing else). Otherwise carry the call out and End it with
// its response (nullptr when it failed).
class OnceCall {
 public:
  OnceCall(const tm::Principal& who, std::string request_id, absl::string_view method);
  ~OnceCall();  // Ends a begun call that was not ended (as failed)
  OnceCall(const OnceCall&) = delete;
  OnceCall& operator=(const OnceCall&) = delete;

  // Error: a bad or reused id, a repeat still running. Returns true when
  // `response` was filled from the log.
  absl::StatusOr<bool> Begin(const google::protobuf::Message& first, google::protobuf::Message* response);
  void End(const google::protobuf::Message* response);

 private:
  std::string scope_;
  std::string id_;
  std::string method_;
  uint64_t hash_ = 0;
  bool begun_ = false;
};

}  // namespace qantara::rpc

#endif  // QANTARA_SERVICE_RPC_IDEMPOTENCY_H_
