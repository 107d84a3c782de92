// MemoryStoreTest, the fixture of the memory_store_*_test files: memory
// store helpers (create, add, find, concordance, crash copies, held
// background index writes) over MemoryStoreFixture.
#ifndef QANTARA_TESTS_STORAGE_MEMORY_STORE_TEST_UTIL_H_
#define QANTARA_TESTS_STORAGE_MEMORY_STORE_TEST_UTIL_H_

#include <atomic>
#include <filesystem>
#include <functional>
#include <future>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "service/tm/memories.h"
#include "tests/storage/memory_store_fixture.h"

namespace qantara::storage::testing {

inline Unit U(std::string source, std::string target) {
  Unit u;
  u.source = std::move(source);
  u.target = std::move(target);
  return u;
}

// A hook that holds background index writes until released (and counts
// them), or fails them.
struct HeldWrites {
  std::promise<void> started, release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> count{0};
  std::atomic<bool> fail{false};
  std::function<absl::Status(uint32_t)> Hook() {
    return [this](uint32_t) -> absl::Status {
      if (count.fetch_add(1) == 0) {
        started.set_value();
        released.wait();
      }
      if (fail) return absl::UnavailableError("disk on fire");
      return absl::OkStatus();
    };
  }
};

// Numbered units "unit <i> of the batch" -> "t<i>", i in [from, to).
inline std::vector<Unit> Numbered(int from, int to) {
  std::vector<Unit> units;
  for (int i = from; i < to; ++i)
    units.push_back(U("unit " + std::to_string(i) + " of the batch", "t" + std::to_string(i)));
  return units;
}

// Units "open the file number <i> now" -> "t<i>", i in [0, n).
inline std::vector<Unit> OpenFileUnits(int n) {
  std::vector<Unit> units;
  for (int i = 0; i < n; ++i)
    units.push_back(U("open the file number " + std::to_string(i) + " now", "t" + std::to_string(i)));
  return units;
}

class MemoryStoreTest : public MemoryStoreFixture {
 protected:
  void SetUp() override { Reopen(); }

  // A crash: copies the live data dir (idle, so its WAL holds every write)
  // to tmp_.path(name) without its lock, drops the open stores, and returns
  // the copy's path.
  std::string CrashCopy(const std::string& name) {
    const std::string copy = tmp_.path(name);
    // A live copy is what a crash leaves, but a file that a running index
    // compaction deletes midway would fail the copy itself.
    memories_->WaitForIndexCompactions();
    std::filesystem::copy(tmp_.path("data"), copy, std::filesystem::copy_options::recursive);
    std::filesystem::remove(std::filesystem::path(copy) / "LOCK");
    memories_.reset();
    store_.reset();
    return copy;
  }

  void Create(const std::string& name, const std::string& src = "en", const std::string& tgt = "ar") {
    auto r = memories_->CreateMemory(NewMemory{name, src, tgt, "test"});
    ASSERT_TRUE(r.ok()) << r.status();
  }

  std::vector<AddOutcome> Add(const std::string& mem, std::vector<Unit> units,
                              DuplicatePolicy policy = DuplicatePolicy::kSkipIdentical) {
    auto r = memories_->AddUnits(mem, std::move(units), policy);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : std::vector<AddOutcome>{};
  }

  match::LookupResult Find(const std::string& mem, const std::string& text, double threshold = 70,
                           bool exhaustive = false, bool reverse = false) {
    tm::LookupRequest req;
    req.memories = {mem};
    req.text = text;
    req.reverse = reverse;
    req.options.threshold = threshold;
    req.options.exhaustive = exhaustive;
    auto r = memories_->Lookup(req);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : match::LookupResult{};
  }

  // Reopens with a 100-unit index buffer whose background writes go through
  // `held`, creates memory "m" and adds units [0, n): a background write
  // starts; returns once it has (held, or failed when held.fail).
  void StartBackgroundIndexWrite(HeldWrites& held, int n,
                                 DuplicatePolicy policy = DuplicatePolicy::kSkipIdentical) {
    options_.index_buffer_units = 100;
    options_.index_file_min_units = 50;
    options_.before_background_index_write = held.Hook();
    Reopen();
    Create("m");
    Add("m", Numbered(0, n), policy);
    held.started.get_future().wait();
  }

  // The indexed lookup of `q` returns the units the exhaustive scan returns, in its order.
  void ExpectIndexedEqualsExhaustive(const std::string& mem, const std::string& q, double threshold) {
    SCOPED_TRACE(q);
    auto a = Find(mem, q, threshold), b = Find(mem, q, threshold, true);
    ASSERT_EQ(a.matches.size(), b.matches.size());
    for (size_t i = 0; i < a.matches.size(); ++i) EXPECT_EQ(a.matches[i].unit.id, b.matches[i].unit.id);
  }

  // The number of concordance hits of `text` in `mem` (one page of up to 1000).
  size_t ConcordanceHits(const std::string& mem, const std::string& text) {
    tm::ConcordanceRequest c;
    c.memory = mem;
    c.text = text;
    c.page_size = 1000;
    auto hits = memories_->Concordance(c);
    EXPECT_TRUE(hits.ok()) << hits.status();
    return hits.ok() ? hits->hits.size() : 0;
  }
};

// A sentence of 3 to 8 words of a 60-word vocabulary ("w0" ... "w59", or
// `prefix` instead of "w").
inline std::string RandomSentence(std::mt19937& rng, const std::string& prefix = "w") {
  std::uniform_int_distribution<int> len(3, 8), word(0, 59);
  std::string s;
  for (int i = len(rng); i > 0; --i) {
    if (!s.empty()) s += ' ';
    s += prefix + std::to_string(word(rng));
  }
  return s;
}

// `n` units of random sentences (source words "w...", target words "t...").
inline std::vector<Unit> RandomSentences(std::mt19937& rng, int n) {
  std::vector<Unit> units;
  for (int i = 0; i < n; ++i) units.push_back(U(RandomSentence(rng), RandomSentence(rng, "t")));
  return units;
}

}  // namespace qantara::storage::testing

#endif  // QANTARA_TESTS_STORAGE_MEMORY_STORE_TEST_UTIL_H_
