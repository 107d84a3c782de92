// qantara.v1.AccessService handlers: conversions around tm::AccessControl.
#include "service/rpc/access_service.h"

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "service/rpc/auth.h"
#include "service/rpc/enum_check.h"
#include "service/rpc/grpc_status.h"

namespace qantara::rpc {
namespace {

namespace v1 = qantara::v1;

void ToProto(const tm::TokenInfo& in, v1::TokenInfo* out) {
  out->set_name(in.name);
  out->set_role(static_cast<v1::TokenRole>(static_cast<int>(in.role)));
  for (const std::string& m : in.memories) out->add_memories(m);
  out->set_created_at_us(in.created_at_us);
  out->set_expires_at_us(in.expires_at_us);
  out->set_revoked_at_us(in.revoked_at_us);
  out->set_created_by(in.created_by);
}

grpc::Status NoAuth() {
  return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                      "this server runs without access control: start it with --auth to use API tokens");
}

}  // namespace

grpc::Status AccessServiceImpl::CreateToken(grpc::ServerContext* context, const v1::CreateTokenRequest* req,
                                            v1::CreateTokenResponse* resp) {
  AuditedCall audit(context, "CreateToken");
  audit.set_detail(absl::StrCat("token '", req->name(), "'"));
  absl::StatusOr<tm::Principal> who = Allow(context, tm::Role::kAdmin, "create tokens");
  if (!who.ok()) return audit.Done(ToGrpcStatus(who.status()));
  audit.set_who(*who);
  if (access_ == nullptr) return audit.Done(NoAuth());
  if (absl::Status s = CheckEnums(*req); !s.ok()) return audit.Done(ToGrpcStatus(s));
  if (req->role() == v1::TOKEN_ROLE_UNSPECIFIED) {
    return audit.Done(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                   "role: a token needs a role (reader, translator, manager or admin)"));
  }
  if (static_cast<size_t>(req->memories_size()) > tm::kMaxTokenPatterns) {
    return audit.Done(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "memories: too many patterns"));
  }
  tm::NewToken token;
  token.name = req->name();
  token.role = static_cast<tm::Role>(req->role());
  token.memories.assign(req->memories().begin(), req->memories().end());
  token.expires_in_seconds = req->expires_in_seconds();
  tm::TokenInfo info;
  absl::StatusOr<std::string> secret = access_->CreateToken(token, who->name, &info);
  if (!secret.ok()) return audit.Done(ToGrpcStatus(secret.status()));
  ToProto(info, resp->mutable_token());
  resp->set_secret(*secret);
  return audit.Done(grpc::Status::OK);
}

grpc::Status AccessServiceImpl::ListTokens(grpc::ServerContext* context, const v1::ListTokensRequest* req,
                                           v1::ListTokensResponse* resp) {
  absl::StatusOr<tm::Principal> who = Allow(context, tm::Role::kAdmin, "list tokens");
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (access_ == nullptr) return NoAuth();
  if (absl::Status s = CheckEnums(*req); !s.ok()) return ToGrpcStatus(s);
  for (const tm::TokenInfo& t : access_->ListTokens()) ToProto(t, resp->add_tokens());
  return grpc::Status::OK;
}

grpc::Status AccessServiceImpl::RevokeToken(grpc::ServerContext* context, const v1::RevokeTokenRequest* req,
                                            v1::RevokeTokenResponse* resp) {
  AuditedCall audit(context, "RevokeToken");
  audit.set_detail(absl::StrCat("token '", req->name(), "'"));
  absl::StatusOr<tm::Principal> who = Allow(context, tm::Role::kAdmin, "revoke tokens");
  if (!who.ok()) return audit.Done(ToGrpcStatus(who.status()));
  audit.set_who(*who);
  if (access_ == nullptr) return audit.Done(NoAuth());
  if (absl::Status s = CheckEnums(*req); !s.ok()) return audit.Done(ToGrpcStatus(s));
  absl::StatusOr<tm::TokenInfo> revoked = access_->RevokeToken(req->name(), who->name);
  if (!revoked.ok()) return audit.Done(ToGrpcStatus(revoked.status()));
  ToProto(*revoked, resp->mutable_token());
  return audit.Done(grpc::Status::OK);
}

grpc::Status AccessServiceImpl::ListAuditEvents(grpc::ServerContext* context,
                                                const v1::ListAuditEventsRequest* req,
                                                v1::ListAuditEventsResponse* resp) {
  absl::StatusOr<tm::Principal> who = Allow(context, tm::Role::kAdmin, "read the audit trail");
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (audit_ == nullptr) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "this server keeps no audit trail");
  }
  if (absl::Status s = CheckEnums(*req); !s.ok()) return ToGrpcStatus(s);
  std::string token;
  if (!req->page_token().empty() && !absl::WebSafeBase64Unescape(req->page_token(), &token)) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "page_token: not one this server gave");
  }
  std::string next;
  absl::StatusOr<std::vector<storage::AuditEvent>> events = audit_->ListAudit(
      req->since_us(), req->memory(), token, req->page_size() == 0 ? 100 : req->page_size(), &next);
  if (!events.ok()) return ToGrpcStatus(events.status());
  for (const storage::AuditEvent& e : *events) {
    v1::AuditEvent* out = resp->add_events();
    out->set_time_us(e.time_us);
    out->set_who(e.who);
    out->set_action(e.action);
    out->set_memory(e.memory);
    out->set_units(e.units);
    out->set_peer(e.peer);
    out->set_outcome(e.outcome);
    out->set_detail(e.detail);
  }
  if (!next.empty()) resp->set_next_page_token(absl::WebSafeBase64Escape(next));
  return grpc::Status::OK;
}

}  // namespace qantara::rpc
