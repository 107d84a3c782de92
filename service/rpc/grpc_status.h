// Mapping of absl::Status to grpc::Status at the API edge.
#ifndef QANTARA_SERVICE_RPC_GRPC_STATUS_H_
#define QANTARA_SERVICE_RPC_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace qantara::rpc {

// Same code (absl and gRPC codes share numbering), same message, cut to
// 1 KiB at a UTF-8 boundary (a message may quote a huge client string).
grpc::Status ToGrpcStatus(const absl::Status& s);

}  // namespace qantara::rpc

#endif  // QANTARA_SERVICE_RPC_GRPC_STATUS_H_
