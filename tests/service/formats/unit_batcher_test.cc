// UnitBatcher: full batches committed then the rest; a commit error stops the reader.
#include "service/formats/unit_batcher.h"

#include "gtest/gtest.h"
#include "service/formats/tmx_reader.h"
#include "tests/service/formats/test_util.h"

namespace qantara::formats {
namespace {

using ::qantara::formats::testing::FixturePath;

TEST(UnitBatcherTest, CommitsFullBatchesThenTheRest) {
  std::vector<size_t> sizes;
  std::vector<std::string> ids;
  size_t problems = 0;
  UnitBatcher batcher(
      4,
      [&](std::vector<TranslationUnit>& batch) {
        sizes.push_back(batch.size());
        for (TranslationUnit& u : batch) ids.push_back(std::move(u.id));
        return absl::OkStatus();
      },
      [&](const Problem&) {
        ++problems;
        return absl::OkStatus();
      });
  TmxReader reader(ReaderOptions(), &batcher);
  ASSERT_TRUE(ReadFileInto(FixturePath("rich.tmx"), &reader, 50).ok());
  EXPECT_EQ(batcher.pending(), 2u);
  ASSERT_TRUE(batcher.Flush().ok());
  EXPECT_EQ(sizes, (std::vector<size_t>{4, 2}));
  EXPECT_EQ(ids, (std::vector<std::string>{"1", "2", "3", "4", "5", "6"}));
  EXPECT_EQ(problems, 0u);
}

TEST(UnitBatcherTest, CommitErrorStopsTheReader) {
  int commits = 0;
  UnitBatcher batcher(2, [&](std::vector<TranslationUnit>&) {
    ++commits;
    return absl::ResourceExhaustedError("disk full");
  });
  TmxReader reader(ReaderOptions(), &batcher);
  absl::Status s = ReadFileInto(FixturePath("rich.tmx"), &reader);
  EXPECT_TRUE(absl::IsResourceExhausted(s)) << s;
  EXPECT_EQ(commits, 1);
  EXPECT_TRUE(absl::IsNotFound(ReadFileInto("/nonexistent/x.tmx", &reader)));
}

}  // namespace
}  // namespace qantara::formats
