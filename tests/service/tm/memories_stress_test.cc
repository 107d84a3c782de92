// Concurrency stress of tm::Memories on a real RocksDB (also run under
// ThreadSanitizer by tests/tsan/run_tsan.sh): threads create, delete, add
// to (pinned and by name), import into, look up and search the SAME three
// memory names at once, with tiny index buffers, ingested index files,
// compactions and cache evictions all happening underneath, and the
// warm-up running. Then a shutdown under load: the callers are told to stop
// and the Memories and the Store are closed as soon as their calls have
// returned (as the server does once its calls are drained), with background
// index writes, compactions and the warm-up in flight. Checked:
//   - every call returns OK or the error its contract names for a race
//     (NotFound, AlreadyExists, Cancelled), nothing else, and no crash;
//   - after reopening, every unit acknowledged to a memory that was not
//     deleted afterwards is there, exactly once;
//   - no deleted memory comes back, and none of the units acknowledged to
//     a deleted memory shows up in any memory.
// Two rounds: the second runs on the reopened data dir (index buffers
// rebuilt from the units' keys at open).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "service/match/analyzer.h"
#include "service/tm/importer.h"
#include "service/tm/memories.h"
#include "storage/store.h"
#include "tests/service/tm/tm_fixtures.h"
#include "tests/storage/temp_dir.h"

namespace qantara::tm {
namespace {

using std::chrono::milliseconds;

constexpr int kNames = 3;
// How long the callers run each round (wall time: under TSan each call is
// slower and fewer are made, which is fine).
constexpr milliseconds kLoad{1500};

std::string Name(int i) { return absl::StrCat("s", i); }

// What the callers were told, collected for the checks after reopening.
class Ledger {
 public:
  // Units acknowledged (AddUnits or a whole import returned OK) to memory
  // `id`, by their unique tokens.
  void Acked(uint32_t id, const std::vector<std::string>& tokens) {
    std::lock_guard<std::mutex> l(mu_);
    for (const auto& t : tokens) acked_[id].insert(t);
  }
  // Tokens sent in a call that may have stored them in memory `id` (a call
  // by name may reach any memory that had the name meanwhile: id 0).
  void Sent(uint32_t id, const std::vector<std::string>& tokens) {
    std::lock_guard<std::mutex> l(mu_);
    for (const auto& t : tokens) sent_[t] = id;
  }
  void Deleted(uint32_t id) {
    std::lock_guard<std::mutex> l(mu_);
    deleted_.insert(id);
  }
  // An error that is not one a race may give.
  void Unexpected(const std::string& call, const absl::Status& s) {
    std::lock_guard<std::mutex> l(mu_);
    unexpected_.push_back(absl::StrCat(call, ": ", s.ToString()));
  }
  void Count(const std::string& what) {
    std::lock_guard<std::mutex> l(mu_);
    ++counts_[what];
  }

  std::mutex mu_;
  std::map<uint32_t, std::set<std::string>> acked_;
  std::map<std::string, uint32_t> sent_;  // token -> memory id it was pinned to (0: by name)
  std::set<uint32_t> deleted_;
  std::vector<std::string> unexpected_;
  std::map<std::string, int> counts_;
};

// OK, or an error a call racing with deletes, creates and a shutdown may
// return.
bool Expected(const absl::Status& s) {
  return s.ok() || absl::IsNotFound(s) || absl::IsAlreadyExists(s) || absl::IsCancelled(s);
}

// The unique token inside a unit's source ("<words> tok... <words>").
std::string TokenOf(const std::string& source) {
  const size_t at = source.find("tok");
  if (at == std::string::npos) return "";
  return source.substr(at, source.find(' ', at) - at);
}

class MemoriesStressTest : public ::testing::Test {
 protected:
  void Open() {
    auto store = storage::Store::Open(tmp_.path("data"));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    storage::MemoryStoreOptions options;
    options.index_buffer_units = 40;    // background index writes every 40 units
    options.index_file_min_units = 20;  // most of them ingested as files
    options.compact_after_quiet = milliseconds(30);
    options.compact_min_runs = 2;
    options.cache_bytes = 16 << 10;  // posting lists evicted all the time
    options.source_filter_min_units = 10;
    auto memories = Memories::Open(*store_, *analyzer_, options);
    ASSERT_TRUE(memories.ok()) << memories.status();
    memories_ = *std::move(memories);
  }

  // Closes what is open right away: the Memories' destructor ends the
  // background work in flight (index writes, compactions, the warm-up).
  void Close() {
    memories_.reset();
    ASSERT_TRUE(store_->Close().ok());
    store_.reset();
  }

  // Runs the callers for kLoad, then stops them and closes at once.
  void RunRound(int round) {
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    memories_->StartWarmUp();

    // Creates and deletes the names.
    threads.emplace_back([&, seed = round * 100 + 1] {
      std::mt19937 rng(seed);
      while (!stop.load()) {
        const std::string name = Name(rng() % kNames);
        if (rng() % 2 == 0) {
          auto created = memories_->CreateMemory(NewMemory{name, "en", "ar", ""});
          if (!Expected(created.status())) ledger_.Unexpected("CreateMemory", created.status());
          ledger_.Count(created.ok() ? "created" : "create refused");
        } else {
          auto info = memories_->GetMemory(name);
          if (!info.ok()) {
            if (!Expected(info.status())) ledger_.Unexpected("GetMemory", info.status());
            continue;
          }
          absl::Status s = memories_->DeleteMemory(MemoryRef(*info));
          if (s.ok()) ledger_.Deleted(info->id);
          if (!Expected(s)) ledger_.Unexpected("DeleteMemory", s);
          ledger_.Count(s.ok() ? "deleted" : "delete refused");
        }
        std::this_thread::sleep_for(milliseconds(rng() % 40));
      }
    });

    // Adders: pinned to a memory by id, or by name.
    for (int t = 0; t < 2; ++t) {
      threads.emplace_back([&, t, seed = round * 100 + 10 + t] {
        std::mt19937 rng(seed);
        for (int seq = 0; !stop.load(); ++seq) {
          const std::string name = Name(rng() % kNames);
          std::vector<Unit> units;
          std::vector<std::string> tokens;
          const int n = 1 + rng() % 15;
          for (int i = 0; i < n; ++i) {
            const std::string token = absl::StrCat("tok", round, "r", t, "t", seq, "x", i);
            Unit u;
            u.source = absl::StrCat("the quick brown fox ", token, " jumps over the lazy dog ", i % 5);
            u.target = absl::StrCat("الثعلب البني السريع ", i % 7);
            units.push_back(std::move(u));
            tokens.push_back(token);
          }
          // Pinned: to the memory by id. By name: to whichever memory has
          // the name during the call; when it had the same id before and
          // after the call, that one (ids are never reused).
          const bool pinned = rng() % 2 == 0;
          auto info = memories_->GetMemory(name);
          if (pinned && !info.ok()) continue;
          const uint32_t before = info.ok() ? info->id : 0;
          ledger_.Sent(pinned ? before : 0, tokens);
          auto added =
              pinned ? memories_->AddUnits(MemoryRef(*info), std::move(units), DuplicatePolicy::kKeepAll)
                     : memories_->AddUnits(name, std::move(units), DuplicatePolicy::kKeepAll);
          if (!Expected(added.status())) ledger_.Unexpected("AddUnits", added.status());
          if (added.ok()) {
            if (added->size() != tokens.size()) ledger_.Unexpected("AddUnits outcomes", absl::OkStatus());
            auto after = memories_->GetMemory(name);
            if (pinned || (after.ok() && after->id == before)) ledger_.Acked(before, tokens);
            ledger_.Count("adds acknowledged");
          }
        }
      });
    }

    // Imports (the importer pins the memory it finds at Start).
    threads.emplace_back([&, seed = round * 100 + 20] {
      std::mt19937 rng(seed);
      for (int seq = 0; !stop.load(); ++seq) {
        const std::string name = Name(rng() % kNames);
        auto info = memories_->GetMemory(name);
        if (!info.ok()) continue;
        std::vector<std::pair<std::string, std::string>> file;
        std::vector<std::string> tokens;
        for (int i = 0; i < 60; ++i) {
          const std::string token = absl::StrCat("tok", round, "i", seq, "x", i);
          file.emplace_back(absl::StrCat("an imported sentence ", token, " with words ", i % 9),
                            absl::StrCat("جملة مستوردة ", i % 9));
          tokens.push_back(token);
        }
        ImportOptions options;
        options.memory = name;
        options.file_name = "f.tmx";
        options.batch_size = 25;
        options.policy = DuplicatePolicy::kKeepAll;
        auto importer = Importer::Start(*memories_, options);
        if (!importer.ok()) {
          if (!Expected(importer.status())) ledger_.Unexpected("Importer::Start", importer.status());
          continue;
        }
        // The importer pins the memory it found at Start; a delete since
        // GetMemory makes Start fail NotFound or reach a newer memory.
        ledger_.Sent(0, tokens);
        const std::string tmx = testing::Tmx(file);
        for (size_t at = 0; at < tmx.size(); at += 700) {
          if (!(*importer)->Feed(std::string_view(tmx).substr(at, 700)).ok()) break;
        }
        auto report = (*importer)->Finish();
        if (!report.ok()) {
          if (!Expected(report.status())) ledger_.Unexpected("Import Finish", report.status());
          continue;
        }
        if (!Expected(report->error)) ledger_.Unexpected("Import", report->error);
        if (report->error.ok() && report->fatal_error.empty()) {
          if (report->counts.units_added != tokens.size()) {
            ledger_.Unexpected(absl::StrCat("Import added ", report->counts.units_added), absl::OkStatus());
          }
          // Stored in the memory found at Start: the one of GetMemory when
          // the name still has it (ids are never reused).
          auto after = memories_->GetMemory(name);
          if (after.ok() && after->id == info->id) ledger_.Acked(info->id, tokens);
          ledger_.Count("imports complete");
        }
      }
    });

    // Readers: lookups across all names, concordance, listing, stats.
    for (int t = 0; t < 2; ++t) {
      threads.emplace_back([&, t] {
        std::mt19937 rng(round * 100 + 30 + t);
        while (!stop.load()) {
          LookupRequest lookup;
          lookup.memories.push_back(Name(rng() % kNames));
          if (rng() % 3 == 0) lookup.memories.push_back(Name(rng() % kNames));  // maybe a repeat
          lookup.text = absl::StrCat("the quick brown fox jumps over the lazy dog ", rng() % 5);
          lookup.options.threshold = 50;
          auto found = memories_->Lookup(lookup);
          if (!Expected(found.status())) ledger_.Unexpected("Lookup", found.status());
          ledger_.Count(found.ok() ? "lookups" : "lookups refused");
          ConcordanceRequest concordance;
          concordance.memory = Name(rng() % kNames);
          concordance.text = t == 0 ? "brown fox" : "imported sentence";
          auto hits = memories_->Concordance(concordance);
          if (!Expected(hits.status())) ledger_.Unexpected("Concordance", hits.status());
          auto listed = memories_->ListMemories();
          if (!listed.ok()) ledger_.Unexpected("ListMemories", listed.status());
          auto stats = memories_->Stats();
          if (!stats.ok()) ledger_.Unexpected("Stats", stats.status());
        }
      });
    }

    std::this_thread::sleep_for(kLoad);
    // Shutdown under load: the callers finish the call they are in, and
    // everything is closed at once, background work in flight.
    stop.store(true);
    for (auto& th : threads) th.join();
    Close();
  }

  // Reopens and checks what the ledger says against what is stored.
  void Check() {
    Open();
    auto listed = memories_->ListMemories();
    ASSERT_TRUE(listed.ok()) << listed.status();
    std::set<uint32_t> live;
    std::map<std::string, uint32_t> token_in;  // token -> memory it is in
    for (const auto& m : *listed) {
      live.insert(m.id);
      EXPECT_EQ(ledger_.deleted_.count(m.id), 0u)
          << "deleted memory " << m.id << " (" << m.name << ") came back";
      uint64_t scanned = 0;
      ASSERT_TRUE(memories_
                      ->ScanUnits(m.name, 0,
                                  [&](const Unit& u) {
                                    ++scanned;
                                    const std::string token = TokenOf(u.source);
                                    EXPECT_FALSE(token.empty()) << u.source;
                                    EXPECT_TRUE(token_in.emplace(token, m.id).second)
                                        << token << " stored twice";
                                    auto sent = ledger_.sent_.find(token);
                                    if (sent == ledger_.sent_.end()) {
                                      ADD_FAILURE() << token << " stored but never sent";
                                    } else if (sent->second != 0) {
                                      EXPECT_EQ(sent->second, m.id) << token << " pinned to another memory";
                                    }
                                    return absl::OkStatus();
                                  })
                      .ok());
      EXPECT_EQ(scanned, m.units) << m.name;
    }
    for (const auto& [id, tokens] : ledger_.acked_) {
      if (ledger_.deleted_.count(id) > 0) {
        for (const auto& t : tokens) EXPECT_EQ(token_in.count(t), 0u) << t << " of deleted memory " << id;
        continue;
      }
      if (live.count(id) == 0) continue;  // failed below
      for (const auto& t : tokens) {
        auto it = token_in.find(t);
        EXPECT_TRUE(it != token_in.end() && it->second == id)
            << "acknowledged unit " << t << " of memory " << id << " lost";
      }
    }
    // An acknowledged memory is either live or was deleted by a delete that
    // returned OK.
    for (const auto& [id, tokens] : ledger_.acked_) {
      EXPECT_TRUE(live.count(id) > 0 || ledger_.deleted_.count(id) > 0) << "memory " << id << " vanished";
    }
    // The index agrees: a lookup finds units of every memory that holds some.
    for (const auto& m : *listed) {
      if (m.units == 0) continue;
      size_t matches = 0;
      for (const char* text :
           {"the quick brown fox jumps over the lazy dog 1", "an imported sentence with words 1"}) {
        LookupRequest lookup;
        lookup.memories = {m.name};
        lookup.text = text;
        lookup.options.threshold = 50;
        auto found = memories_->Lookup(lookup);
        ASSERT_TRUE(found.ok()) << found.status();
        matches += found->matches.size();
      }
      EXPECT_GT(matches, 0u) << m.name << " holds " << m.units << " units";
    }
  }

  storage::testing::TempDir tmp_;
  std::unique_ptr<match::Analyzer> analyzer_ = *match::CreateTextAnalyzer();
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<Memories> memories_;  // destroyed before store_
  Ledger ledger_;
};

TEST_F(MemoriesStressTest, SameNamesFromManyThreadsThenShutdownUnderLoad) {
  Open();
  for (int round = 0; round < 2; ++round) {
    RunRound(round);
    Check();
    if (HasFatalFailure()) return;
    if (round == 1) Close();  // else the second round runs on the reopened dir
  }
  for (const auto& u : ledger_.unexpected_) ADD_FAILURE() << "unexpected: " << u;
  std::string counts;
  for (const auto& [what, n] : ledger_.counts_) absl::StrAppend(&counts, what, "=", n, " ");
  std::printf("stress: %s\n", counts.c_str());
  // The load did what it is for: races between every kind of call.
  EXPECT_GT(ledger_.counts_["created"], 2);
  EXPECT_GT(ledger_.counts_["deleted"], 2);
  EXPECT_GT(ledger_.counts_["adds acknowledged"], 5);
  EXPECT_GT(ledger_.counts_["lookups"], 5);
}

}  // namespace
}  // namespace qantara::tm
