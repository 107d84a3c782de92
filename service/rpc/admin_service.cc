// qantara.v1.AdminService handlers: each a conversion around storage/backup.h.
#include "service/rpc/admin_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "service/base/error_details.h"
#include "service/rpc/auth.h"
#include "service/rpc/enum_check.h"
#include "service/rpc/grpc_status.h"
#include "service/rpc/idempotency.h"
#include "service/rpc/memory_convert.h"
#include "service/tm/page_token.h"
#include "storage/backup.h"

namespace qantara::rpc {

namespace v1 = qantara::v1;

namespace {

void ToProto(const storage::BackupInfo& in, v1::Backup* out) {
  out->set_id(in.id);
  ToTimestamp(in.created_at_us, out->mutable_create_time());
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
  return audit.Done(RunOnce(*who, req->request_id(), "CreateBackup", *req, resp, [&] {
    absl::StatusOr<storage::CreatedBackup> created = storage::CreateBackup(store_, req->dir());
    if (!created.ok()) return ToGrpcStatus(AboutDir(created.status()));
    ToProto(created->info, resp->mutable_backup());
    resp->set_added_bytes(created->added_bytes);
    ToDuration(created->elapsed_us, resp->mutable_elapsed());
    resp->set_dir(req->dir());
    return grpc::Status::OK;
  }));
}

grpc::Status AdminServiceImpl::ListBackups(grpc::ServerContext* context, const v1::ListBackupsRequest* req,
                                           v1::ListBackupsResponse* resp) {
  if (auto who = Allow(context, tm::Role::kAdmin, "list backups"); !who.ok())
    return ToGrpcStatus(who.status());
  if (absl::Status s = CheckEnums(*req); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<uint32_t> size = tm::PageSize(req->page_size());
  if (!size.ok()) return ToGrpcStatus(size.status());
  const uint32_t page_size = *size;
  absl::StatusOr<std::string> after =
      tm::DecodePageToken(req->page_token(), tm::PageKind::kBackups, req->dir());
  if (!after.ok()) return ToGrpcStatus(after.status());
  uint32_t after_id = 0;
  if (!after->empty() && !absl::SimpleAtoi(*after, &after_id)) {
    return ToGrpcStatus(absl::InvalidArgumentError("page_token: damaged"));
  }
  absl::StatusOr<std::vector<storage::BackupInfo>> list = storage::ListBackups(req->dir());
  if (!list.ok()) return ToGrpcStatus(AboutDir(list.status()));
  for (const storage::BackupInfo& b : *list) {  // by id
    if (b.id <= after_id) continue;
    if (static_cast<uint32_t>(resp->backups_size()) == page_size) {
      resp->set_next_page_token(tm::EncodePageToken(tm::PageKind::kBackups, req->dir(),
                                                    absl::StrCat(resp->backups(page_size - 1).id())));
      break;
    }
    ToProto(b, resp->add_backups());
  }
  return grpc::Status::OK;
}

}  // namespace qantara::rpc
