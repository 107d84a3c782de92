// qantara.v1.AccessService: the server's API tokens over gRPC, on
// tm::AccessControl. Every rpc needs an admin token.
#ifndef QANTARA_SERVICE_RPC_ACCESS_SERVICE_H_
#define QANTARA_SERVICE_RPC_ACCESS_SERVICE_H_

#include "qantara/v1/access.grpc.pb.h"
#include "service/tm/access.h"

namespace qantara::rpc {

class AccessServiceImpl final : public qantara::v1::AccessService::Service {
 public:
  // `access`: the server's tokens; nullptr when it runs without --auth (then
  // every rpc fails FAILED_PRECONDITION saying so). REQUIRES: it outlives
  // the service.
  explicit AccessServiceImpl(tm::AccessControl* access) : access_(access) {}

  grpc::Status CreateToken(grpc::ServerContext*, const qantara::v1::CreateTokenRequest*,
                           qantara::v1::CreateTokenResponse*) override;
  grpc::Status ListTokens(grpc::ServerContext*, const qantara::v1::ListTokensRequest*,
                          qantara::v1::ListTokensResponse*) override;
  grpc::Status RevokeToken(grpc::ServerContext*, const qantara::v1::RevokeTokenRequest*,
                           qantara::v1::RevokeTokenResponse*) override;

 private:
  tm::AccessControl* access_;
};

}  // namespace qantara::rpc

#endif  // QANTARA_SERVICE_RPC_ACCESS_SERVICE_H_
