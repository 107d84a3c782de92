// AddUnits calls are atomic and carry a caller's progress mark (issue: data
// safety, "imports a client can trust"): a call that fails anywhere stores
// nothing, also past thousands of units; the mark is written with the units
// and only with them, survives a crash, and goes with its memory. A real
// RocksDB in a temp dir.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "storage/limits.h"
#include "tests/storage/memory_store_test_util.h"
#include "tests/testing/status_matchers.h"

namespace qantara::storage::testing {
namespace {

using ::qantara::testing::IsOk;
using ::qantara::testing::StatusIs;

class AtomicAddTest : public MemoryStoreTest {
 protected:
  uint64_t UnitCount(const std::string& mem) {
    auto info = memories_->GetMemory(mem);
    EXPECT_THAT(info.status(), IsOk());
    return info.ok() ? info->units : 0;
  }
  uint64_t Scanned(const std::string& mem) {
    uint64_t n = 0;
    EXPECT_THAT(memories_->ScanUnits(mem, 0,
                                     [&](const Unit&) {
                                       ++n;
                                       return absl::OkStatus();
                                     }),
                IsOk());
    return n;
  }
  std::optional<ProgressMark> Progress(const std::string& mem, const std::string& job) {
    auto p = memories_->GetProgress(mem, job);
    EXPECT_THAT(p.status(), IsOk());
    return p.ok() ? *p : std::nullopt;
  }
};

TEST_F(AtomicAddTest, ACallThatFailsAfterThousandsOfUnitsStoresNone) {
  Create("m");
  // Ids kept from the file: unit 4,500 goes back below the ones before it,
  // which the store refuses when it reaches it (after 4,499 units checked
  // and prepared for the batch).
  std::vector<Unit> units = Numbered(0, 6000);
  for (size_t i = 0; i < units.size(); ++i) units[i].id = i + 1;
  units[4500].id = 3;
  const ProgressMark mark{"job", 6000, false};
  auto out = memories_->AddUnits("m", units, DuplicatePolicy::kKeepAll, nullptr, /*keep_ids=*/true, &mark);
  EXPECT_THAT(out.status(), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(UnitCount("m"), 0u);
  EXPECT_EQ(Scanned("m"), 0u);
  EXPECT_EQ(Progress("m", "job"), std::nullopt);  // the mark goes with the units only
  EXPECT_EQ(Find("m", "unit 17 of the batch").matches.size(), 0u);

  // The same call without the bad id stores all of it, ids as given.
  units[4500].id = 4501;
  out = memories_->AddUnits("m", units, DuplicatePolicy::kKeepAll, nullptr, true, &mark);
  ASSERT_THAT(out.status(), IsOk());
  EXPECT_EQ(out->size(), 6000u);
  EXPECT_EQ(out->back().id, 6000u);
  EXPECT_EQ(UnitCount("m"), 6000u);

  // After a crash: the same units, counts and mark.
  const std::string copy = CrashCopy("crash");
  OpenAt(copy);
  EXPECT_EQ(UnitCount("m"), 6000u);
  EXPECT_EQ(Scanned("m"), 6000u);
  auto p = Progress("m", "job");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->position, 6000u);
  EXPECT_FALSE(p->complete);
  EXPECT_GT(p->updated_at_us, 0);
  const match::LookupResult found = Find("m", "unit 17 of the batch");
  ASSERT_FALSE(found.matches.empty());
  EXPECT_EQ(found.matches[0].unit.source, "unit 17 of the batch");
  EXPECT_EQ(found.matches[0].unit.id, 18u);
}

TEST_F(AtomicAddTest, AnOrderingHookThatFailsStopsTheCallBeforeItWritesAnything) {
  Create("m");
  const ProgressMark mark{"job", 5, false};
  auto out = memories_->AddUnits(
      "m", Numbered(0, 50), DuplicatePolicy::kSkipIdentical,
      [] { return absl::AbortedError("an earlier batch failed"); }, false, &mark);
  EXPECT_THAT(out.status(), StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(UnitCount("m"), 0u);
  EXPECT_EQ(Progress("m", "job"), std::nullopt);
  int called = 0;
  out = memories_->AddUnits(
      "m", Numbered(0, 50), DuplicatePolicy::kSkipIdentical,
      [&] {
        ++called;
        return absl::OkStatus();
      },
      false, &mark);
  ASSERT_THAT(out.status(), IsOk());
  EXPECT_EQ(called, 1);
  EXPECT_EQ(UnitCount("m"), 50u);
}

TEST_F(AtomicAddTest, MarksAreKeptPerJobUpdatedByEachCallAndWrittenByAnEmptyCall) {
  Create("m");
  ProgressMark a{"import:a", 10, false}, b{"import:b", 3, false};
  ASSERT_THAT(
      memories_->AddUnits("m", Numbered(0, 10), DuplicatePolicy::kSkipIdentical, nullptr, false, &a).status(),
      IsOk());
  ASSERT_THAT(memories_->AddUnits("m", Numbered(10, 13), DuplicatePolicy::kSkipIdentical, nullptr, false, &b)
                  .status(),
              IsOk());
  a.position = 25;
  ASSERT_THAT(memories_->AddUnits("m", Numbered(13, 28), DuplicatePolicy::kSkipIdentical, nullptr, false, &a)
                  .status(),
              IsOk());
  // No unit: only the mark (the end of an import whose last units were skipped).
  b.position = 4;
  b.complete = true;
  auto empty = memories_->AddUnits("m", {}, DuplicatePolicy::kSkipIdentical, nullptr, false, &b);
  ASSERT_THAT(empty.status(), IsOk());
  EXPECT_TRUE(empty->empty());
  EXPECT_EQ(Progress("m", "import:a")->position, 25u);
  EXPECT_FALSE(Progress("m", "import:a")->complete);
  EXPECT_EQ(Progress("m", "import:b")->position, 4u);
  EXPECT_TRUE(Progress("m", "import:b")->complete);
  EXPECT_EQ(Progress("m", "import:c"), std::nullopt);
  EXPECT_EQ(UnitCount("m"), 28u);
  Reopen();
  EXPECT_EQ(Progress("m", "import:a")->position, 25u);
}

TEST_F(AtomicAddTest, MarksGoWithTheirMemoryAndBadJobKeysAreRefused) {
  Create("m");
  Create("other");
  const ProgressMark mark{"import:x", 7, true};
  ASSERT_THAT(memories_->AddUnits("m", Numbered(0, 7), DuplicatePolicy::kSkipIdentical, nullptr, false, &mark)
                  .status(),
              IsOk());
  ASSERT_THAT(
      memories_->AddUnits("other", Numbered(0, 7), DuplicatePolicy::kSkipIdentical, nullptr, false, &mark)
          .status(),
      IsOk());
  ASSERT_THAT(memories_->DeleteMemory("m"), IsOk());
  EXPECT_THAT(memories_->GetProgress("m", "import:x").status(), StatusIs(absl::StatusCode::kNotFound));
  Create("m");  // a new memory of the name starts with no mark
  EXPECT_EQ(Progress("m", "import:x"), std::nullopt);
  EXPECT_EQ(Progress("other", "import:x")->position, 7u);  // the other memory keeps its own
  Reopen();
  EXPECT_EQ(Progress("m", "import:x"), std::nullopt);
  EXPECT_EQ(Progress("other", "import:x")->position, 7u);

  for (const std::string& job : {std::string(), std::string(kMaxJobKeyBytes + 1, 'k')}) {
    const ProgressMark bad{job, 1, false};
    EXPECT_THAT(
        memories_->AddUnits("m", Numbered(0, 2), DuplicatePolicy::kSkipIdentical, nullptr, false, &bad)
            .status(),
        StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_THAT(memories_->GetProgress("m", job).status(), StatusIs(absl::StatusCode::kInvalidArgument));
  }
  EXPECT_EQ(UnitCount("m"), 0u);
}

}  // namespace
}  // namespace qantara::storage::testing
