// Failure -> exit code and error line (see exit_status.h).
#include "clients/cli/exit_status.h"

#include "absl/strings/str_cat.h"

namespace qantara::cli {

absl::Status FromGrpc(const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

int ExitCodeFor(const absl::Status& status) {
  if (status.ok()) return kExitOk;
  return status.code() == absl::StatusCode::kInvalidArgument ? kExitUsage : kExitFailed;
}

std::string RpcErrorMessage(const GlobalOptions& options, const std::string& what,
                            const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
      return what + ": server " + options.server +
             " is unreachable (is qantara-server running? set --server or QANTARA_SERVER)";
    case absl::StatusCode::kDeadlineExceeded:
      // The client's own deadline says "Deadline Exceeded"; the server's
      // (a stalled stream it ended) says why.
      if (status.message() != "Deadline Exceeded" && status.message() != "no answer") {
        return what + ": " + std::string(status.message());
      }
      return absl::StrCat(what, ": no answer from ", options.server, " within ", options.timeout_seconds,
                          " s (--timeout)");
    default: return what + ": " + std::string(status.message());
  }
}

}  // namespace qantara::cli
