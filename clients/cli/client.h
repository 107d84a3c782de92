// Shared plumbing of the qantara CLI: the connection, deadlines, errors.
#ifndef QANTARA_CLIENTS_CLI_CLIENT_H_
#define QANTARA_CLIENTS_CLI_CLIENT_H_

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"
#include "qantara/v1/server.pb.h"

namespace qantara::cli {

// Exit codes of the qantara CLI.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // the server said no, or could not be reached
inline constexpr int kExitUsage = 2;   // bad flags or bad input; nothing was sent

// TLS to the server: --tls (the system's roots), --tls-ca FILE, and for
// mutual TLS --tls-cert FILE --tls-key FILE; the files default to
// $QANTARA_TLS_CA, $QANTARA_TLS_CERT and $QANTARA_TLS_KEY.
struct TlsOptions {
  bool requested = false;                    // --tls
  std::string ca_file, cert_file, key_file;  // "" when not given
  std::string ca_pem, cert_pem, key_pem;     // their contents, read by LoadTlsFiles

  // Whether the channel speaks TLS: --tls or any of the files.
  bool enabled() const { return requested || !ca_file.empty() || !cert_file.empty() || !key_file.empty(); }
};

// Options every subcommand shares.
struct GlobalOptions {
  std::string server;      // HOST:PORT
  double timeout_seconds;  // per call
  std::string token;       // API token (--token), or "" (then token_file, then $QANTARA_TOKEN)
  std::string token_file;  // --token-file: a file holding the API token
  TlsOptions tls = {};
};

// Settles options->token: --token, else the first line of --token-file,
// else $QANTARA_TOKEN, else none. InvalidArgument naming the file when it
// cannot be read or holds no token.
absl::Status ResolveToken(GlobalOptions* options);

// Adds the API token (if any) to a call's metadata as
// `authorization: Bearer <token>`. Prepare() does it; streaming calls that
// set their own deadline call it directly.
void AddToken(grpc::ClientContext& context, const GlobalOptions& options);

// The default for --server: $QANTARA_SERVER, else 127.0.0.1:50051.
std::string DefaultServer();

// Fills tls->*_pem from the files. InvalidArgument (exit code 2) naming the
// flag and the file when one cannot be read or holds no PEM text, or when
// only one of --tls-cert and --tls-key is given.
absl::Status LoadTlsFiles(TlsOptions* tls);

// A channel to options.server: TLS when options.tls.enabled() (REQUIRES:
// LoadTlsFiles done), plaintext otherwise; with ClientServiceConfig(options)
// as its service config when there is one.
std::shared_ptr<grpc::Channel> Connect(const GlobalOptions& options);

// The server's ServerInfo (ServerService.GetServerInfo), asked on a channel
// without a service config, within `timeout_seconds`.
absl::StatusOr<qantara::v1::ServerInfo> FetchServerInfo(const GlobalOptions& options, double timeout_seconds);

// The service config of the CLI's channels: the server's
// (ServerInfo.service_config_json, asked once per process and server,
// within 2 s or the --timeout when shorter) without its timeouts: the
// CLI's deadlines are its own (--timeout a call, the idle watchdog of long
// streams), so only its retry policies apply. "" (channels without a
// config) when the server gives none: an older server, one not reachable
// yet, a refused token (the command's own call then reports it).
std::string ClientServiceConfig(const GlobalOptions& options);

// `json` (a service config) without the timeouts of its methodConfig
// entries; "" when it is not a JSON object.
std::string WithoutTimeouts(const std::string& json);

// Sets the call deadline from the options and adds the API token; waits
// for the channel to connect within the deadline instead of failing at once.
void Prepare(grpc::ClientContext& context, const GlobalOptions& options);

// Prints "qantara: <what>: <reason>" on stderr, in words a user can act on
// (e.g. an unreachable server names the address and how to start one),
// and returns the exit code.
int ReportRpcError(const GlobalOptions& options, const char* what, const grpc::Status& status);

// The same for a failure as an absl::Status (see exit_status.h).
int ReportRpcError(const GlobalOptions& options, const char* what, const absl::Status& status);

// Writes `text` to stdout and flushes: kExitOk, or kExitFailed when stdout
// cannot be written.
int PrintOutput(const std::string& text);

// Prints "qantara: <message>" on stderr; returns `code`.
int ReportError(const std::string& message, int code);

// A new request id ("cli-" + 32 random hex digits) for one write of one
// command: its retries (the server's service config) carry the same id, so
// the server carries the write out once.
std::string NewRequestId();

// Makes one unary call on a new stub of `Stub`'s service with the --timeout
// deadline, e.g.
//   v1::Memory memory;
//   if (!UnaryCall(options, "memory show", &v1::MemoryService::Stub::GetMemory, req, &memory,
//                  exit_code)) return;
// On failure prints the error as ReportRpcError does (naming `what`), sets
// *exit_code to its exit code and returns false; on success leaves *exit_code
// alone and returns true.
template <typename Stub, typename Request, typename Response>
bool UnaryCall(const GlobalOptions& options, const char* what,
               grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
               const Request& request, Response* response, int* exit_code) {
  Stub stub(Connect(options));
  grpc::ClientContext context;
  Prepare(context, options);
  const grpc::Status status = (stub.*method)(&context, request, response);
  if (status.ok()) return true;
  *exit_code = ReportRpcError(options, what, status);
  return false;
}

}  // namespace qantara::cli

#endif  // QANTARA_CLIENTS_CLI_CLIENT_H_
