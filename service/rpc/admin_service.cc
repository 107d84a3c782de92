// qantara.v1.AdminService handlers: each a conversion around storage/backup.h.
#include "service/rpc/admin_service.h"

#include "service/base/error_details.h"
#include "service/rpc/auth.h"
#include "service/rpc/enum_check.h"
#include "service/rpc/grpc_status.h"
#include "storage/backup.h"

namespace qantara::rpc {

namespace v1 = qantara::v1;

namespace {

void ToProto(const storage::BackupInfo& in, v1::Backup* out) {
  out->set_id(in.id);
  out->set_created_at_us(in.created_at_us);
  out->set_size_bytes(in.size_bytes);
  out->set_files(in.files);
  out->set_format_version(static_cast<uint32_t>(in.format_version));
}

// Storage's refusals of a request's backup dir are about the field `dir`.
absl::Status AboutDir(const absl::Status& s) {
  if (s.code() != absl::StatusCode::kInvalidArgument || ErrorField(s).has_value()) return s;
  return WithField(s, "dir");
}

}  // namespace

grpc::Status AdminServiceImpl::CreateBackup(grpc::ServerContext* context, const v1::CreateBackupRequest* req,
                                            v1::CreateBackupResponse* resp) {
  AuditedCall audit(context, "CreateBackup");
  audit.set_detail(req->dir());
  absl::StatusOr<tm::Principal> who = Allow(context, tm::Role::kAdmin, "create backups");
  if (!who.ok()) return audit.Done(ToGrpcStatus(who.status()));
  audit.set_who(*who);
  if (absl::Status s = CheckEnums(*req); !s.ok()) return audit.Done(ToGrpcStatus(s));
  absl::StatusOr<storage::CreatedBackup> created = storage::CreateBackup(store_, req->dir());
  if (!created.ok()) return audit.Done(ToGrpcStatus(AboutDir(created.status())));
  ToProto(created->info, resp->mutable_backup());
  resp->set_added_bytes(created->added_bytes);
  resp->set_elapsed_ms(static_cast<uint64_t>(created->elapsed_us / 1000));
  resp->set_dir(req->dir());
  return audit.Done(grpc::Status::OK);
}

grpc::Status AdminServiceImpl::ListBackups(grpc::ServerContext* context, const v1::ListBackupsRequest* req,
                                           v1::ListBackupsResponse* resp) {
  if (auto who = Allow(context, tm::Role::kAdmin, "list backups"); !who.ok())
    return ToGrpcStatus(who.status());
  if (absl::Status s = CheckEnums(*req); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<std::vector<storage::BackupInfo>> list = storage::ListBackups(req->dir());
  if (!list.ok()) return ToGrpcStatus(AboutDir(list.status()));
  for (const storage::BackupInfo& b : *list) ToProto(b, resp->add_backups());
  return grpc::Status::OK;
}

}  // namespace qantara::rpc
