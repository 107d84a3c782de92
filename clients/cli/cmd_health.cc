// `qantara health`: asks the standard gRPC health service.
#include <cstdio>

#include "clients/cli/commands.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace qantara::cli {

void AddHealthCommand(CLI::App& app, const GlobalOptions& options, int* exit_code) {
  CLI::App* cmd = app.add_subcommand(
      "health", "Ask the server whether it is serving: prints SERVING and exits 0 when it is");
  auto service = std::make_shared<std::string>();
  cmd->add_option("--service", *service, "service name to check (default: the whole server)");
  cmd->callback([&options, exit_code, service] {
    grpc::health::v1::HealthCheckRequest req;
    req.set_service(*service);
    grpc::health::v1::HealthCheckResponse resp;
    if (!UnaryCall(options, "health", &grpc::health::v1::Health::Stub::Check, req, &resp, exit_code)) return;
    const std::string name =
        grpc::health::v1::HealthCheckResponse::ServingStatus_Name(resp.status());
    std::printf("%s\n", name.c_str());
    *exit_code = resp.status() == grpc::health::v1::HealthCheckResponse::SERVING ? kExitOk
                                                                                  : kExitFailed;
  });
}

}  // namespace qantara::cli
