// qantara.v1.ServerService: what a client should know of the server (its
// version, the gRPC service config of service_config.h, its request limits).
#ifndef QANTARA_SERVICE_RPC_SERVER_SERVICE_H_
#define QANTARA_SERVICE_RPC_SERVER_SERVICE_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "qantara/v1/server.grpc.pb.h"
#include "service/tm/request_limits.h"

namespace qantara::rpc {

// What GetServerInfo tells.
struct ServerFacts {
  std::string version;                  // "0.1.0"
  uint32_t storage_format_version = 0;  // storage::kFormatVersion
  tm::RequestLimits limits;             // the server's request limits
  size_t max_message_bytes = 0;         // the gRPC message limit
};

class ServerServiceImpl final : public qantara::v1::ServerService::Service {
 public:
  // Builds the answer (and the service config) once.
  explicit ServerServiceImpl(const ServerFacts& facts);

  // Any caller with a valid token (with --auth), of any role.
  grpc::Status GetServerInfo(grpc::ServerContext*, const qantara::v1::GetServerInfoRequest*,
                             qantara::v1::ServerInfo*) override;

 private:
  qantara::v1::ServerInfo info_;
};

}  // namespace qantara::rpc

#endif  // QANTARA_SERVICE_RPC_SERVER_SERVICE_H_
