// How a failure becomes the CLI's exit code and its one line on stderr:
// 0 success, 1 the server failed or could not be reached, 2 bad usage or
// input. Plain functions of a status, unit-tested without a server.
#ifndef QANTARA_CLIENTS_CLI_EXIT_STATUS_H_
#define QANTARA_CLIENTS_CLI_EXIT_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "clients/cli/client.h"
#include "grpcpp/support/status.h"

namespace qantara::cli {

// The gRPC status as an absl::Status (same code, same message), with the
// reason and fields of its error details (google.rpc ErrorInfo, BadRequest)
// as payloads (service/base/error_details.h).
absl::Status FromGrpc(const grpc::Status& status);

// OK -> kExitOk; INVALID_ARGUMENT (the input was refused: by the server or by
// the CLI before sending anything) -> kExitUsage; anything else, e.g.
// UNAVAILABLE or DEADLINE_EXCEEDED -> kExitFailed.
int ExitCodeFor(const absl::Status& status);

// "<what>: <reason>" for a failed call, in words a user can act on: an
// unreachable server names the address and how to start one, a deadline the
// --timeout. A reason other than the code's name and the request fields of
// the server's error details follow: "<what>: <reason> [reason
// VALUE_OUT_OF_RANGE, field threshold]". REQUIRES: !status.ok()
std::string RpcErrorMessage(const GlobalOptions& options, const std::string& what,
                            const absl::Status& status);

}  // namespace qantara::cli

#endif  // QANTARA_CLIENTS_CLI_EXIT_STATUS_H_
