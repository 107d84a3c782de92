// `qantara health`: asks the standard gRPC health service.
#include "clients/cli/call.h"
#include "clients/cli/commands.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace qantara::cli {

int RunHealthCommand(const GlobalOptions& options, const HealthArgs& args) {
  using grpc::health::v1::HealthCheckResponse;
  grpc::health::v1::HealthCheckRequest req;
  req.set_service(args.service);
  absl::StatusOr<HealthCheckResponse> resp = Call(options, &grpc::health::v1::Health::Stub::Check, req);
  if (!resp.ok()) return ReportRpcError(options, "health", resp.status());
  const int printed = PrintOutput(HealthCheckResponse::ServingStatus_Name(resp->status()) + "\n");
  return resp->status() == HealthCheckResponse::SERVING ? printed : kExitFailed;
}

}  // namespace qantara::cli
