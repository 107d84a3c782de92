// Shared plumbing of the qantara CLI: the connection, deadlines, errors.
#ifndef QANTARA_CLIENTS_CLI_CLIENT_H_
#define QANTARA_CLIENTS_CLI_CLIENT_H_

#include <chrono>
#include <memory>
#include <string>

#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace qantara::cli {

// Exit codes of the qantara CLI.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // the server said no, or could not be reached
inline constexpr int kExitUsage = 2;   // bad flags or bad input; nothing was sent

// Options every subcommand shares.
struct GlobalOptions {
  std::string server;       // HOST:PORT
  double timeout_seconds;   // per call
};

// The default for --server: $QANTARA_SERVER, else 127.0.0.1:50051.
std::string DefaultServer();

std::shared_ptr<grpc::Channel> Connect(const GlobalOptions& options);

// Sets the call deadline from the options; waits for the channel to connect
// within the deadline instead of failing at once.
void Prepare(grpc::ClientContext& context, const GlobalOptions& options);

// Prints "qantara: <what>: <reason>" on stderr, in words a user can act on
// (e.g. an unreachable server names the address and how to start one),
// and returns the exit code.
int ReportRpcError(const GlobalOptions& options, const char* what, const grpc::Status& status);

// Prints "qantara: <message>" on stderr; returns `code`.
int ReportError(const std::string& message, int code);

}  // namespace qantara::cli

#endif  // QANTARA_CLIENTS_CLI_CLIENT_H_
