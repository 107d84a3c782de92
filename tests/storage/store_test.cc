// Store: directory created and kept across reopens, a second open refused,
// the format version written and checked, a missing database NotFound.
#include "storage/store.h"

#include <filesystem>
#include <random>
#include <string>

#include "gtest/gtest.h"

namespace qantara::storage {
namespace {

// A fresh directory under the test temp dir, removed at the end.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("qantara-store-test-" + std::to_string(rd()) + std::to_string(rd()));
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string path(const std::string& sub = "") const { return (path_ / sub).string(); }

 private:
  std::filesystem::path path_;
};

TEST(Store, CreatesMissingDirectoryAndPersistsAcrossReopen) {
  TempDir tmp;
  const std::string dir = tmp.path("a/b/data");
  {
    auto store = Store::Open(dir);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)->Put(Cf::kMeta, "k", "v").ok());
    ASSERT_TRUE((*store)->Close().ok());
    EXPECT_TRUE((*store)->Close().ok());  // idempotent
    EXPECT_EQ((*store)->Put(Cf::kMeta, "k", "v").code(), absl::StatusCode::kFailedPrecondition);
  }
  auto store = Store::Open(dir);
  ASSERT_TRUE(store.ok()) << store.status();
  auto v = (*store)->Get(Cf::kMeta, "k");
  ASSERT_TRUE(v.ok());
  ASSERT_TRUE(v->has_value());
  EXPECT_EQ(**v, "v");
  auto missing = (*store)->Get(Cf::kMeta, "nope");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST(Store, SecondOpenOfSameDirIsRefusedWithClearMessage) {
  TempDir tmp;
  auto first = Store::Open(tmp.path("d"));
  ASSERT_TRUE(first.ok()) << first.status();
  auto second = Store::Open(tmp.path("d"));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(second.status().message().find("another qantara-server"), std::string_view::npos)
      << second.status();
  // The first store is unharmed.
  EXPECT_TRUE((*first)->Put(Cf::kMeta, "x", "y").ok());
}

TEST(Store, WritesAndChecksFormatVersion) {
  TempDir tmp;
  {
    auto store = Store::Open(tmp.path("d"));
    ASSERT_TRUE(store.ok());
    auto v = (*store)->Get(Cf::kMeta, "format_version");
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->value_or(""), std::to_string(kFormatVersion));
    ASSERT_TRUE((*store)->Put(Cf::kMeta, "format_version", "999").ok());
  }
  auto reopened = Store::Open(tmp.path("d"));
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(reopened.status().message().find("999"), std::string_view::npos);
}

TEST(Store, MissingDatabaseWithoutCreateIsNotFound) {
  TempDir tmp;
  StoreOptions options;
  options.create_if_missing = false;
  EXPECT_EQ(Store::Open(tmp.path("none"), options).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace qantara::storage
