// AlignService/AlignToMemory (and Align with a memory) over a real
// in-process gRPC server and a real RocksDB: the handlers' conversions (sides
// as sentence lists or raw text, attributes, the response's counts) and
// status codes. FreeDict is used when Debian's dictionaries are installed;
// the assertions hold without them too. tm::AlignToMemory itself (n-m beads,
// direction, learned lexicon) is tested without gRPC in
// tests/service/tm/align_to_memory_test.cc.
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "qantara/v1/memory.grpc.pb.h"
#include "service/align/lexicon.h"
#include "service/match/analyzer.h"
#include "service/rpc/align_service.h"
#include "service/rpc/memory_service.h"
#include "storage/lexicon_store.h"
#include "tests/service/rpc/rpc_test_env.h"
#include "tests/service/tm/tm_fixtures.h"

namespace qantara::rpc {
namespace {

namespace v1 = qantara::v1;

using tm::testing::FixtureLines;
const std::vector<std::string> kAr = FixtureLines("news.ar.txt");
const std::vector<std::string> kEn = FixtureLines("news.en.txt");

class AlignToMemoryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // One aligner for the suite: FreeDict loads once (about 2 s).
    auto service = AlignServiceImpl::Create(align::kDefaultDictdDir, nullptr);
    ASSERT_TRUE(service.ok()) << service.status();
    service_ = service->release();
  }
  static void TearDownTestSuite() { delete service_; }

  void SetUp() override {
    ASSERT_EQ(kAr.size(), 7u) << "tests/fixtures/news.ar.txt not found (QANTARA_SOURCE_DIR)";
    ASSERT_EQ(kEn.size(), 7u) << "tests/fixtures/news.en.txt not found (QANTARA_SOURCE_DIR)";
    service_->UseMemories(*env_.memories, lexicons_);
    ASSERT_TRUE(env_.memories->CreateMemory({"ar-en", "ar", "en", ""}).ok());
    ASSERT_TRUE(env_.memories->CreateMemory({"en-ar", "en-GB", "ar-EG", ""}).ok());
  }
  static v1::AlignToMemoryRequest Request(const std::string& memory) {
    v1::AlignToMemoryRequest req;
    req.set_memory(memory);
    for (const auto& s : kAr) req.mutable_arabic_sentences()->add_sentences(s);
    for (const auto& s : kEn) req.mutable_english_sentences()->add_sentences(s);
    return req;
  }
  grpc::Status Call(const v1::AlignToMemoryRequest& req, v1::AlignToMemoryResponse* resp) {
    grpc::ClientContext ctx;
    return stub_->AlignToMemory(&ctx, req, resp);
  }
  std::vector<v1::Unit> Units(const std::string& memory) {
    std::vector<v1::Unit> out;
    EXPECT_TRUE(env_.memories
                    ->ScanUnits(memory, 0,
                                [&](const match::Unit& u) {
                                  grpc::ClientContext ctx;
                                  v1::GetUnitRequest req;
                                  req.set_memory(memory);
                                  req.set_unit_id(u.id);
                                  v1::Unit got;
                                  EXPECT_TRUE(memory_stub_->GetUnit(&ctx, req, &got).ok());
                                  out.push_back(got);
                                  return absl::OkStatus();
                                })
                    .ok());
    return out;
  }
  static uint32_t Partition(const v1::AlignToMemoryResponse& r) {
    return r.stored() + r.overwritten() + r.skipped_duplicates() + r.below_threshold() + r.many_not_stored() +
           r.one_sided();
  }

  static AlignServiceImpl* service_;
  testing::MemoryEnv env_;
  storage::LexiconStore lexicons_{*env_.store};
  MemoryServiceImpl memory_service_{*env_.memories};
  testing::TestServer server_{{service_, &memory_service_}};
  std::unique_ptr<v1::AlignService::Stub> stub_ = v1::AlignService::NewStub(server_.channel());
  std::unique_ptr<v1::MemoryService::Stub> memory_stub_ = v1::MemoryService::NewStub(server_.channel());
};

AlignServiceImpl* AlignToMemoryTest::service_ = nullptr;

TEST_F(AlignToMemoryTest, StoresOneToOnePairsWithOriginConfidenceAndAttributes) {
  v1::AlignToMemoryRequest req = Request("ar-en");
  req.set_min_confidence(0);
  req.mutable_attributes()->set_project("proj");
  req.mutable_attributes()->set_domain("news");
  req.set_document("doc-1");
  req.set_user("tester");
  v1::AlignToMemoryResponse resp;
  grpc::Status st = Call(req, &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(resp.summary().beads(), 7u);
  EXPECT_EQ(resp.summary().arabic_sentences(), 7u);
  EXPECT_EQ(resp.stored(), 3u);
  EXPECT_EQ(resp.many_not_stored(), 2u);
  EXPECT_EQ(resp.one_sided(), 2u);
  EXPECT_EQ(resp.below_threshold(), 0u);
  EXPECT_EQ(Partition(resp), resp.summary().beads());
  EXPECT_EQ(resp.min_confidence(), 0.0);

  std::vector<v1::Unit> units = Units("ar-en");
  ASSERT_EQ(units.size(), 3u);
  EXPECT_EQ(units[0].source(), kAr[1]);
  EXPECT_EQ(units[0].target(), kEn[0]);
  EXPECT_EQ(units[2].source(), kAr[3]);
  EXPECT_EQ(units[2].target(), kEn[2]);
  for (const v1::Unit& u : units) {
    EXPECT_EQ(u.origin(), v1::ORIGIN_ALIGNMENT);
    EXPECT_GT(u.alignment_confidence(), 0.0);
    EXPECT_LE(u.alignment_confidence(), 1.0);
    EXPECT_EQ(u.attributes().project(), "proj");
    EXPECT_EQ(u.attributes().domain(), "news");
    EXPECT_EQ(u.attributes().extra().at("document"), "doc-1");
    EXPECT_EQ(u.created_by(), "tester");
  }
  // Context: the source texts of the neighbouring beads.
  EXPECT_EQ(units[1].context().prev(), kAr[1]);
  EXPECT_EQ(units[1].context().next(), kAr[3]);
  EXPECT_EQ(units[0].context().prev(), kAr[0]);

  // Aligning the same pair again stores nothing twice.
  v1::AlignToMemoryResponse again;
  ASSERT_TRUE(Call(req, &again).ok());
  EXPECT_EQ(again.stored(), 0u);
  EXPECT_EQ(again.skipped_duplicates(), 3u);
  EXPECT_EQ(Partition(again), again.summary().beads());
  EXPECT_EQ(Units("ar-en").size(), 3u);
}

TEST_F(AlignToMemoryTest, DefaultThresholdAndRawTextAndDryRun) {
  v1::AlignToMemoryRequest req;
  req.set_memory("ar-en");
  std::string ar, en;
  for (const auto& s : kAr) ar += s + "\n";
  for (const auto& s : kEn) en += s + "\n";
  req.set_arabic_text(ar);
  req.set_english_text(en);
  req.set_dry_run(true);
  v1::AlignToMemoryResponse resp;
  ASSERT_TRUE(Call(req, &resp).ok());
  EXPECT_DOUBLE_EQ(resp.min_confidence(), resp.summary().accept_threshold());
  EXPECT_EQ(Partition(resp), resp.summary().beads());
  EXPECT_EQ(Units("ar-en").size(), 0u);  // dry run: nothing stored
  req.set_dry_run(false);
  v1::AlignToMemoryResponse real;
  ASSERT_TRUE(Call(req, &real).ok());
  EXPECT_EQ(real.stored(), resp.stored());
  EXPECT_EQ(Units("ar-en").size(), real.stored());
  for (const v1::Unit& u : Units("ar-en")) {
    EXPECT_GE(u.alignment_confidence(), real.min_confidence());
  }
}

TEST_F(AlignToMemoryTest, Errors) {
  v1::AlignToMemoryResponse resp;
  EXPECT_EQ(Call(Request("nope"), &resp).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Call(Request(""), &resp).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  v1::AlignToMemoryRequest bad = Request("ar-en");
  bad.set_min_confidence(1.5);
  EXPECT_EQ(Call(bad, &resp).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  bad.set_min_confidence(-0.1);
  EXPECT_EQ(Call(bad, &resp).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  v1::AlignToMemoryRequest missing;
  missing.set_memory("ar-en");
  missing.set_arabic_text("نص");
  grpc::Status st = Call(missing, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("english"), std::string::npos) << st.error_message();
  // Align with an unknown memory.
  grpc::ClientContext ctx;
  v1::AlignRequest areq;
  areq.set_memory("nope");
  areq.set_arabic_text("نص");
  areq.set_english_text("text");
  auto reader = stub_->Align(&ctx, areq);
  v1::AlignResponse msg;
  while (reader->Read(&msg)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST(AlignToMemoryWithoutMemoriesTest, FailedPrecondition) {
  auto service = AlignServiceImpl::Create("", nullptr);
  ASSERT_TRUE(service.ok());
  grpc::ServerBuilder b;
  int port = 0;
  b.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  b.RegisterService(service->get());
  auto server = b.BuildAndStart();
  auto stub = v1::AlignService::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  v1::AlignToMemoryRequest req;
  req.set_memory("m");
  req.set_arabic_text("نص");
  req.set_english_text("text");
  v1::AlignToMemoryResponse resp;
  EXPECT_EQ(stub->AlignToMemory(&ctx, req, &resp).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  server->Shutdown();
}

}  // namespace
}  // namespace qantara::rpc
