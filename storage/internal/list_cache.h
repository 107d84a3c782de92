// The bounded caches of posting and exact lists: a ListCache per memory and
// list kind, all charged to one CacheBudget of the store, which evicts with
// CLOCK (a memory at a time) once they hold more than its byte budget.
// Posting lists are cached a token at a time (TokenPostings: its lists at a
// set of lengths, one entry), each held compactly (match::PostingList:
// bit-packed blocks of 64 ids, about 1.5-2 bytes an id of a frequent word's
// list, searched without decoding); exact lists (a few ids) as vectors.
//
// Locking: a memory's caches are ShardedListCaches, each a ListCache in 16
// parts with a lock each (Find and Contains take it shared, changes
// exclusively). CacheBudget::Shrink takes its own lock, then the parts'
// locks one at a time; it may be called holding a memory's `rw` and `fill`
// (it takes neither) but no part's lock. Lists are held by shared_ptr: an
// evicted list still in a reader's hands lives until the reader drops it.
// PRIVATE to storage/.
#ifndef QANTARA_STORAGE_INTERNAL_LIST_CACHE_H_
#define QANTARA_STORAGE_INTERNAL_LIST_CACHE_H_

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/synchronization/mutex.h"
#include "service/match/index_view.h"
#include "storage/internal/token_postings.h"

namespace qantara::storage::internal {

struct MemState;

// A byte budget that caches charge what they hold to (an estimate of what
// they allocated), shared by the caches of every memory of a store.
class ByteBudget {
 public:
  explicit ByteBudget(uint64_t limit_bytes) : limit_(limit_bytes) {}
  ByteBudget(const ByteBudget&) = delete;
  ByteBudget& operator=(const ByteBudget&) = delete;

  uint64_t limit() const { return limit_; }
  uint64_t used() const {
    const int64_t u = used_.load(std::memory_order_relaxed);
    return u < 0 ? 0 : static_cast<uint64_t>(u);
  }
  // Whether `more` bytes still fit.
  bool Fits(uint64_t more) const { return used() + more <= limit_; }
  bool over() const { return used() > limit_; }
  void Charge(int64_t delta) { used_.fetch_add(delta, std::memory_order_relaxed); }

 protected:
  const uint64_t limit_;

 private:
  std::atomic<int64_t> used_{0};
};

// The budget of the posting and exact caches of every memory of a store,
// with their eviction and counters.
class CacheBudget : public ByteBudget {
 public:
  explicit CacheBudget(uint64_t limit_bytes) : ByteBudget(limit_bytes) {}

  // The memories whose caches Shrink evicts from (MemState registers itself).
  void Register(MemState* state) ABSL_LOCKS_EXCLUDED(mu_);
  void Unregister(MemState* state) ABSL_LOCKS_EXCLUDED(mu_);

  // When the caches hold more than the budget, evicts lists until they hold
  // a little less (1/32 of the budget below it, so that not every fill
  // evicts): CLOCK over one memory's caches, then the next memory's.
  // REQUIRES: no cache part's lock held.
  void Shrink() ABSL_LOCKS_EXCLUDED(mu_);

  std::atomic<uint64_t> hits{0};
  std::atomic<uint64_t> misses{0};
  std::atomic<uint64_t> evictions{0};

 private:
  absl::Mutex mu_;
  std::vector<MemState*> states_ ABSL_GUARDED_BY(mu_);
  size_t hand_ ABSL_GUARDED_BY(mu_) = 0;  // the memory Shrink evicts from next
};

// The estimated heap bytes of a cached list's ids (allocations carry a
// malloc header).
inline uint64_t ListBytes(const match::UnitIds& ids) {
  return ids.capacity() == 0 ? 0 : ids.capacity() * sizeof(uint64_t) + 16;
}
inline uint64_t ListBytes(const match::PostingList& list) { return list.bytes(); }
inline uint64_t ListBytes(const TokenPostings& token) { return token.bytes(); }
inline uint64_t ListBytes(const match::ExactList& list) {
  return ListBytes(list.ids) +
         (list.changed_bound.capacity() == 0 ? 0 : list.changed_bound.capacity() * sizeof(int64_t) + 16);
}

// One memory's cache of one kind of list (compact posting lists by
// PostingId, exact lists of ids by ExactId), charged to `budget`. Not
// thread-safe: one part of a ShardedListCache, guarded by the part's lock
// (the const members, Find too, under it shared; the others exclusively).
template <typename K, typename V>
class ListCache {
 public:
  explicit ListCache(std::shared_ptr<CacheBudget> budget) : budget_(std::move(budget)) {}
  ~ListCache() { Clear(); }
  ListCache(const ListCache&) = delete;
  ListCache& operator=(const ListCache&) = delete;

  // The cached list of `k` (marked recently used), or nullptr. `count`: a
  // hit or a miss of the budget's counters. Readers call it concurrently
  // (under the part's lock shared): the mark is an atomic flag, set only
  // when clear.
  std::shared_ptr<V> Find(const K& k, bool count = true) const {
    auto it = index_.find(k);
    if (it == index_.end()) {
      if (count) budget_->misses.fetch_add(1, std::memory_order_relaxed);
      return nullptr;
    }
    if (count) budget_->hits.fetch_add(1, std::memory_order_relaxed);
    const Slot& s = slots_[it->second];
    if (!s.ref.load(std::memory_order_relaxed)) s.ref.store(true, std::memory_order_relaxed);
    return s.ids;
  }
  bool Contains(const K& k) const { return index_.contains(k); }

  // Caches `ids` (an empty list too) under `k` unless a list is cached
  // there already; returns the cached list. The caller calls
  // CacheBudget::Shrink afterwards (without the part's lock) when it is over.
  std::shared_ptr<V> Insert(const K& k, std::shared_ptr<V> ids) {
    auto [it, inserted] = index_.try_emplace(k, 0);
    if (!inserted) return slots_[it->second].ids;
    uint32_t slot;
    if (free_.empty()) {
      slot = static_cast<uint32_t>(slots_.size());
      slots_.emplace_back();
    } else {
      slot = free_.back();
      free_.pop_back();
    }
    it->second = slot;
    Slot& s = slots_[slot];
    s.key = k;
    s.ids = std::move(ids);
    s.ref.store(false, std::memory_order_relaxed);  // a second use earns it a second chance
    s.bytes = kEntryBytes + ListBytes(*s.ids);
    bytes_ += s.bytes;
    budget_->Charge(static_cast<int64_t>(s.bytes));
    return s.ids;
  }

  // Caches `ids` under `k` in place of the list cached there (if any; its
  // readers keep it, and its mark of use passes to `ids`); returns `ids`.
  std::shared_ptr<V> Replace(const K& k, std::shared_ptr<V> ids) {
    auto it = index_.find(k);
    if (it == index_.end()) return Insert(k, std::move(ids));
    Slot& s = slots_[it->second];
    s.ids = std::move(ids);
    Recharge(s);
    return s.ids;
  }

  // Writers: calls `fn` on the cached list of `k` (if cached) to change it
  // in place, and charges the change of its size.
  template <typename Fn>
  void Update(const K& k, Fn&& fn) {
    auto it = index_.find(k);
    if (it == index_.end()) return;
    Slot& s = slots_[it->second];
    fn(*s.ids);
    Recharge(s);
  }

  // CLOCK: looks at up to `max_steps` slots from the hand on, evicting the
  // lists not used since the hand last passed (clearing the mark of the
  // others), until `want` bytes are freed. Returns the bytes freed.
  uint64_t Evict(uint64_t want, size_t max_steps) {
    uint64_t freed = 0;
    for (size_t step = 0; step < max_steps && freed < want && !index_.empty(); ++step) {
      if (hand_ >= slots_.size()) hand_ = 0;
      Slot& s = slots_[hand_];
      if (s.ids != nullptr) {
        if (s.ref.load(std::memory_order_relaxed)) {
          s.ref.store(false, std::memory_order_relaxed);
        } else {
          freed += s.bytes;
          Remove(hand_);
          budget_->evictions.fetch_add(1, std::memory_order_relaxed);
        }
      }
      ++hand_;
    }
    return freed;
  }

  // Drops every list.
  void Clear() {
    budget_->Charge(-static_cast<int64_t>(bytes_));
    bytes_ = 0;
    index_.clear();
    slots_.clear();
    free_.clear();
    hand_ = 0;
  }

  size_t size() const { return index_.size(); }
  bool empty() const { return index_.empty(); }
  size_t slots() const { return slots_.size(); }
  uint64_t bytes() const { return bytes_; }

  // Makes room for `n` lists without growing (a rehash of the index and a
  // move of the slots, in fresh memory: milliseconds for a part of tens of
  // thousands of lists, paid by the lookup that inserts the list that
  // crosses the line).
  void Reserve(size_t n) {
    index_.reserve(n);
    slots_.reserve(n);
  }
  // How many lists it holds without growing.
  // (absl's maps grow past 7/8 of their capacity: capacity - capacity / 8.)
  size_t Room() const {
    return std::min<size_t>(slots_.capacity(), index_.capacity() - index_.capacity() / 8);
  }

 private:
  struct Slot {
    Slot() = default;
    // Moved only when slots_ grows (under the part's lock exclusively).
    Slot(Slot&& o) noexcept
        : key(o.key), ids(std::move(o.ids)), bytes(o.bytes), ref(o.ref.load(std::memory_order_relaxed)) {}
    K key{};
    std::shared_ptr<V> ids;  // nullptr: a free slot
    uint64_t bytes = 0;
    // Used since the hand last passed: set by readers holding the part's
    // lock shared.
    mutable std::atomic<bool> ref{false};
  };
  // A map slot (at the maps' 7/8 load), a CLOCK slot, and the shared_ptr's
  // control block holding the list (make_shared, with a malloc header).
  static constexpr size_t kEntryBytes =
      (sizeof(std::pair<K, uint32_t>) + 1) * 8 / 7 + sizeof(Slot) + 16 + sizeof(V) + 16;

  // Charges the change of slot `s`'s list's size.
  void Recharge(Slot& s) {
    const uint64_t now = kEntryBytes + ListBytes(*s.ids);
    budget_->Charge(static_cast<int64_t>(now) - static_cast<int64_t>(s.bytes));
    bytes_ = bytes_ - s.bytes + now;
    s.bytes = now;
  }

  void Remove(uint32_t slot) {
    Slot& s = slots_[slot];
    index_.erase(s.key);
    budget_->Charge(-static_cast<int64_t>(s.bytes));
    bytes_ -= s.bytes;
    s.ids.reset();
    s.bytes = 0;
    s.ref.store(false, std::memory_order_relaxed);
    free_.push_back(slot);
  }

  std::shared_ptr<CacheBudget> budget_;
  absl::flat_hash_map<K, uint32_t> index_;  // key -> slot
  std::vector<Slot> slots_;                 // the CLOCK's ring
  std::vector<uint32_t> free_;              // free slots
  size_t hand_ = 0;
  uint64_t bytes_ = 0;
};

// A ListCache in kShards parts, each with its own lock, so that lookups
// finding and filling lists in parallel do not queue on one lock (nor
// behind a thread the kernel preempted while it held it, nor behind a
// growing map's rehash). Thread-safe: Find and Contains take a part's lock
// shared, the others exclusively. A list is in the part its key's hash
// picks. Eviction asks each part for its share of the bytes to free.
template <typename K, typename V>
class ShardedListCache {
 public:
  static constexpr size_t kShards = 16;

  explicit ShardedListCache(const std::shared_ptr<CacheBudget>& budget)
      : shards_(MakeShards(budget, std::make_index_sequence<kShards>())) {}

  std::shared_ptr<V> Find(const K& k, bool count = true) const {
    const Shard& s = ShardOf(k);
    absl::ReaderMutexLock l(&s.mu);
    return s.cache.Find(k, count);
  }
  bool Contains(const K& k) const {
    const Shard& s = ShardOf(k);
    absl::ReaderMutexLock l(&s.mu);
    return s.cache.Contains(k);
  }
  std::shared_ptr<V> Insert(const K& k, std::shared_ptr<V> ids) {
    Shard& s = ShardOf(k);
    absl::MutexLock l(&s.mu);
    return s.cache.Insert(k, std::move(ids));
  }
  std::shared_ptr<V> Replace(const K& k, std::shared_ptr<V> ids) {
    Shard& s = ShardOf(k);
    absl::MutexLock l(&s.mu);
    return s.cache.Replace(k, std::move(ids));
  }
  template <typename Fn>
  void Update(const K& k, Fn&& fn) {
    Shard& s = ShardOf(k);
    absl::MutexLock l(&s.mu);
    s.cache.Update(k, std::forward<Fn>(fn));
  }
  // Frees about `want` bytes: each part its share of them (by the bytes it
  // holds), then what is still missing from the parts in turn. Returns the
  // bytes freed.
  uint64_t Evict(uint64_t want) {
    const uint64_t held = bytes();
    if (want == 0 || held == 0) return 0;
    uint64_t freed = 0;
    for (Shard& s : shards_) {
      absl::MutexLock l(&s.mu);
      const uint64_t share =
          static_cast<uint64_t>(static_cast<double>(want) * static_cast<double>(s.cache.bytes()) /
                                static_cast<double>(held)) +
          1;
      freed += s.cache.Evict(share, s.cache.slots());
    }
    for (Shard& s : shards_) {
      if (freed >= want) break;
      absl::MutexLock l(&s.mu);
      freed += s.cache.Evict(want - freed, 2 * s.cache.slots());
    }
    return freed;
  }
  void Clear() {
    for (Shard& s : shards_) {
      absl::MutexLock l(&s.mu);
      s.cache.Clear();
    }
  }
  // Each part makes room for twice the lists it holds (ListCache::Reserve),
  // so that lookups do not pay for its next growth: the warm-up's end.
  void ReserveForGrowth() {
    for (Shard& s : shards_) {
      absl::MutexLock l(&s.mu);
      s.cache.Reserve(2 * s.cache.size());
    }
  }
  // The lists part `i` holds, and how many it holds without growing (tests).
  size_t PartSize(size_t i) const {
    absl::ReaderMutexLock l(&shards_[i].mu);
    return shards_[i].cache.size();
  }
  size_t PartRoom(size_t i) const {
    absl::ReaderMutexLock l(&shards_[i].mu);
    return shards_[i].cache.Room();
  }
  // The bytes part `i` holds (tests: how evenly keys spread).
  uint64_t PartBytes(size_t i) const {
    absl::ReaderMutexLock l(&shards_[i].mu);
    return shards_[i].cache.bytes();
  }
  size_t size() const {
    return Sum([](const ListCache<K, V>& c) { return c.size(); });
  }
  bool empty() const { return size() == 0; }
  uint64_t bytes() const {
    return Sum([](const ListCache<K, V>& c) { return c.bytes(); });
  }

 private:
  struct Shard {
    explicit Shard(std::shared_ptr<CacheBudget> budget) : cache(std::move(budget)) {}
    mutable absl::Mutex mu;
    ListCache<K, V> cache ABSL_GUARDED_BY(mu);
  };
  template <size_t... I>
  static std::array<Shard, kShards> MakeShards(const std::shared_ptr<CacheBudget>& budget,
                                               std::index_sequence<I...>) {
    return {{((void)I, Shard(budget))...}};
  }
  // The part of `k`: the high bits of its hash, mixed again (the parts' maps
  // use the low bits of the same hash).
  size_t Index(const K& k) const {
    const uint64_t h = static_cast<uint64_t>(absl::Hash<K>{}(k)) * 0x9E3779B97F4A7C15ull;
    return static_cast<size_t>(h >> 60) % kShards;
  }
  Shard& ShardOf(const K& k) { return shards_[Index(k)]; }
  const Shard& ShardOf(const K& k) const { return shards_[Index(k)]; }
  template <typename Fn>
  uint64_t Sum(Fn&& fn) const {
    uint64_t n = 0;
    for (const Shard& s : shards_) {
      absl::ReaderMutexLock l(&s.mu);
      n += fn(s.cache);
    }
    return n;
  }

  std::array<Shard, kShards> shards_;
};

// The byte budget of the unit-key caches of every memory of a store
// (MemoryStoreOptions::key_cache_bytes). Key caches are not evicted from: a
// memory whose keys do not fit is not cached (its keys are read from RocksDB,
// whose block cache holds the hot ones), see MemState::keys_uncached.
using KeyBudget = ByteBudget;

// One memory's cached unit keys, charged to the store's KeyBudget.
class KeyCache {
 public:
  using Ptr = std::shared_ptr<const match::UnitKeys>;
  using Map = absl::flat_hash_map<uint64_t, Ptr>;

  explicit KeyCache(std::shared_ptr<KeyBudget> budget) : budget_(std::move(budget)) {}
  ~KeyCache() { Clear(); }
  KeyCache(const KeyCache&) = delete;
  KeyCache& operator=(const KeyCache&) = delete;

  const Ptr* Find(uint64_t id) const {
    auto it = map_.find(id);
    return it == map_.end() ? nullptr : &it->second;
  }
  // Caches `keys` unless keys of `id` are cached; returns the cached keys.
  const Ptr& Emplace(uint64_t id, Ptr keys) {
    auto [it, inserted] = map_.try_emplace(id, std::move(keys));
    if (inserted) Add(static_cast<int64_t>(Bytes(*it->second)));
    return it->second;
  }
  // Caches `keys`, replacing what was cached.
  void Put(uint64_t id, Ptr keys) {
    Erase(id);
    Emplace(id, std::move(keys));
  }
  void Erase(uint64_t id) {
    auto it = map_.find(id);
    if (it == map_.end()) return;
    Add(-static_cast<int64_t>(Bytes(*it->second)));
    map_.erase(it);
  }
  // Drops every entry (and gives the map's memory back).
  void Clear() {
    Map().swap(map_);
    Add(-static_cast<int64_t>(bytes_));
  }
  size_t size() const { return map_.size(); }
  uint64_t bytes() const { return bytes_; }
  const KeyBudget& budget() const { return *budget_; }
  Map::const_iterator begin() const { return map_.begin(); }
  Map::const_iterator end() const { return map_.end(); }

  // The estimated heap bytes of cached keys (map slot, control block,
  // token vectors and strings).
  static uint64_t Bytes(const match::UnitKeys& k);

 private:
  void Add(int64_t delta) {
    bytes_ = static_cast<uint64_t>(static_cast<int64_t>(bytes_) + delta);
    budget_->Charge(delta);
  }

  const std::shared_ptr<KeyBudget> budget_;
  Map map_;
  uint64_t bytes_ = 0;
};

}  // namespace qantara::storage::internal

#endif  // QANTARA_STORAGE_INTERNAL_LIST_CACHE_H_
