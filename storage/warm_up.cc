// The background warm-up: every unit's matching keys into the key cache,
// then the posting lists of each memory's frequent tokens, so that the first
// lookups after a start do not wait for point reads.
#include <algorithm>
#include <array>

#include "absl/container/flat_hash_map.h"
#include "rocksdb/perf_level.h"
#include "storage/internal/index_reader.h"
#include "storage/internal/rocks_memory_store.h"
#include "storage/internal/scan.h"

namespace qantara::storage::internal {

void RocksMemoryStore::StartWarmUp() {
  std::vector<std::shared_ptr<MemState>> states = AllStates();
  absl::MutexLock l(&mu_);
  if (warm_thread_.joinable()) return;
  warm_thread_ = std::thread([this, states = std::move(states)] {
    std::vector<std::vector<FrequentToken>> frequent(states.size());
    for (size_t i = 0; i < states.size(); ++i) frequent[i] = WarmKeys(*states[i]);
    for (const auto& st : states) {
      if (!WarmIndexBlocks(*st)) break;
    }
    for (size_t i = 0; i < states.size(); ++i) WarmFrequentPostings(*states[i], frequent[i]);
    // The list caches grow by doubling, each part a rehash and a move of
    // its slots in fresh memory, paid by the lookup whose insert crosses
    // the line: 1M units, the warm-up leaves 504k posting lists (31k a
    // part), and the parts reach their next doubling within the same few
    // hundred lookups (no-match@70, perf: the cache's Insert 0.16 -> 0.05
    // ms a query over the first 400). Here they cost the warm-up's thread
    // instead, and memory: the index's room (about 25
    // bytes a list it can hold, 25 MB at 1M units), not the slots' (not
    // touched until used).
    for (const auto& st : states) {
      if (stop_) break;
      st->postings.ReserveForGrowth();
      st->exact.ReserveForGrowth();
    }
  });
}

void RocksMemoryStore::WaitForWarmUp() {
  std::thread t;
  {
    absl::MutexLock l(&mu_);
    t = std::move(warm_thread_);
  }
  if (t.joinable()) t.join();
}

// Reads the unit keys of one memory in chunks, each with a fresh iterator
// while holding the memory's lock shared (so no write interleaves between
// reading a key and caching it): the token keys and exact hashes of every
// unit (MemState::tokens), and the keys themselves while they fit in the
// store's key budget. Once they do not (estimated from the first chunk, or
// found on the way), the memory's keys are not cached (keys_uncached).
// Returns the memory's frequent tokens (on each side, those in at least
// 0.1% of the units of a sample: ids divisible by 16), most frequent first;
// nothing when a unit's keys do not decode.
std::vector<RocksMemoryStore::FrequentToken> RocksMemoryStore::WarmKeys(MemState& state) {
  constexpr uint64_t kSampleEvery = 16;
  constexpr double kMinShare = 0.001;
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  std::string from = MemoryPrefix(state.id);
  const std::string hi = MemoryPrefix(state.id + 1);
  rocksdb::ReadOptions ro;
  ro.fill_cache = false;
  absl::flat_hash_map<uint64_t, uint32_t> df[2];  // units of the sample with the token, a side
  uint64_t sampled = 0, loaded = 0;
  bool complete = false;
  {
    absl::ReaderMutexLock r(&state.rw);
    // Warmed already (a second warm-up): its cache is read without `fill`
    // and must not change here.
    if (state.keys_complete || state.keys_uncached) return {};
    // One filter part for every unit's exact hash: a filter grown by
    // doublings costs a cache miss a part for every hash tested (8 parts at
    // 10M units: most of the warm-up's time).
    absl::MutexLock f(&state.fill);
    if (!state.tokens_complete) {
      for (HashFilter& seen : state.exact_seen) seen.Reserve(state.rec.unit_count);
    }
  }
  while (!stop_) {
    absl::ReaderMutexLock r(&state.rw);
    state.warming = true;
    std::vector<std::pair<uint64_t, std::shared_ptr<const match::UnitKeys>>> chunk;
    uint64_t chunk_bytes = 0;
    auto resume = ScanEntries(
        rocks_, Cf::kUnitKeys, ro, from, hi, 4096,
        [&](std::string_view key, std::string_view value) -> absl::Status {
          auto keys = DecodeUnitKeys(value);
          // A damaged unit is left out (reads skip it; --check reports it).
          if (!keys.ok()) return absl::OkStatus();
          const uint64_t id = UnitIdOfKey(key);
          if (id % kSampleEvery == 0) {
            ++sampled;
            ForEachIndexEntry(  // a posting a distinct token
                *keys, [&](const PostingId& p) { ++df[p.side][p.key]; }, [](const ExactId&, uint32_t) {});
          }
          chunk.emplace_back(id, std::make_shared<const match::UnitKeys>(*std::move(keys)));
          chunk_bytes += KeyCache::Bytes(*chunk.back().second);
          return absl::OkStatus();
        },
        "warm unit keys");
    if (!resume.ok()) {
      state.warming = false;  // a corrupt value: the cache stays incomplete
      return {};
    }
    // The exact filters' blocks of the units a few ahead are fetched while
    // this one is added (a cache miss each at millions of units).
    constexpr size_t kAhead = 8;
    std::vector<std::array<uint64_t, 2>> exact(chunk.size());
    for (size_t i = 0; i < chunk.size(); ++i) {
      exact[i] = {chunk[i].second->source.ExactHash(), chunk[i].second->target.ExactHash()};
    }
    absl::MutexLock f(&state.fill);
    if (!state.keys_uncached) {
      // What the whole memory would take, at this chunk's bytes a unit.
      const uint64_t left =
          state.rec.unit_count > loaded + chunk.size() ? state.rec.unit_count - loaded - chunk.size() : 0;
      const uint64_t estimate = chunk_bytes + (chunk.empty() ? 0 : left * (chunk_bytes / chunk.size()));
      if (!state.keys.budget().Fits(estimate)) {
        state.keys_uncached = true;
        state.keys.Clear();
      }
    }
    for (size_t i = 0; i < chunk.size(); ++i) {
      if (i + kAhead < chunk.size()) {
        for (int s = 0; s < 2; ++s) state.exact_seen[s].Prefetch(exact[i + kAhead][s]);
      }
      auto& [id, k] = chunk[i];
      AddTokenKeys(state, id, *k, exact[i]);
      if (!state.keys_uncached) state.keys.Emplace(id, std::move(k));
    }
    loaded += chunk.size();
    if (!resume->has_value()) {
      state.keys_complete = !state.keys_uncached;
      state.tokens_complete = true;
      // Every key held: lookups read them in place, the sketches go unused.
      if (state.keys_complete) {
        state.sketches.Clear();
      } else {
        state.sketches.Shrink();
      }
      complete = true;
      break;
    }
    from = **resume;
  }
  state.warming = false;
  if (!complete) return {};
  std::vector<FrequentToken> frequent;
  const uint64_t min_df = std::max<uint64_t>(20, static_cast<uint64_t>(kMinShare * sampled));
  for (match::Side side : {match::Side::kSource, match::Side::kTarget}) {
    for (const auto& [key, n] : df[static_cast<int>(side)]) {
      if (n >= min_df) frequent.push_back({n, side, key});
    }
  }
  std::sort(frequent.begin(), frequent.end(), [](const FrequentToken& a, const FrequentToken& b) {
    return a.df != b.df ? a.df > b.df : a.key < b.key;
  });
  return frequent;
}

// A lookup of a novel query reads a few dozen index entries (the query
// tokens' posting lists at a few lengths, whether its words are known, the
// exact lists of its candidates), each in a block of its own: out of the
// block cache, every one costs a read, a checksum and a decompression,
// most of such a lookup's time. The posting and exact index of a memory
// are small beside its units and unit keys (about 85 MB on disk at 1M
// units), so they are read into the block cache whole, one sequential scan
// of each (no lock: only the cache changes), while the cache holds less
// than half its capacity (the rest is left to the units the lookups read).
bool RocksMemoryStore::WarmIndexBlocks(MemState& state) {
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  uint64_t capacity = 0;
  if (!rocks_.db->GetIntProperty(rocksdb::DB::Properties::kBlockCacheCapacity, &capacity)) return false;
  auto full = [&] {
    uint64_t usage = 0;
    return !rocks_.db->GetIntProperty(rocksdb::DB::Properties::kBlockCacheUsage, &usage) ||
           usage >= capacity / 2;
  };
  rocksdb::ReadOptions ro;
  ro.fill_cache = true;
  ro.total_order_seek = true;  // across prefixes (the families' prefix extractor)
  ro.readahead_size = 2 << 20;
  for (Cf cf : {Cf::kPostings, Cf::kExact}) {
    if (stop_ || full()) return false;
    size_t seen = 0;
    bool stopped = false;
    (void)ScanAll(
        rocks_, cf, ro, MemoryPrefix(state.id), MemoryPrefix(state.id + 1),
        [&](std::string_view, std::string_view) -> absl::Status {
          if ((++seen & 4095) == 0 && (stop_ || full())) {
            stopped = true;
            return absl::CancelledError("warm-up stopped");
          }
          return absl::OkStatus();
        },
        "warm index blocks");
    if (stopped) return false;
  }
  return true;
}

// Reads the posting lists of `frequent` (WarmKeys), most frequent first,
// at every length into the posting cache, a token at a time (holding the
// memory's lock shared), while the caches of all memories hold less than
// three quarters of their budget (the rest is left to what lookups read).
void RocksMemoryStore::WarmFrequentPostings(MemState& state, const std::vector<FrequentToken>& frequent) {
  rocksdb::ReadOptions ro;
  ro.fill_cache = false;  // the lists are cached decoded, not as blocks
  for (const auto& [df, side, key] : frequent) {
    if (stop_ || state.budget->used() >= state.budget->limit() / 4 * 3) return;
    absl::ReaderMutexLock r(&state.rw);
    CachedIndexReader reader(rocks_, state, ro);
    const uint32_t longest = state.rec.max_length[static_cast<int>(side)];
    if (!reader.PrefetchPostings(side, key, 1, longest).ok()) return;  // lookups read them then
  }
}

}  // namespace qantara::storage::internal
