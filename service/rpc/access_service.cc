// qantara.v1.AccessService handlers: conversions around tm::AccessControl.
#include "service/rpc/access_service.h"

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "service/rpc/auth.h"
#include "service/rpc/enum_check.h"
#include "service/rpc/grpc_status.h"
#include "service/rpc/idempotency.h"
#include "service/rpc/memory_convert.h"
#include "service/tm/page_token.h"

namespace qantara::rpc {
namespace {

namespace v1 = qantara::v1;

void ToProto(const tm::TokenInfo& in, v1::TokenInfo* out) {
  out->set_name(in.name);
  out->set_role(static_cast<v1::TokenRole>(static_cast<int>(in.role)));
  for (const std::string& m : in.memories) out->add_memories(m);
  if (in.created_at_us != 0) ToTimestamp(in.created_at_us, out->mutable_create_time());
  if (in.expires_at_us != 0) ToTimestamp(in.expires_at_us, out->mutable_expire_time());
  if (in.revoked_at_us != 0) ToTimestamp(in.revoked_at_us, out->mutable_revoke_time());
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
  absl::StatusOr<int64_t> ttl_us = FromDuration(req->ttl(), "ttl");
  if (!ttl_us.ok()) return audit.Done(ToGrpcStatus(ttl_us.status()));
  token.expires_in_seconds = static_cast<uint64_t>((*ttl_us + 999999) / 1000000);
  return audit.Done(RunOnce(
      *who, req->request_id(), "CreateToken", *req, resp,
      [&] {
        tm::TokenInfo info;
        absl::StatusOr<std::string> secret = access_->CreateToken(token, who->name, &info);
        if (!secret.ok()) return ToGrpcStatus(secret.status());
        ToProto(info, resp->mutable_token());
        resp->set_secret(*secret);
        return grpc::Status::OK;
      },
      // The secret is never kept: a repeat gets the token without it.
      [](google::protobuf::Message* kept) { static_cast<v1::CreateTokenResponse*>(kept)->clear_secret(); }));
}

grpc::Status AccessServiceImpl::ListTokens(grpc::ServerContext* context, const v1::ListTokensRequest* req,
                                           v1::ListTokensResponse* resp) {
  absl::StatusOr<tm::Principal> who = Allow(context, tm::Role::kAdmin, "list tokens");
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (access_ == nullptr) return NoAuth();
  if (absl::Status s = CheckEnums(*req); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<uint32_t> size = tm::PageSize(req->page_size());
  if (!size.ok()) return ToGrpcStatus(size.status());
  const uint32_t page_size = *size;
  absl::StatusOr<std::string> after = tm::DecodePageToken(req->page_token(), tm::PageKind::kTokens, "");
  if (!after.ok()) return ToGrpcStatus(after.status());
  // Position: the last token listed, as name '\0' creation time (a name
  // comes back after a revocation).
  std::pair<std::string, int64_t> last{"", -1};
  if (!after->empty()) {
    const size_t cut = after->rfind('\0');
    if (cut == std::string::npos || !absl::SimpleAtoi(after->substr(cut + 1), &last.second)) {
      return ToGrpcStatus(absl::InvalidArgumentError("page_token: damaged"));
    }
    last.first = after->substr(0, cut);
  }
  const tm::TokenInfo* previous = nullptr;
  for (const tm::TokenInfo& t : access_->ListTokens()) {  // by name, then creation
    if (!after->empty() && std::make_pair(t.name, t.created_at_us) <= last) continue;
    if (static_cast<uint32_t>(resp->tokens_size()) == page_size) {
      resp->set_next_page_token(
          tm::EncodePageToken(tm::PageKind::kTokens, "",
                              absl::StrCat(previous->name, std::string(1, '\0'), previous->created_at_us)));
      break;
    }
    ToProto(t, resp->add_tokens());
    previous = &t;
  }
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
  return audit.Done(RunOnce(*who, req->request_id(), "RevokeToken", *req, resp, [&] {
    absl::StatusOr<tm::TokenInfo> revoked = access_->RevokeToken(req->name(), who->name);
    if (!revoked.ok()) return ToGrpcStatus(revoked.status());
    ToProto(*revoked, resp->mutable_token());
    return grpc::Status::OK;
  }));
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
  absl::StatusOr<int64_t> since = FromTimestamp(req->since(), req->has_since(), "since");
  if (!since.ok()) return ToGrpcStatus(since.status());
  const std::string binding = absl::StrCat(*since, "\n", req->memory());
  absl::StatusOr<std::string> token = tm::DecodePageToken(req->page_token(), tm::PageKind::kAudit, binding);
  if (!token.ok()) return ToGrpcStatus(token.status());
  std::string next;
  absl::StatusOr<std::vector<storage::AuditEvent>> events =
      audit_->ListAudit(*since, req->memory(), *token, req->page_size() == 0 ? 100 : req->page_size(), &next);
  if (!events.ok()) return ToGrpcStatus(events.status());
  for (const storage::AuditEvent& e : *events) {
    v1::AuditEvent* out = resp->add_events();
    ToTimestamp(e.time_us, out->mutable_time());
    out->set_who(e.who);
    out->set_action(e.action);
    out->set_memory(e.memory);
    out->set_units(e.units);
    out->set_peer(e.peer);
    out->set_outcome(e.outcome);
    out->set_detail(e.detail);
  }
  if (!next.empty()) resp->set_next_page_token(tm::EncodePageToken(tm::PageKind::kAudit, binding, next));
  return grpc::Status::OK;
}

}  // namespace qantara::rpc
