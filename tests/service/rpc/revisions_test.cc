// Unit revisions, update masks, request ids and page tokens over a real
// in-process gRPC server and a real RocksDB.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "service/rpc/idempotency.h"
#include "service/rpc/import_service.h"
#include "service/rpc/memory_service.h"
#include "service/tm/request_log.h"
#include "tests/service/rpc/rpc_test_env.h"

namespace qantara::rpc {
namespace {

namespace v1 = qantara::v1;

// The ErrorInfo reason of a failed call's google.rpc.Status details.
std::string Reason(const grpc::Status& s) {
  google::rpc::Status st;
  if (!st.ParseFromString(s.error_details())) return "(no details)";
  for (const auto& any : st.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info)) return info.reason();
  }
  return "(no ErrorInfo)";
}

class RevisionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    InstallRequestLog(&log_);
    grpc::ClientContext ctx;
    v1::CreateMemoryRequest req;
    req.set_name("m");
    req.set_source_lang("ar");
    req.set_target_lang("en");
    v1::Memory m;
    ASSERT_TRUE(stub_->CreateMemory(&ctx, req, &m).ok());
  }
  void TearDown() override { InstallRequestLog(nullptr); }

  v1::AddUnitResponse Add(const std::string& source, const std::string& target) {
    grpc::ClientContext ctx;
    v1::AddUnitRequest add;
    add.set_memory("m");
    add.mutable_unit()->set_source(source);
    add.mutable_unit()->set_target(target);
    add.mutable_unit()->mutable_attributes()->set_project("law");
    add.mutable_unit()->mutable_attributes()->set_domain("courts");
    v1::AddUnitResponse out;
    EXPECT_TRUE(stub_->AddUnit(&ctx, add, &out).ok());
    return out;
  }
  v1::Unit Get(uint64_t id) {
    grpc::ClientContext ctx;
    v1::GetUnitRequest get;
    get.set_memory("m");
    get.set_unit_id(id);
    v1::Unit u;
    EXPECT_TRUE(stub_->GetUnit(&ctx, get, &u).ok());
    return u;
  }
  grpc::Status Update(const v1::UpdateUnitRequest& req, v1::Unit* out) {
    grpc::ClientContext ctx;
    return stub_->UpdateUnit(&ctx, req, out);
  }
  uint64_t Units() {
    grpc::ClientContext ctx;
    v1::GetMemoryRequest req;
    req.set_name("m");
    v1::Memory m;
    EXPECT_TRUE(stub_->GetMemory(&ctx, req, &m).ok());
    return m.units();
  }

  testing::MemoryEnv env_;
  tm::RequestLog log_{*env_.store, absl::Hours(24)};
  MemoryServiceImpl service_{*env_.memories};
  ImportExportServiceImpl import_{*env_.memories};
  testing::TestServer server_{{&service_, &import_}};
  std::unique_ptr<v1::MemoryService::Stub> stub_ = v1::MemoryService::NewStub(server_.channel());
  std::unique_ptr<v1::ImportExportService::Stub> import_stub_ =
      v1::ImportExportService::NewStub(server_.channel());
};

TEST_F(RevisionsTest, TheSecondOfTwoEditsFromOneRevisionFailsAndLosesNothing) {
  const v1::AddUnitResponse added = Add("مرحبا", "Hello");
  EXPECT_EQ(added.revision(), 1u);
  const v1::Unit read = Get(added.unit_id());
  EXPECT_EQ(read.revision(), 1u);
  EXPECT_GT(read.create_time().seconds(), 1700000000);

  // Two translators read revision 1; the first one's edit lands.
  v1::UpdateUnitRequest first;
  first.set_memory("m");
  first.mutable_unit()->set_unit_id(added.unit_id());
  first.mutable_unit()->set_target("Hi");
  first.mutable_update_mask()->add_paths("target");
  first.set_expected_revision(1);
  v1::Unit after_first;
  ASSERT_TRUE(Update(first, &after_first).ok());
  EXPECT_EQ(after_first.revision(), 2u);

  v1::UpdateUnitRequest second;
  second.set_memory("m");
  second.mutable_unit()->set_unit_id(added.unit_id());
  second.mutable_unit()->mutable_attributes()->set_project("contracts");
  second.mutable_update_mask()->add_paths("attributes.project");
  second.set_expected_revision(1);
  v1::Unit ignored;
  grpc::Status conflict = Update(second, &ignored);
  EXPECT_EQ(conflict.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_NE(conflict.error_message().find("revision 2, not 1"), std::string::npos)
      << conflict.error_message();
  // Nothing of the second edit was written; the first stands.
  v1::Unit now = Get(added.unit_id());
  EXPECT_EQ(now.revision(), 2u);
  EXPECT_EQ(now.target(), "Hi");
  EXPECT_EQ(now.attributes().project(), "law");

  // Redone from the revision it now reads: both edits are kept.
  second.set_expected_revision(now.revision());
  v1::Unit after_second;
  ASSERT_TRUE(Update(second, &after_second).ok());
  EXPECT_EQ(after_second.revision(), 3u);
  EXPECT_EQ(after_second.target(), "Hi");
  EXPECT_EQ(after_second.attributes().project(), "contracts");
  EXPECT_EQ(after_second.attributes().domain(), "courts");
}

TEST_F(RevisionsTest, ConcurrentMaskedEditsOfOneUnitAreAllKept) {
  const uint64_t id = Add("وثيقة", "document").unit_id();
  constexpr int kWriters = 8;
  std::vector<std::thread> threads;
  std::atomic<int> conflicts{0};
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      // Read, change one key, write from the revision read; on a conflict,
      // read again and redo (what a CAT tool does).
      for (;;) {
        const v1::Unit read = Get(id);
        v1::UpdateUnitRequest req;
        req.set_memory("m");
        req.mutable_unit()->set_unit_id(id);
        const std::string key = "k" + std::to_string(w);
        (*req.mutable_unit()->mutable_attributes()->mutable_extra())[key] = "v";
        req.mutable_update_mask()->add_paths("attributes.extra." + key);
        req.set_expected_revision(read.revision());
        v1::Unit out;
        grpc::Status s = Update(req, &out);
        if (s.error_code() == grpc::StatusCode::ABORTED) {
          ++conflicts;
          continue;
        }
        EXPECT_TRUE(s.ok()) << s.error_message();
        return;
      }
    });
  }
  for (auto& t : threads) t.join();
  const v1::Unit final_unit = Get(id);
  EXPECT_EQ(final_unit.revision(), 1u + kWriters);
  EXPECT_EQ(final_unit.attributes().extra_size(), kWriters);
  EXPECT_EQ(final_unit.target(), "document");
  EXPECT_EQ(final_unit.attributes().project(), "law");
}

TEST_F(RevisionsTest, AMaskChangesOnlyItsFieldsAndUnknownPathsAreRefused) {
  const uint64_t id = Add("محكمة", "court").unit_id();
  v1::UpdateUnitRequest req;
  req.set_memory("m");
  req.mutable_unit()->set_unit_id(id);
  req.mutable_unit()->set_source("ignored: not in the mask");
  req.mutable_unit()->set_target("tribunal");
  req.mutable_update_mask()->add_paths("target");
  v1::Unit out;
  ASSERT_TRUE(Update(req, &out).ok());
  EXPECT_EQ(out.source(), "محكمة");
  EXPECT_EQ(out.target(), "tribunal");
  EXPECT_EQ(out.attributes().project(), "law");
  EXPECT_EQ(out.attributes().domain(), "courts");
  EXPECT_EQ(out.revision(), 2u);

  // An empty mask replaces the whole content (attributes included).
  v1::UpdateUnitRequest full;
  full.set_memory("m");
  full.mutable_unit()->set_unit_id(id);
  full.mutable_unit()->set_source("محكمة");
  full.mutable_unit()->set_target("court");
  ASSERT_TRUE(Update(full, &out).ok());
  EXPECT_EQ(out.attributes().project(), "");
  EXPECT_EQ(out.revision(), 3u);

  req.mutable_update_mask()->add_paths("created_by");
  grpc::Status bad = Update(req, &out);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(bad.error_message().find("update_mask: unknown path 'created_by'"), std::string::npos)
      << bad.error_message();
  EXPECT_EQ(Get(id).revision(), 3u);
}

TEST_F(RevisionsTest, ARetriedAddUnitStoresOnceAndAReusedIdIsRefused) {
  v1::AddUnitRequest add;
  add.set_memory("m");
  add.set_policy(v1::DUPLICATE_POLICY_KEEP_ALL);  // would add a second copy
  add.set_request_id("6f1c-add-1");
  add.mutable_unit()->set_source("قرار");
  add.mutable_unit()->set_target("decision");
  v1::AddUnitResponse a, b;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(stub_->AddUnit(&ctx, add, &a).ok());
  }
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(stub_->AddUnit(&ctx, add, &b).ok());
  }
  EXPECT_EQ(a.unit_id(), b.unit_id());
  EXPECT_EQ(a.outcome(), b.outcome());
  EXPECT_EQ(Units(), 1u);

  // The same id with another request: refused, nothing stored.
  add.mutable_unit()->set_target("ruling");
  grpc::ClientContext ctx;
  v1::AddUnitResponse c;
  grpc::Status s = stub_->AddUnit(&ctx, add, &c);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("already used"), std::string::npos) << s.error_message();
  EXPECT_EQ(Reason(s), "REQUEST_ID_REUSED");
  EXPECT_EQ(Units(), 1u);

  // Without a request id the same call adds again (KEEP_ALL).
  add.clear_request_id();
  grpc::ClientContext ctx2;
  ASSERT_TRUE(stub_->AddUnit(&ctx2, add, &c).ok());
  EXPECT_EQ(Units(), 2u);

  // A bad id names the field.
  add.set_request_id("has space");
  grpc::ClientContext ctx3;
  s = stub_->AddUnit(&ctx3, add, &c);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("request_id"), std::string::npos);
}

TEST_F(RevisionsTest, ARetriedAddUnitsStreamStoresOnce) {
  auto send = [&](v1::AddUnitsResponse* resp) {
    grpc::ClientContext ctx;
    auto writer = stub_->AddUnits(&ctx, resp);
    for (int chunk = 0; chunk < 3; ++chunk) {
      v1::AddUnitsRequest req;
      if (chunk == 0) {
        req.set_memory("m");
        req.set_policy(v1::DUPLICATE_POLICY_KEEP_ALL);
        req.set_request_id("stream-7");
      }
      for (int i = 0; i < 5; ++i) {
        v1::Unit* u = req.add_units();
        u->set_source("جملة " + std::to_string(chunk * 5 + i));
        u->set_target("sentence " + std::to_string(chunk * 5 + i));
      }
      EXPECT_TRUE(writer->Write(req));
    }
    writer->WritesDone();
    return writer->Finish();
  };
  v1::AddUnitsResponse first, again;
  ASSERT_TRUE(send(&first).ok());
  ASSERT_TRUE(send(&again).ok());
  EXPECT_EQ(first.added(), 15u);
  EXPECT_EQ(again.added(), 15u);
  ASSERT_EQ(again.unit_ids_size(), 15);
  for (int i = 0; i < 15; ++i) EXPECT_EQ(first.unit_ids(i), again.unit_ids(i));
  EXPECT_EQ(Units(), 15u);
}

TEST_F(RevisionsTest, ARetriedImportStoresOnce) {
  std::string tmx =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\"><header srclang=\"ar\" "
      "creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" adminlang=\"en\" "
      "datatype=\"plaintext\"/><body>\n";
  for (int i = 0; i < 30; ++i) {
    tmx += "<tu><tuv xml:lang=\"ar\"><seg>سطر " + std::to_string(i) +
           "</seg></tuv><tuv xml:lang=\"en\"><seg>line " + std::to_string(i) + "</seg></tuv></tu>\n";
  }
  tmx += "</body></tmx>\n";
  auto import = [&](v1::ImportReport* report) {
    grpc::ClientContext ctx;
    auto stream = import_stub_->Import(&ctx);
    v1::ImportRequest start;
    start.mutable_start()->set_memory("m");
    start.mutable_start()->set_file_name("t.tmx");
    start.mutable_start()->set_on_duplicate(v1::DUPLICATE_POLICY_KEEP_ALL);
    start.mutable_start()->set_request_id("import-2026-12-04");
    EXPECT_TRUE(stream->Write(start));
    v1::ImportRequest chunk;
    chunk.set_chunk(tmx);
    EXPECT_TRUE(stream->Write(chunk));
    stream->WritesDone();
    v1::ImportResponse resp;
    while (stream->Read(&resp)) {
      if (resp.has_report()) *report = resp.report();
    }
    return stream->Finish();
  };
  v1::ImportReport first, again;
  ASSERT_TRUE(import(&first).ok());
  ASSERT_TRUE(import(&again).ok());
  EXPECT_EQ(first.counts().units_added(), 30u);
  EXPECT_EQ(again.counts().units_added(), 30u);  // the first import's report
  EXPECT_EQ(Units(), 30u);
}

TEST_F(RevisionsTest, RetriedCreateAndDeleteAnswerAsTheFirstTime) {
  v1::CreateMemoryRequest create;
  create.set_name("legal");
  create.set_source_lang("ar");
  create.set_target_lang("en");
  create.set_request_id("create-legal");
  for (int i = 0; i < 2; ++i) {
    grpc::ClientContext ctx;
    v1::Memory m;
    grpc::Status s = stub_->CreateMemory(&ctx, create, &m);
    ASSERT_TRUE(s.ok()) << i << ": " << s.error_message();
    EXPECT_EQ(m.name(), "legal");
  }
  v1::DeleteMemoryRequest del;
  del.set_name("legal");
  del.set_request_id("delete-legal");
  for (int i = 0; i < 2; ++i) {
    grpc::ClientContext ctx;
    v1::DeleteMemoryResponse r;
    grpc::Status s = stub_->DeleteMemory(&ctx, del, &r);
    ASSERT_TRUE(s.ok()) << i << ": " << s.error_message();
  }
  // Without an id, a second delete is NOT_FOUND as before.
  del.clear_request_id();
  grpc::ClientContext ctx;
  v1::DeleteMemoryResponse r;
  EXPECT_EQ(stub_->DeleteMemory(&ctx, del, &r).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(RevisionsTest, ListMemoriesPagesWithOpaqueTokens) {
  for (const char* name : {"a", "b", "c", "d"}) {
    grpc::ClientContext ctx;
    v1::CreateMemoryRequest req;
    req.set_name(name);
    req.set_source_lang("ar");
    req.set_target_lang("en");
    v1::Memory m;
    ASSERT_TRUE(stub_->CreateMemory(&ctx, req, &m).ok());
  }
  std::vector<std::string> names;
  std::string token;
  int pages = 0;
  do {
    grpc::ClientContext ctx;
    v1::ListMemoriesRequest req;
    req.set_page_size(2);
    req.set_page_token(token);
    v1::ListMemoriesResponse resp;
    ASSERT_TRUE(stub_->ListMemories(&ctx, req, &resp).ok());
    for (const auto& m : resp.memories()) names.push_back(m.name());
    token = resp.next_page_token();
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "c", "d", "m"}));
  EXPECT_EQ(pages, 3);

  // A bare name (the old token) or a concordance token is refused.
  for (const std::string& bad : {std::string("b"), std::string("AQ")}) {
    grpc::ClientContext ctx;
    v1::ListMemoriesRequest req;
    req.set_page_token(bad);
    v1::ListMemoriesResponse resp;
    grpc::Status s = stub_->ListMemories(&ctx, req, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad;
    EXPECT_NE(s.error_message().find("page_token"), std::string::npos);
  }
}

}  // namespace
}  // namespace qantara::rpc
