// One unary call of the CLI, as a value: the server's answer or the failure
// as an absl::Status (which exit_status.h turns into an exit code).
#ifndef QANTARA_CLIENTS_CLI_CALL_H_
#define QANTARA_CLIENTS_CLI_CALL_H_

#include "absl/status/statusor.h"
#include "clients/cli/client.h"
#include "clients/cli/exit_status.h"
#include "grpcpp/client_context.h"

namespace qantara::cli {

// Makes one unary call on a new stub of `Stub`'s service with the --timeout
// deadline, e.g. Call(options, &v1::MemoryService::Stub::GetMemory, request).
template <typename Stub, typename Request, typename Response>
absl::StatusOr<Response> Call(const GlobalOptions& options,
                              grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                              const Request& request) {
  Stub stub(Connect(options));
  grpc::ClientContext context;
  Prepare(context, options);
  Response response;
  const grpc::Status status = (stub.*method)(&context, request, &response);
  if (!status.ok()) return FromGrpc(status);
  return response;
}

}  // namespace qantara::cli

#endif  // QANTARA_CLIENTS_CLI_CALL_H_
