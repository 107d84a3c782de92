// `qantara health`: asks the standard gRPC health service.
#include <string>

#include "clients/cli/call.h"
#include "clients/cli/commands.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace qantara::cli {
namespace {

// The server's health service for writes (service/server/main.cc): NOT_SERVING
// while its data dir cannot be written (a full disk), reads still served.
constexpr char kWritesService[] = "qantara.v1.writes";

}  // namespace

int RunHealthCommand(const GlobalOptions& options, const HealthArgs& args) {
  using grpc::health::v1::HealthCheckResponse;
  grpc::health::v1::HealthCheckRequest req;
  req.set_service(args.service);
  absl::StatusOr<HealthCheckResponse> resp = Call(options, &grpc::health::v1::Health::Stub::Check, req);
  if (!resp.ok()) return ReportRpcError(options, "health", resp.status());
  std::string out = HealthCheckResponse::ServingStatus_Name(resp->status()) + "\n";
  if (args.service.empty()) {
    // The whole server: writes too (a server without that service: no line).
    req.set_service(kWritesService);
    absl::StatusOr<HealthCheckResponse> writes = Call(options, &grpc::health::v1::Health::Stub::Check, req);
    if (writes.ok()) {
      out += "writes: " + HealthCheckResponse::ServingStatus_Name(writes->status()) + "\n";
    } else if (writes.status().code() != absl::StatusCode::kNotFound) {
      return ReportRpcError(options, "health", writes.status());
    }
  }
  const int printed = PrintOutput(out);
  return resp->status() == HealthCheckResponse::SERVING ? printed : kExitFailed;
}

}  // namespace qantara::cli
