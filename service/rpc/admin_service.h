// qantara.v1.AdminService: online backups of the data dir over gRPC, on
// storage's backups (storage/backup.h).
#ifndef QANTARA_SERVICE_RPC_ADMIN_SERVICE_H_
#define QANTARA_SERVICE_RPC_ADMIN_SERVICE_H_

#include "qantara/v1/admin.grpc.pb.h"
#include "storage/store.h"

namespace qantara::rpc {

class AdminServiceImpl final : public qantara::v1::AdminService::Service {
 public:
  // REQUIRES: `store` outlives the service.
  explicit AdminServiceImpl(storage::Store& store) : store_(store) {}

  grpc::Status CreateBackup(grpc::ServerContext*, const qantara::v1::CreateBackupRequest*,
                            qantara::v1::CreateBackupResponse*) override;
  grpc::Status ListBackups(grpc::ServerContext*, const qantara::v1::ListBackupsRequest*,
                           qantara::v1::ListBackupsResponse*) override;

 private:
  storage::Store& store_;
};

}  // namespace qantara::rpc

#endif  // QANTARA_SERVICE_RPC_ADMIN_SERVICE_H_
