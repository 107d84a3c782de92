// Access control at the gRPC edge: who is calling (the API token in the
// call's `authorization: Bearer <token>` metadata) and whether it may (the
// role and scope rules of service/tm/access.h; proto/qantara/v1/access.proto
// states them for clients).
//
// Every handler starts with one of the checks below, before it reads
// anything else of the request:
//   absl::StatusOr<tm::Principal> who = Allow(context, tm::Role::kReader, "segment text");
//   absl::StatusOr<tm::Principal> who =
//       AllowMemory(context, req->memory(), tm::Role::kTranslator, "add units");
// Nothing is checked until InstallAccessControl (qantara-server --auth);
// then every call needs a valid token. In-process servers of tests that
// install nothing allow every call (tm::Unrestricted()).
#ifndef QANTARA_SERVICE_RPC_AUTH_H_
#define QANTARA_SERVICE_RPC_AUTH_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/server_context.h"
#include "service/tm/access.h"

namespace qantara::rpc {

// Makes `access` (nullptr: none) the one the handlers check. Call before
// the server starts; `access` outlives the server.
void InstallAccessControl(const tm::AccessControl* access);

// The caller: tm::Unrestricted() when no access control is installed, else
// the principal of the call's token. UNAUTHENTICATED: no token (saying how
// to send one), a malformed one, or one Authenticate refuses.
absl::StatusOr<tm::Principal> Caller(const grpc::ServerContext* context);

// Caller() with at least role `needed` (tm::NeedRole; `action` names what
// was asked in the error).
absl::StatusOr<tm::Principal> Allow(const grpc::ServerContext* context, tm::Role needed,
                                    absl::string_view action);

// Caller() reaching memory `memory` with at least role `needed`
// (tm::NeedMemory: NOT_FOUND outside the scope, PERMISSION_DENIED below
// the role).
absl::StatusOr<tm::Principal> AllowMemory(const grpc::ServerContext* context, absl::string_view memory,
                                          tm::Role needed, absl::string_view action);

}  // namespace qantara::rpc

#endif  // QANTARA_SERVICE_RPC_AUTH_H_
