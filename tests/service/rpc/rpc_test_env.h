// Test helpers for service/rpc: the memory layer on a real RocksDB in a temp
// dir (tm::testing::MemoryEnv), and an in-process gRPC server on port 0.
#ifndef QANTARA_TESTS_SERVICE_RPC_RPC_TEST_ENV_H_
#define QANTARA_TESTS_SERVICE_RPC_RPC_TEST_ENV_H_

#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/support/server_interceptor.h"
#include "tests/service/tm/tm_test_env.h"

namespace qantara::rpc::testing {

using tm::testing::MemoryEnv;

// A server on 127.0.0.1 (a free port) with `services`, shut down on
// destruction, and a channel to it.
class TestServer {
 public:
  explicit TestServer(
      std::initializer_list<grpc::Service*> services,
      std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors = {}) {
    grpc::ServerBuilder b;
    int port = 0;
    b.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    for (grpc::Service* s : services) b.RegisterService(s);
    if (!interceptors.empty()) b.experimental().SetInterceptorCreators(std::move(interceptors));
    server_ = b.BuildAndStart();
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
  }
  ~TestServer() { server_->Shutdown(); }
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }

 private:
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace qantara::rpc::testing

#endif  // QANTARA_TESTS_SERVICE_RPC_RPC_TEST_ENV_H_
