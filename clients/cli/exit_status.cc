// Failure -> exit code and error line (see exit_status.h).
#include "clients/cli/exit_status.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "service/base/error_details.h"

namespace qantara::cli {

absl::Status FromGrpc(const grpc::Status& status) {
  absl::Status s(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  google::rpc::Status details;
  if (s.ok() || status.error_details().empty() || !details.ParseFromString(status.error_details())) return s;
  std::vector<std::string> fields;
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::ErrorInfo info;
    google::rpc::BadRequest bad;
    if (any.UnpackTo(&info)) {
      s = WithReason(std::move(s), info.reason());
    } else if (any.UnpackTo(&bad)) {
      for (const auto& v : bad.field_violations()) fields.push_back(v.field());
    }
  }
  if (!fields.empty()) s = WithField(std::move(s), absl::StrJoin(fields, ", "));
  return s;
}

int ExitCodeFor(const absl::Status& status) {
  if (status.ok()) return kExitOk;
  return status.code() == absl::StatusCode::kInvalidArgument ? kExitUsage : kExitFailed;
}

namespace {

// The channel could not connect. gRPC's message says why ("... last error:
// ...: Connection refused", "Ssl handshake failed: ...", "Socket closed");
// the hints say what that may mean with the TLS options given.
std::string UnavailableMessage(const GlobalOptions& options, const std::string& what,
                               absl::string_view message) {
  const std::string server = options.server;
  const bool tls = options.tls.enabled();
  const size_t handshake = message.find("Ssl handshake failed: ");
  if (handshake != absl::string_view::npos) {
    absl::string_view reason = message.substr(handshake + 22);
    if (const size_t routines = reason.find("routines::"); routines != absl::string_view::npos) {
      reason = reason.substr(routines + 10);
    }
    std::string hint;
    if (reason.find("wrong version number") != absl::string_view::npos) {
      hint = " (the server answered without TLS: leave out --tls/--tls-ca/--tls-cert if it serves plaintext)";
    } else if (reason.find("certificate verify failed") != absl::string_view::npos) {
      hint = options.tls.ca_file.empty()
                 ? " (its certificate is not signed by a CA this machine trusts: give --tls-ca FILE)"
                 : " (its certificate is not signed by the CA in --tls-ca " + options.tls.ca_file + ")";
    }
    return absl::StrCat(what, ": TLS handshake with ", server, " failed: ", reason, hint);
  }
  std::string detail(message);
  if (const size_t last = message.find("last error: "); last != absl::string_view::npos) {
    detail = std::string(message.substr(last + 12));
  }
  if (message.find("Peer name") != absl::string_view::npos) {  // gRPC's host name check
    return absl::StrCat(what, ": ", server, ": ", detail,
                        " (the server's certificate must name the host given to --server)");
  }
  if (message.find("Socket closed") != absl::string_view::npos ||
      message.find("Connection reset") != absl::string_view::npos) {
    if (!tls) {
      return absl::StrCat(what, ": server ", server, " closed the connection (", detail,
                          "); if it serves TLS, give --tls-ca FILE (or --tls)");
    }
    return absl::StrCat(what, ": server ", server, " closed the TLS connection (", detail,
                        options.tls.cert_file.empty()
                            ? "); if it requires client certificates, give --tls-cert FILE --tls-key FILE"
                            : "); is --tls-cert " + options.tls.cert_file +
                                  " signed by a CA the server trusts (--tls-client-ca)?");
  }
  return what + ": server " + server +
         " is unreachable (is qantara-server running? set --server or QANTARA_SERVER)";
}

}  // namespace

std::string RpcErrorMessage(const GlobalOptions& options, const std::string& what,
                            const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable: return UnavailableMessage(options, what, status.message());
    case absl::StatusCode::kDeadlineExceeded:
      // The client's own deadline says "Deadline Exceeded"; the server's
      // (a stalled stream it ended) says why.
      if (status.message() != "Deadline Exceeded" && status.message() != "no answer") {
        return what + ": " + std::string(status.message());
      }
      return absl::StrCat(what, ": no answer from ", options.server, " within ", options.timeout_seconds,
                          " s (--timeout)");
    default: break;
  }
  // The server's error details: the reason (when more than the code's name)
  // and the request field.
  std::vector<std::string> notes;
  if (std::optional<std::string> reason = ErrorReason(status);
      reason.has_value() && !reason->empty() && *reason != absl::StatusCodeToString(status.code())) {
    notes.push_back(absl::StrCat("reason ", *reason));
  }
  if (std::optional<std::string> field = ErrorField(status); field.has_value() && !field->empty()) {
    notes.push_back(absl::StrCat("field ", *field));
  }
  std::string line = what + ": " + std::string(status.message());
  if (!notes.empty()) absl::StrAppend(&line, " [", absl::StrJoin(notes, ", "), "]");
  return line;
}

}  // namespace qantara::cli
