// MemoryStore::ScanUnits: every unit of one memory, in id order, from a snapshot.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "service/tm/memories.h"
#include "tests/service/match/simple_analyzer.h"
#include "tests/storage/temp_dir.h"

namespace qantara::storage {
namespace {

Unit U(std::string source, std::string target) {
  Unit u;
  u.source = std::move(source);
  u.target = std::move(target);
  return u;
}

class MemoryScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Store::Open(tmp_.path("data"));
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = *std::move(s);
    auto m = tm::Memories::Open(*store_, analyzer_);
    ASSERT_TRUE(m.ok()) << m.status();
    memories_ = *std::move(m);
    ASSERT_TRUE(memories_->CreateMemory(NewMemory{"a", "en", "ar", ""}).ok());
    ASSERT_TRUE(memories_->CreateMemory(NewMemory{"b", "ar", "en", ""}).ok());
  }

  std::vector<Unit> Scan(const std::string& mem, uint64_t after = 0) {
    std::vector<Unit> out;
    absl::Status s = memories_->ScanUnits(mem, after, [&](const Unit& u) {
      out.push_back(u);
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return out;
  }

  testing::TempDir tmp_;
  match::testing::SimpleAnalyzer analyzer_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<tm::Memories> memories_;
};

TEST_F(MemoryScanTest, ScansOneMemoryInIdOrder) {
  std::vector<Unit> units;
  for (int i = 0; i < 1500; ++i)
    units.push_back(U("source " + std::to_string(i), "هدف " + std::to_string(i)));
  units[3].attributes.project = "p";
  ASSERT_TRUE(memories_->AddUnits("a", units, DuplicatePolicy::kKeepAll).ok());
  ASSERT_TRUE(memories_->AddUnits("b", {U("مرحبا", "hello")}, DuplicatePolicy::kKeepAll).ok());
  std::vector<Unit> got = Scan("a");
  ASSERT_EQ(got.size(), 1500u);
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].id, i + 1);
    EXPECT_EQ(got[i].source, units[i].source);
    EXPECT_EQ(got[i].target, units[i].target);
  }
  EXPECT_EQ(got[3].attributes.project, "p");
  ASSERT_EQ(Scan("b").size(), 1u);
  EXPECT_EQ(Scan("b")[0].source, "مرحبا");
  // Resuming after an id.
  std::vector<Unit> tail = Scan("a", 1498);
  ASSERT_EQ(tail.size(), 2u);
  EXPECT_EQ(tail[0].id, 1499u);
}

TEST_F(MemoryScanTest, SkipsDeletedUnitsAndStopsOnError) {
  ASSERT_TRUE(
      memories_->AddUnits("a", {U("one", "١"), U("two", "٢"), U("three", "٣")}, DuplicatePolicy::kKeepAll)
          .ok());
  ASSERT_TRUE(memories_->DeleteUnits("a", {2}).ok());
  std::vector<Unit> got = Scan("a");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].source, "three");
  int calls = 0;
  absl::Status s = memories_->ScanUnits("a", 0, [&](const Unit&) {
    ++calls;
    return absl::CancelledError("stop");
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(memories_->ScanUnits("nope", 0, [](const Unit&) { return absl::OkStatus(); }).code(),
            absl::StatusCode::kNotFound);
}

TEST_F(MemoryScanTest, SeesASnapshot) {
  ASSERT_TRUE(memories_->AddUnits("a", {U("one", "١"), U("two", "٢")}, DuplicatePolicy::kKeepAll).ok());
  int seen = 0;
  absl::Status s = memories_->ScanUnits("a", 0, [&](const Unit& u) {
    ++seen;
    if (u.id == 1) {
      // Written during the scan: not part of it.
      EXPECT_TRUE(memories_->AddUnits("a", {U("three", "٣")}, DuplicatePolicy::kKeepAll).ok());
      EXPECT_TRUE(memories_->DeleteUnits("a", {2}).ok());
    }
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_EQ(seen, 2);
  EXPECT_EQ(Scan("a").size(), 2u);  // one and three
}

}  // namespace
}  // namespace qantara::storage
