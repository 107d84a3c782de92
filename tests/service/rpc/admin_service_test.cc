// AdminService over in-process gRPC on a real RocksDB: CreateBackup returns
// the backup made (ids ascending, sizes), ListBackups lists them, and bad
// directories come back with the codes the proto documents
// (INVALID_ARGUMENT, FAILED_PRECONDITION, NOT_FOUND) and messages naming them.
#include "service/rpc/admin_service.h"

#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "tests/service/rpc/rpc_test_env.h"

namespace qantara::rpc {
namespace {

namespace v1 = qantara::v1;

class AdminServiceTest : public ::testing::Test {
 protected:
  grpc::Status Create(const std::string& dir, v1::CreateBackupResponse* resp) {
    grpc::ClientContext ctx;
    v1::CreateBackupRequest req;
    req.set_dir(dir);
    return stub_->CreateBackup(&ctx, req, resp);
  }
  grpc::Status List(const std::string& dir, v1::ListBackupsResponse* resp, uint32_t page_size = 0,
                    const std::string& page_token = "") {
    grpc::ClientContext ctx;
    v1::ListBackupsRequest req;
    req.set_dir(dir);
    req.set_page_size(page_size);
    req.set_page_token(page_token);
    return stub_->ListBackups(&ctx, req, resp);
  }

  testing::MemoryEnv env_;
  AdminServiceImpl service_{*env_.store};
  testing::TestServer server_{&service_};
  std::unique_ptr<v1::AdminService::Stub> stub_ = v1::AdminService::NewStub(server_.channel());
};

TEST_F(AdminServiceTest, CreatesAndListsBackups) {
  ASSERT_TRUE(env_.memories->CreateMemory({"m", "en", "ar", ""}).ok());
  std::vector<match::Unit> units(2);
  units[0].source = "one cat";
  units[0].target = "قطة واحدة";
  units[1].source = "two cats";
  units[1].target = "قطتان";
  ASSERT_TRUE(env_.memories->AddUnits("m", units, tm::DuplicatePolicy::kSkipIdentical).ok());
  const std::string dir = env_.tmp.path("backups");
  v1::CreateBackupResponse first, second;
  ASSERT_TRUE(Create(dir, &first).ok());
  EXPECT_EQ(first.backup().id(), 1u);
  EXPECT_GT(first.backup().size_bytes(), 0u);
  EXPECT_GT(first.added_bytes(), 0u);
  EXPECT_EQ(first.backup().format_version(), static_cast<uint32_t>(storage::kFormatVersion));
  EXPECT_EQ(first.dir(), dir);
  grpc::Status s = Create(dir, &second);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(second.backup().id(), 2u);
  v1::ListBackupsResponse list;
  ASSERT_TRUE(List(dir, &list).ok());
  ASSERT_EQ(list.backups_size(), 2);
  EXPECT_EQ(list.backups(0).id(), 1u);
  EXPECT_EQ(list.backups(1).id(), 2u);
  EXPECT_GT(list.backups(1).create_time().seconds(), 0);
  EXPECT_TRUE(list.next_page_token().empty());

  // One a page: the token leads to the second, and only for this directory.
  v1::ListBackupsResponse page1, page2, other;
  ASSERT_TRUE(List(dir, &page1, 1).ok());
  ASSERT_EQ(page1.backups_size(), 1);
  EXPECT_EQ(page1.backups(0).id(), 1u);
  ASSERT_FALSE(page1.next_page_token().empty());
  ASSERT_TRUE(List(dir, &page2, 1, page1.next_page_token()).ok());
  ASSERT_EQ(page2.backups_size(), 1);
  EXPECT_EQ(page2.backups(0).id(), 2u);
  EXPECT_TRUE(page2.next_page_token().empty());
  grpc::Status bad = List(dir + "x", &other, 1, page1.next_page_token());
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(bad.error_message().find("page_token"), std::string::npos);
}

TEST_F(AdminServiceTest, BadDirectoriesGetTheirCodes) {
  v1::CreateBackupResponse resp;
  grpc::Status s = Create("relative/dir", &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("absolute"), std::string::npos);
  s = Create(env_.tmp.path("data/inside"), &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("inside the data dir"), std::string::npos);
  std::filesystem::create_directories(env_.tmp.path("busy"));
  std::ofstream(env_.tmp.path("busy/report.pdf")) << "x";
  s = Create(env_.tmp.path("busy"), &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("report.pdf"), std::string::npos);
  v1::ListBackupsResponse list;
  s = List(env_.tmp.path("nothing-here"), &list);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(s.error_message().find("nothing-here"), std::string::npos);
}

}  // namespace
}  // namespace qantara::rpc
