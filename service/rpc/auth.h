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

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_interceptor.h"
#include "grpcpp/support/status.h"
#include "service/tm/access.h"
#include "service/tm/rate_limits.h"

namespace qantara::rpc {

// Makes `access` (nullptr: none) the one the handlers use: tokens are
// checked when `enforce` (qantara-server --auth), and the audit trail is
// written either way. Call before the server starts; `access` outlives it.
void InstallAccessControl(tm::AccessControl* access, bool enforce = true);

// One audited call: a write, delete, import, export, backup or token
// change. Done() records it in the audit trail (when an AccessControl is
// installed) with the status it returns; a failure to record is logged by
// the caller's log hook, never returned.
class AuditedCall {
 public:
  AuditedCall(const grpc::ServerContext* context, absl::string_view action);
  void set_who(const tm::Principal& who) { who_ = who; }
  void set_memory(absl::string_view memory) { event_.memory = std::string(memory); }
  void add_units(uint64_t n) { event_.units += n; }
  void set_detail(absl::string_view detail) { event_.detail = std::string(detail); }
  grpc::Status Done(grpc::Status status);

 private:
  const grpc::ServerContext* context_;
  tm::Principal who_ = tm::Unrestricted();
  storage::AuditEvent event_;
};

// Makes `limiter` (nullptr: none) the per-token rate limits Caller()
// applies (with --auth only). `limiter` outlives the server.
void InstallRateLimiter(tm::RateLimiter* limiter);

// For ServerBuilder::experimental().SetInterceptorCreators (with --auth):
// when a call ends, charges the CPU time its handler took since Caller()
// (with the low-priority threads it ran work on) to its token's CPU budget,
// unless the call wrote units (those are paid for by the unit budget).
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> CpuChargeInterceptorFactory();

// Whether the caller of `context` (after Caller()) is a token over its CPU
// share (tm::RateLimiter::OverCpuShare): handlers then run its work at the
// lowest CPU priority (RunAtLowPriority).
bool OverCpuShare(const grpc::ServerContext* context);

// Where failures to write the audit trail go (qantara-server: its log).
void SetAuditErrorHandler(void (*handler)(const absl::Status&));

// The secret the HTTP edge sends (metadata "qantara-http-edge") with the
// HTTP client's address ("qantara-http-peer"): a call carrying it is audited
// with that address instead of the in-process channel's. Set once at start,
// before serving; "" (the default) trusts no such metadata.
void SetHttpEdgeSecret(std::string secret);

// The caller: tm::Unrestricted() when no access control is installed, else
// the principal of the call's token. UNAUTHENTICATED: no token (saying how
// to send one), a malformed one, or one Authenticate refuses;
// RESOURCE_EXHAUSTED: the token is over its rate limit.
absl::StatusOr<tm::Principal> Caller(const grpc::ServerContext* context);

// The name of the call's token for a log line ("-" without access control
// or when the call has no valid token); checks the token again, so for rare
// lines only (the slow call log).
std::string TokenNameForLog(const grpc::ServerContextBase* context);

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
