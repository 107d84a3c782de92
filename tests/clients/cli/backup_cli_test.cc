// `qantara backup create|list DIR` with no server: the command line (`--`
// keeps a directory starting with '-' positional; DIR is required) and the
// output of the server's answers (clients/cli/render_backup.h).
#include <memory>
#include <string>
#include <vector>

#include "clients/cli/args.h"
#include "clients/cli/render_backup.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace qantara::cli {
namespace {

namespace v1 = qantara::v1;
using ::testing::HasSubstr;

TEST(BackupArgsTest, CreateAndList) {
  auto create = ParseCommandLine({"backup", "create", "/srv/backups"});
  ASSERT_TRUE(create.ok()) << create.status();
  EXPECT_EQ((*create)->command, "backup create");
  EXPECT_EQ((*create)->backup.dir, "/srv/backups");
  auto list = ParseCommandLine({"backup", "list", "--json", "--", "-odd"});
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ((*list)->command, "backup list");
  EXPECT_EQ((*list)->backup.dir, "-odd");
  EXPECT_TRUE((*list)->backup.json);
}

TEST(BackupArgsTest, DirIsRequiredAndASubcommandToo) {
  EXPECT_EQ(ParseCommandLine({"backup", "create"}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseCommandLine({"backup"}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseCommandLine({"backup", "restore", "/x"}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(BackupRenderTest, Created) {
  v1::CreateBackupResponse resp;
  resp.mutable_backup()->set_id(3);
  resp.mutable_backup()->set_size_bytes(5 * 1024 * 1024);
  resp.mutable_backup()->set_files(12);
  resp.set_added_bytes(1536);
  resp.mutable_elapsed()->set_seconds(2);
  resp.mutable_elapsed()->set_nanos(500000000);
  resp.set_dir("/srv/b");
  EXPECT_EQ(RenderBackupCreated(resp),
            "created backup 3 in /srv/b: 5.0 MiB (1.5 KiB new), 12 files, 2.5 s\n");
}

TEST(BackupRenderTest, ListAsTextAndJson) {
  v1::ListBackupsResponse resp;
  for (uint32_t id : {1, 2}) {
    v1::Backup* b = resp.add_backups();
    b->set_id(id);
    b->mutable_create_time()->set_seconds(1700000000 + id);
    b->set_size_bytes(100 * id);
    b->set_files(4);
    b->set_format_version(3);
  }
  const std::string text = RenderBackupList(resp, false);
  EXPECT_THAT(text, HasSubstr("ID\tCREATED\tSIZE\tFILES\tFORMAT\n"));
  EXPECT_THAT(text, HasSubstr("2\t2023-11-14T22:13:22Z\t200 B\t4\t3\n"));
  nlohmann::json j = nlohmann::json::parse(RenderBackupList(resp, true));
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[1]["id"], 2);
  EXPECT_EQ(j[1]["size_bytes"], 200);
  EXPECT_EQ(j[1]["created_at"], "2023-11-14T22:13:22Z");
  EXPECT_EQ(j[0]["format_version"], 3);
}

TEST(BackupRenderTest, HumanBytes) {
  EXPECT_EQ(HumanBytes(0), "0 B");
  EXPECT_EQ(HumanBytes(1023), "1023 B");
  EXPECT_EQ(HumanBytes(1024), "1.0 KiB");
  EXPECT_EQ(HumanBytes(3ull << 30), "3.0 GiB");
}

}  // namespace
}  // namespace qantara::cli
