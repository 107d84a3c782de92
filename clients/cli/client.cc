// Shared plumbing of the qantara CLI: the connection, deadlines, errors.
#include "clients/cli/client.h"

#include <cstdio>
#include <cstdlib>

#include "clients/cli/exit_status.h"
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
  const absl::Status s = FromGrpc(status);
  return ReportError(RpcErrorMessage(options, what, s), ExitCodeFor(s));
}

int ReportRpcError(const GlobalOptions& options, const char* what, const absl::Status& status) {
  return ReportError(RpcErrorMessage(options, what, status), ExitCodeFor(status));
}

int PrintOutput(const std::string& text) {
  const bool written = std::fwrite(text.data(), 1, text.size(), stdout) == text.size();
  return written && std::fflush(stdout) == 0 ? kExitOk : kExitFailed;
}

}  // namespace qantara::cli
