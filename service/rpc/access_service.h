// qantara.v1.AccessService: the server's API tokens over gRPC, on
// tm::AccessControl. Every rpc needs an admin token.
#ifndef QANTARA_SERVICE_RPC_ACCESS_SERVICE_H_
#define QANTARA_SERVICE_RPC_ACCESS_SERVICE_H_

#include "qantara/v1/access.grpc.pb.h"
#include "service/tm/access.h"

namespace qantara::rpc {

class AccessServiceImpl final : public qantara::v1::AccessService::Service {
 public:
  // `access`: the server's tokens, nullptr when it runs without --auth (then
  // the token rpcs fail FAILED_PRECONDITION saying so); `audit`: its audit
  // trail (kept with and without --auth), or nullptr. REQUIRES: both
  // outlive the service.
  AccessServiceImpl(tm::AccessControl* access, tm::AccessControl* audit) : access_(access), audit_(audit) {}

  grpc::Status CreateToken(grpc::ServerContext*, const qantara::v1::CreateTokenRequest*,
                           qantara::v1::CreateTokenResponse*) override;
  grpc::Status ListTokens(grpc::ServerContext*, const qantara::v1::ListTokensRequest*,
                          qantara::v1::ListTokensResponse*) override;
  grpc::Status RevokeToken(grpc::ServerContext*, const qantara::v1::RevokeTokenRequest*,
                           qantara::v1::RevokeTokenResponse*) override;
  grpc::Status ListAuditEvents(grpc::ServerContext*, const qantara::v1::ListAuditEventsRequest*,
                               qantara::v1::ListAuditEventsResponse*) override;

 private:
  tm::AccessControl* access_;
  tm::AccessControl* audit_;
};

}  // namespace qantara::rpc

#endif  // QANTARA_SERVICE_RPC_ACCESS_SERVICE_H_
