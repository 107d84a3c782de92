// Mapping absl::Status codes and messages to grpc::Status at the API edge.
#include "service/rpc/grpc_status.h"

#include <string>

namespace qantara::rpc {

grpc::Status ToGrpcStatus(const absl::Status& s) {
  if (s.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(s.code()), std::string(s.message()));
}

}  // namespace qantara::rpc
