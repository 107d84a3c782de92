// MemoryService over a real in-process gRPC server and a real RocksDB.
#include "service/rpc/memory_service.h"

#include "gtest/gtest.h"
#include "service/base/low_priority.h"
#include "tests/service/rpc/rpc_test_env.h"

namespace qantara::rpc {
namespace {

namespace v1 = qantara::v1;

class MemoryServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ClientContext ctx;
    v1::CreateMemoryRequest req;
    req.set_name("m");
    req.set_source_lang("ar");
    req.set_target_lang("en");
    v1::Memory m;
    ASSERT_TRUE(stub_->CreateMemory(&ctx, req, &m).ok());
  }

  testing::MemoryEnv env_;
  MemoryServiceImpl service_{*env_.memories};
  testing::TestServer server_{{&service_}};
  std::unique_ptr<v1::MemoryService::Stub> stub_ = v1::MemoryService::NewStub(server_.channel());
};

TEST_F(MemoryServiceTest, StreamedAddThenBatchLookupAndStats) {
  {
    grpc::ClientContext ctx;
    v1::AddUnitsResponse resp;
    auto writer = stub_->AddUnits(&ctx, &resp);
    for (int chunk = 0; chunk < 3; ++chunk) {
      v1::AddUnitsRequest req;
      if (chunk == 0) req.set_memory("m");
      for (int i = 0; i < 4; ++i) {
        v1::Unit* u = req.add_units();
        u->set_source("الجملة رقم " + std::to_string(chunk * 4 + i) + " في الملف");
        u->set_target("sentence " + std::to_string(chunk * 4 + i));
      }
      ASSERT_TRUE(writer->Write(req));
    }
    v1::AddUnitsRequest dup;  // an identical pair: skipped by default
    v1::Unit* u = dup.add_units();
    u->set_source("الجملة رقم 0 في الملف");
    u->set_target("sentence 0");
    ASSERT_TRUE(writer->Write(dup));
    writer->WritesDone();
    ASSERT_TRUE(writer->Finish().ok());
    EXPECT_EQ(resp.added(), 12u);
    EXPECT_EQ(resp.skipped(), 1u);
    EXPECT_EQ(resp.unit_ids_size(), 13);
  }
  grpc::ClientContext ctx;
  v1::BatchLookupRequest req;
  req.mutable_options()->add_memories("m");
  req.add_segments("الجملة رقم 5 في الملف");
  req.add_segments("لا شيء هنا");
  req.add_segments("sentence 7");
  auto reader = stub_->BatchLookup(&ctx, req);
  std::vector<v1::BatchLookupResponse> got;
  v1::BatchLookupResponse r;
  while (reader->Read(&r)) got.push_back(r);
  ASSERT_TRUE(reader->Finish().ok());
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].index(), 0u);
  ASSERT_GE(got[0].result().matches_size(), 1);
  EXPECT_EQ(got[0].result().matches(0).score(), 100);
  EXPECT_EQ(got[0].result().matches(0).target(), "sentence 5");
  EXPECT_EQ(got[0].result().matches(0).memory(), "m");
  EXPECT_EQ(got[1].result().matches_size(), 0);
  EXPECT_EQ(got[2].result().matches_size(), 0);  // English text, forward lookup

  grpc::ClientContext sctx;
  v1::StatsResponse stats;
  ASSERT_TRUE(stub_->Stats(&sctx, v1::StatsRequest(), &stats).ok());
  EXPECT_EQ(stats.memories(), 1u);
  EXPECT_EQ(stats.units(), 12u);
  // The lookups above read lists through the bounded caches.
  EXPECT_EQ(stats.cache_budget_bytes(), qantara::storage::MemoryStoreOptions{}.cache_bytes);
  EXPECT_GT(stats.cached_bytes(), 0u);
  EXPECT_LE(stats.cached_bytes(), stats.cache_budget_bytes());
  EXPECT_GT(stats.cache_misses(), 0u);
}

// An exhaustive batch: the same per-segment results as an ordinary one, all
// looked up on one low-priority thread for the call (not one a segment).
TEST_F(MemoryServiceTest, ExhaustiveBatchLookupRunsOnOneLowPriorityThread) {
  {
    grpc::ClientContext ctx;
    v1::AddUnitsResponse resp;
    auto writer = stub_->AddUnits(&ctx, &resp);
    v1::AddUnitsRequest req;
    req.set_memory("m");
    for (int i = 0; i < 4; ++i) {
      v1::Unit* u = req.add_units();
      u->set_source("الجملة رقم " + std::to_string(i) + " في الملف");
      u->set_target("sentence " + std::to_string(i));
    }
    ASSERT_TRUE(writer->Write(req));
    writer->WritesDone();
    ASSERT_TRUE(writer->Finish().ok());
    ASSERT_EQ(resp.added(), 4u);
  }
  auto batch = [&](bool exhaustive) {
    grpc::ClientContext ctx;
    v1::BatchLookupRequest req;
    req.mutable_options()->add_memories("m");
    req.mutable_options()->set_exhaustive(exhaustive);
    req.add_segments("الجملة رقم 2 في الملف");
    req.add_segments("لا شيء هنا");
    req.add_segments("الجملة رقم 3 في الملف");
    auto reader = stub_->BatchLookup(&ctx, req);
    std::vector<v1::BatchLookupResponse> got;
    v1::BatchLookupResponse r;
    while (reader->Read(&r)) got.push_back(r);
    EXPECT_TRUE(reader->Finish().ok());
    return got;
  };
  const uint64_t before = LowPriorityThreadsStarted();
  const std::vector<v1::BatchLookupResponse> plain = batch(false);
  EXPECT_EQ(LowPriorityThreadsStarted(), before);
  const std::vector<v1::BatchLookupResponse> got = batch(true);
  EXPECT_EQ(LowPriorityThreadsStarted(), before + 1);
  ASSERT_EQ(got.size(), 3u);
  ASSERT_EQ(plain.size(), 3u);
  for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].index(), i);
  ASSERT_GE(got[0].result().matches_size(), 1);
  EXPECT_EQ(got[0].result().matches(0).score(), 100);
  EXPECT_EQ(got[0].result().matches(0).target(), "sentence 2");
  ASSERT_GE(got[2].result().matches_size(), 1);
  EXPECT_EQ(got[2].result().matches(0).target(), "sentence 3");
  // Exhaustive finds at least what the ordinary lookup finds.
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_GE(got[i].result().matches_size(), plain[i].result().matches_size()) << i;
  }
}

TEST_F(MemoryServiceTest, UnitCrudAndErrors) {
  grpc::ClientContext ctx;
  v1::AddUnitRequest add;
  add.set_memory("m");
  add.mutable_unit()->set_source("مرحبا");
  add.mutable_unit()->set_target("Hello");
  add.mutable_unit()->mutable_attributes()->set_project("p");
  v1::AddUnitResponse added;
  ASSERT_TRUE(stub_->AddUnit(&ctx, add, &added).ok());
  EXPECT_EQ(added.outcome(), v1::ADD_OUTCOME_ADDED);

  grpc::ClientContext uctx;
  v1::UpdateUnitRequest upd;
  upd.set_memory("m");
  upd.mutable_unit()->set_unit_id(added.unit_id());
  upd.mutable_unit()->set_source("أهلا");
  upd.mutable_unit()->set_target("Hi");
  v1::Unit updated;
  ASSERT_TRUE(stub_->UpdateUnit(&uctx, upd, &updated).ok());
  EXPECT_EQ(updated.target(), "Hi");

  grpc::ClientContext lctx;
  v1::LookupRequest look;
  look.add_memories("m");
  look.set_text("Hi");
  look.set_reverse(true);
  v1::LookupResponse found;
  ASSERT_TRUE(stub_->Lookup(&lctx, look, &found).ok());
  ASSERT_EQ(found.matches_size(), 1);
  EXPECT_EQ(found.matches(0).source(), "Hi");
  EXPECT_EQ(found.matches(0).target(), "أهلا");

  grpc::ClientContext dctx;
  v1::DeleteUnitsRequest del;
  del.set_memory("m");
  del.add_unit_ids(added.unit_id());
  v1::DeleteUnitsResponse deleted;
  ASSERT_TRUE(stub_->DeleteUnits(&dctx, del, &deleted).ok());
  EXPECT_EQ(deleted.deleted(), 1u);

  grpc::ClientContext gctx;
  v1::GetUnitRequest get;
  get.set_memory("m");
  get.set_unit_id(added.unit_id());
  v1::Unit u;
  EXPECT_EQ(stub_->GetUnit(&gctx, get, &u).error_code(), grpc::StatusCode::NOT_FOUND);

  grpc::ClientContext cctx;
  v1::CreateMemoryRequest bad;
  bad.set_name("x");
  bad.set_source_lang("ar");
  bad.set_target_lang("ar");
  v1::Memory m;
  EXPECT_EQ(stub_->CreateMemory(&cctx, bad, &m).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace qantara::rpc
