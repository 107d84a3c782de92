// Admission control and the stall watchdog at the gRPC edge
// (service/rpc/call_admission.h) on an in-process server: a stream whose
// client never sends is cancelled after the stall limit while unary calls go
// on; a stream over the slots is refused naming the limit; a slow but
// steady client is not cancelled.
#include "service/rpc/call_admission.h"

#include <chrono>
#include <thread>

#include "gtest/gtest.h"
#include "service/rpc/memory_service.h"
#include "tests/service/rpc/rpc_test_env.h"

namespace qantara::rpc {
namespace {

namespace v1 = qantara::v1;
using Clock = std::chrono::steady_clock;

class CallAdmissionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AdmissionConfig config;
    config.heavy.slots = 1;
    config.heavy.queue = 0;
    config.heavy.flag = "--max-heavy-calls";
    config.streams.name = "streaming calls";
    config.streams.flag = "--max-streams";
    config.streams.slots = 1;
    config.streams.queue = 0;
    config.stream_stall = absl::Milliseconds(300);
    InstallAdmission(config);
    grpc::ServerBuilder b;
    int port = 0;
    b.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    b.RegisterService(&service_);
    b.experimental().SetInterceptorCreators(AdmissionInterceptors());
    server_ = b.BuildAndStart();
    stub_ = v1::MemoryService::NewStub(
        grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
    grpc::ClientContext ctx;
    v1::CreateMemoryRequest req;
    req.set_name("m");
    req.set_source_lang("ar");
    req.set_target_lang("en");
    v1::Memory m;
    ASSERT_TRUE(stub_->CreateMemory(&ctx, req, &m).ok());
  }
  void TearDown() override {
    server_->Shutdown();
    server_->Wait();
    UninstallAdmission();
  }

  bool LookupOk() {
    grpc::ClientContext ctx;
    v1::LookupRequest req;
    req.add_memories("m");
    req.set_text("نص");
    v1::LookupResponse resp;
    return stub_->Lookup(&ctx, req, &resp).ok();
  }

  testing::MemoryEnv env_;
  MemoryServiceImpl service_{*env_.memories};
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::MemoryService::Stub> stub_;
};

TEST_F(CallAdmissionTest, AStreamWhoseClientNeverSendsIsCancelled) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  v1::AddUnitsResponse resp;
  const auto t0 = Clock::now();
  auto writer = stub_->AddUnits(&ctx, &resp);
  // Unary calls are served meanwhile.
  EXPECT_TRUE(LookupOk());
  const grpc::Status s = writer->Finish();
  const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::CANCELLED) << s.error_message();
  EXPECT_GE(secs, 0.25);
  EXPECT_LT(secs, 10);
  EXPECT_EQ(GetAdmissionStats().stalled_cancelled, 1u);
  EXPECT_TRUE(LookupOk());
}

TEST_F(CallAdmissionTest, AStreamOverTheSlotsIsRefusedNamingTheLimit) {
  grpc::ClientContext stalled_ctx;
  v1::AddUnitsResponse stalled_resp;
  auto stalled = stub_->AddUnits(&stalled_ctx, &stalled_resp);
  while (GetAdmissionStats().streams.running == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  grpc::ClientContext ctx;
  v1::AddUnitsResponse resp;
  auto writer = stub_->AddUnits(&ctx, &resp);
  const grpc::Status s = writer->Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(s.error_message().find("AddUnits: too many streaming calls (1 at once (--max-streams)"),
            std::string::npos)
      << s.error_message();
  EXPECT_EQ(stalled->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

TEST_F(CallAdmissionTest, ASlowButSteadyClientIsNotCancelled) {
  grpc::ClientContext ctx;
  v1::AddUnitsResponse resp;
  auto writer = stub_->AddUnits(&ctx, &resp);
  for (int chunk = 0; chunk < 6; ++chunk) {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));  // under the 300 ms limit
    v1::AddUnitsRequest req;
    req.set_memory("m");
    v1::Unit* u = req.add_units();
    u->set_source("جملة " + std::to_string(chunk));
    u->set_target("sentence " + std::to_string(chunk));
    ASSERT_TRUE(writer->Write(req));
  }
  writer->WritesDone();
  const grpc::Status s = writer->Finish();
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.added(), 6u);
  EXPECT_EQ(GetAdmissionStats().stalled_cancelled, 0u);
}

}  // namespace
}  // namespace qantara::rpc
