// `qantara backup create|list DIR`: online backups of the server's data into
// a directory on the server's machine (AdminService).
#include "clients/cli/call.h"
#include "clients/cli/commands.h"
#include "clients/cli/render_backup.h"
#include "qantara/v1/admin.grpc.pb.h"

namespace qantara::cli {

namespace v1 = qantara::v1;

int RunBackupCommand(const GlobalOptions& options, const std::string& command, const BackupArgs& args) {
  const char* what = command.c_str();
  if (command == "backup create") {
    v1::CreateBackupRequest req;
    req.set_dir(args.dir);
    req.set_request_id(NewRequestId());
    // A backup takes as long as copying the data: no --timeout below an hour.
    GlobalOptions long_call = options;
    if (long_call.timeout_seconds < 3600) long_call.timeout_seconds = 3600;
    absl::StatusOr<v1::CreateBackupResponse> resp =
        Call(long_call, &v1::AdminService::Stub::CreateBackup, req);
    if (!resp.ok()) return ReportRpcError(options, what, resp.status());
    return PrintOutput(RenderBackupCreated(*resp));
  }
  if (command == "backup list") {
    v1::ListBackupsRequest req;
    req.set_dir(args.dir);
    absl::StatusOr<v1::ListBackupsResponse> resp = Call(options, &v1::AdminService::Stub::ListBackups, req);
    if (!resp.ok()) return ReportRpcError(options, what, resp.status());
    return PrintOutput(RenderBackupList(*resp, args.json));
  }
  return ReportError("backup: unknown command " + command, kExitUsage);
}

}  // namespace qantara::cli
