#include "clients/cli/client.h"

#include <cstdio>
#include <cstdlib>

#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace qantara::cli {

std::string DefaultServer() {
  const char* env = std::getenv("QANTARA_SERVER");
  if (env != nullptr && *env != '\0') return env;
  return "127.0.0.1:50051";
}

std::shared_ptr<grpc::Channel> Connect(const GlobalOptions& options) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(256 * 1024 * 1024);
  args.SetMaxSendMessageSize(256 * 1024 * 1024);
  return grpc::CreateCustomChannel(options.server, grpc::InsecureChannelCredentials(), args);
}

void Prepare(grpc::ClientContext& context, const GlobalOptions& options) {
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(static_cast<int64_t>(options.timeout_seconds * 1000)));
  context.set_wait_for_ready(false);
}

int ReportError(const std::string& message, int code) {
  std::fprintf(stderr, "qantara: %.*s\n", static_cast<int>(message.size()), message.data());
  return code;
}

int ReportRpcError(const GlobalOptions& options, const char* what, const grpc::Status& status) {
  std::string msg;
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      msg = std::string(what) + ": server " + options.server +
            " is unreachable (is qantara-server running? set --server or QANTARA_SERVER)";
      break;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      msg = std::string(what) + ": no answer from " + options.server + " within " +
            std::to_string(options.timeout_seconds) + " s (--timeout)";
      break;
    default:
      msg = std::string(what) + ": " + status.error_message();
      break;
  }
  return ReportError(msg, status.error_code() == grpc::StatusCode::INVALID_ARGUMENT ? kExitUsage
                                                                                      : kExitFailed);
}

}  // namespace qantara::cli
