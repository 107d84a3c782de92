// qantara.v1.ServerService handlers.
#include "service/rpc/server_service.h"

#include "service/rpc/auth.h"
#include "service/rpc/enum_check.h"
#include "service/rpc/grpc_status.h"
#include "service/rpc/service_config.h"

namespace qantara::rpc {

namespace v1 = qantara::v1;

ServerServiceImpl::ServerServiceImpl(const ServerFacts& facts) {
  info_.set_version(facts.version);
  info_.set_storage_format_version(facts.storage_format_version);
  info_.set_service_config_json(QantaraServiceConfigJson());
  const tm::RequestLimits& in = facts.limits;
  v1::RequestLimits* out = info_.mutable_limits();
  out->set_max_results(in.max_results);
  out->set_max_lookup_memories(static_cast<uint32_t>(in.max_lookup_memories));
  out->set_max_query_bytes(in.max_query_bytes);
  out->set_max_query_tokens(in.max_query_tokens);
  out->set_max_batch_segments(in.max_batch_segments);
  out->set_max_units_per_call(in.max_units_per_call);
  out->set_max_unit_ids(in.max_unit_ids);
  out->set_max_document_bytes(in.max_document_bytes);
  out->set_max_align_sentences(in.max_align_sentences);
  out->set_max_srx_bytes(in.max_srx_bytes);
  out->set_allow_exhaustive(in.allow_exhaustive);
  out->set_max_message_bytes(facts.max_message_bytes);
}

grpc::Status ServerServiceImpl::GetServerInfo(grpc::ServerContext* context,
                                              const v1::GetServerInfoRequest* req, v1::ServerInfo* resp) {
  if (auto who = Allow(context, tm::Role::kReader, "get server info"); !who.ok()) {
    return ToGrpcStatus(who.status());
  }
  if (absl::Status s = CheckEnums(*req); !s.ok()) return ToGrpcStatus(s);
  *resp = info_;
  return grpc::Status::OK;
}

}  // namespace qantara::rpc
