// Mapping of absl::Status to grpc::Status at the API edge.
#ifndef QANTARA_SERVICE_RPC_GRPC_STATUS_H_
#define QANTARA_SERVICE_RPC_GRPC_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace qantara::rpc {

// Same code (absl and gRPC codes share numbering), the message cut to 1 KiB
// at a UTF-8 boundary (a message may quote a huge client string), with the
// server's own paths taken out: the data dir (ConfigureClientErrors) reads
// "the data dir". INTERNAL, DATA_LOSS and UNKNOWN carry no detail at all: the
// client gets the code, "the server's log has the details" and a request id,
// and the whole message is logged with that id.
grpc::Status ToGrpcStatus(const absl::Status& s);

// Sets the data dir to hide and where the details of internal errors are
// logged (`log` gets "request ID: CODE: message"; nullptr: stderr). Call
// before serving.
void ConfigureClientErrors(const std::string& data_dir, void (*log)(const std::string& line));

}  // namespace qantara::rpc

#endif  // QANTARA_SERVICE_RPC_GRPC_STATUS_H_
