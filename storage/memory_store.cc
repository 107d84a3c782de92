#include "storage/memory_store.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <unordered_map>

#include "absl/container/flat_hash_map.h"
#include "absl/cleanup/cleanup.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/perf_level.h"
#include "rocksdb/write_batch.h"
#include "service/text/utf8.h"
#include "storage/internal/encoding.h"
#include "storage/internal/hash_filter.h"
#include "storage/internal/index_buffer.h"
#include "storage/internal/index_compactor.h"
#include "storage/internal/rocks.h"
#include "storage/internal/keys.h"
#include "storage/internal/status.h"

namespace qantara::storage {
namespace {

using match::Side;
using match::UnitIds;
using match::UnitKeys;

// Units per WriteBatch in bulk adds (each unit with all its index entries is
// always in one batch; bigger batches let posting operands of common tokens
// coalesce).
constexpr size_t kBatchUnits = 4000;


int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

rocksdb::Slice S(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

// UnitKey(mem, id) into a reused string.
void UnitKeyInto(std::string& out, uint32_t mem, uint64_t id) {
  out.clear();
  PutFixed32BE(out, mem);
  PutFixed64BE(out, id);
}

void InsertSorted(UnitIds& ids, uint64_t id) {
  auto it = std::lower_bound(ids.begin(), ids.end(), id);
  if (it == ids.end() || *it != id) ids.insert(it, id);
}
void EraseSorted(UnitIds& ids, uint64_t id) {
  auto it = std::lower_bound(ids.begin(), ids.end(), id);
  if (it != ids.end() && *it == id) ids.erase(it);
}

// One memory: its record and the caches of its index. Writers hold `rw`
// exclusively while they write RocksDB and update the caches; readers hold it
// shared for a whole lookup and fill caches under `fill`.
struct MemState {
  MemoryRecord rec;
  text::Language languages[2] = {text::Language::kArabic, text::Language::kEnglish};
  std::shared_mutex rw;
  std::mutex fill;
  absl::flat_hash_map<PostingId, std::shared_ptr<UnitIds>> postings;
  absl::flat_hash_map<ExactId, std::shared_ptr<UnitIds>> exact;
  absl::flat_hash_map<uint64_t, std::shared_ptr<const UnitKeys>> keys;
  // Set once the warm-up has loaded every unit's keys; writers keep `keys`
  // complete from then on, so exhaustive scans read it instead of RocksDB
  // (and no reader inserts into it any more).
  std::atomic<bool> keys_complete{false};
  // Set while the warm-up loads `keys`: writers then keep loaded entries
  // current instead of dropping them.
  std::atomic<bool> warming{false};
  // Index entries of added units not yet written to the postings and exact
  // column families (their units and unit keys are): readers merge them into
  // what they read. Only adds are buffered; any write that removes index
  // entries writes the buffer first. Guarded by `rw` (readers shared).
  IndexBuffer pending;
  // Units with ids below this are committed (next_unit_id after the last
  // successful write).
  uint64_t committed_next_id = 1;
  // Counts writes to RocksDB (batches and index buffer writes), so that a
  // writer's reused iterators know when they are stale. Guarded by `rw`.
  uint64_t generation = 0;
  // When set, holds the source exact hash of every unit of the memory (and
  // maybe of some that are gone): duplicate checks skip the exact index for
  // a source it has not seen. Set at creation (empty), or read from the
  // exact index (ReadSourceHashes) once adds after an open have checked many
  // units against the index (unfiltered_checks).
  // Writer::Index adds to it. Guarded by `rw` (writers: exclusively).
  std::unique_ptr<HashFilter> source_hashes;
  // Units whose duplicate check read the exact index since the open (while
  // source_hashes is not set): the filter is read once they are many.
  uint64_t unfiltered_checks = 0;
};

// Writes the buffered index entries of `state` (and the index watermark).
// REQUIRES: the caller holds state.rw exclusively.
absl::Status FlushPending(internal::RocksHandles& rocks, MemState& state,
                          const MemoryStoreOptions& options) {
  if (state.pending.empty()) return absl::OkStatus();
  ++state.generation;  // even on error: some entries may be written
  return state.pending.Write(rocks, state.rec.id, state.committed_next_id - 1,
                             options.index_file_min_units);
}

// Starts writing the buffered index entries of `state` on a background
// thread (after the previous background write, whose error it returns).
// REQUIRES: the caller holds state.rw exclusively.
absl::Status StartFlush(internal::RocksHandles& rocks, MemState& state, const MemoryStoreOptions& options) {
  ++state.generation;  // the previous write may be reaped
  IndexBuffer::BeforeWrite before;
  if (options.before_background_index_write) {
    before = [hook = options.before_background_index_write, id = state.rec.id] { return hook(id); };
  }
  return state.pending.StartWrite(rocks, state.rec.id, state.committed_next_id - 1,
                                  options.index_file_min_units, std::move(before));
}

// Reaps a finished background write (its error, if any, is returned).
// REQUIRES: the caller holds state.rw exclusively.
absl::Status ReapFlush(MemState& state) {
  if (!state.pending.WriteDone()) return absl::OkStatus();
  ++state.generation;  // the writer's iterators must see what it ingested
  return state.pending.Finish();
}

// Reads through the caches of one memory (RocksDB at `read_options`, which
// may hold a snapshot). REQUIRES: the caller holds state.rw (shared or not).
class Reader {
 public:
  // `reuse_iterators`: keep one exact-index and one units iterator while
  // nothing is written (writers: duplicate checks of bulk adds); they are
  // made again after every write (MemState::generation).
  Reader(internal::RocksHandles& rocks, MemState& state, const rocksdb::ReadOptions& ro,
         bool reuse_iterators = false)
      : rocks_(rocks), state_(state), ro_(ro), prefix_ro_(ro), reuse_iterators_(reuse_iterators) {
    // Exact-index and posting scans stay inside one 13-byte prefix (the
    // column families' prefix extractor), so SST files whose prefix bloom
    // filter rules it out are skipped: many right after a bulk load.
    prefix_ro_.prefix_same_as_start = true;
    rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);  // no per-read perf counters
  }

  absl::StatusOr<std::shared_ptr<UnitIds>> Postings(Side side, uint64_t key, uint32_t length) {
    const PostingId pid{key, length, static_cast<uint8_t>(side)};
    {
      std::lock_guard<std::mutex> l(state_.fill);
      auto it = state_.postings.find(pid);
      if (it != state_.postings.end()) return it->second;
    }
    std::string value;
    rocksdb::Status s = rocks_.db->Get(ro_, rocks_.cf(Cf::kPostings),
                                       S(PostingKey(state_.rec.id, side, key, length)), &value);
    auto ids = std::make_shared<UnitIds>();
    if (s.ok()) {
      auto decoded = DecodePostingList(value);
      if (!decoded.ok()) return decoded.status();
      *ids = *std::move(decoded);
    } else if (!s.IsNotFound()) {
      return FromRocks(s, "read postings");
    }
    if (!state_.pending.empty()) MergeSorted(*ids, state_.pending.Postings(pid));
    std::lock_guard<std::mutex> l(state_.fill);
    return state_.postings.emplace(pid, std::move(ids)).first->second;
  }

  // Reads the posting lists of token `key` at the lengths in [lo, hi] that
  // are not cached yet with one iterator (a Get per length costs more when
  // there are several), into the cache, as Postings would.
  absl::Status PrefetchPostings(Side side, uint64_t key, uint32_t lo, uint32_t hi) {
    hi = std::min<uint32_t>(hi, 0xfffe);  // longer lengths share one key
    if (lo > hi) return absl::OkStatus();
    std::vector<uint32_t> missing;
    {
      std::lock_guard<std::mutex> l(state_.fill);
      for (uint32_t len = lo; len <= hi; ++len) {
        if (!state_.postings.contains(PostingId{key, len, static_cast<uint8_t>(side)})) missing.push_back(len);
      }
    }
    if (missing.size() < 3) return absl::OkStatus();  // Gets are as cheap
    const std::string start = PostingKey(state_.rec.id, side, key, missing.front());
    const std::string end = PostingKey(state_.rec.id, side, key, missing.back() + 1);
    rocksdb::ReadOptions ro = prefix_ro_;
    rocksdb::Slice upper = S(end);
    ro.iterate_upper_bound = &upper;
    std::unique_ptr<rocksdb::Iterator> it(rocks_.db->NewIterator(ro, rocks_.cf(Cf::kPostings)));
    std::vector<std::pair<uint32_t, std::shared_ptr<UnitIds>>> lists;  // ascending lengths
    for (it->Seek(S(start)); it->Valid(); it->Next()) {
      const rocksdb::Slice k = it->key();
      if (k.size() != start.size()) continue;
      const uint32_t len = (static_cast<uint8_t>(k[k.size() - 2]) << 8) | static_cast<uint8_t>(k[k.size() - 1]);
      auto decoded = DecodePostingList(std::string_view(it->value().data(), it->value().size()));
      if (!decoded.ok()) return decoded.status();
      lists.emplace_back(len, std::make_shared<UnitIds>(*std::move(decoded)));
    }
    if (!it->status().ok()) return FromRocks(it->status(), "read postings");
    size_t next = 0;
    std::vector<std::pair<PostingId, std::shared_ptr<UnitIds>>> fill;
    fill.reserve(missing.size());
    for (uint32_t len : missing) {
      while (next < lists.size() && lists[next].first < len) ++next;
      std::shared_ptr<UnitIds> ids = next < lists.size() && lists[next].first == len
                                         ? std::move(lists[next].second)
                                         : std::make_shared<UnitIds>();
      const PostingId pid{key, len, static_cast<uint8_t>(side)};
      if (!state_.pending.empty()) MergeSorted(*ids, state_.pending.Postings(pid));
      fill.emplace_back(pid, std::move(ids));
    }
    std::lock_guard<std::mutex> l(state_.fill);
    for (auto& [pid, ids] : fill) state_.postings.emplace(pid, std::move(ids));
    return absl::OkStatus();
  }

  // `cache`: keep what was read from RocksDB for later reads (lookups); the
  // duplicate checks of bulk adds read without caching, so that importing a
  // big file does not grow the caches by an entry a unit.
  absl::StatusOr<std::shared_ptr<UnitIds>> Exact(Side side, uint64_t hash, bool cache = true) {
    const ExactId eid{hash, static_cast<uint8_t>(side)};
    {
      std::lock_guard<std::mutex> l(state_.fill);
      auto it = state_.exact.find(eid);
      if (it != state_.exact.end()) return it->second;
    }
    auto ids = std::make_shared<UnitIds>();
    const std::string prefix = ExactPrefix(state_.rec.id, side, hash);
    std::unique_ptr<rocksdb::Iterator> own;
    rocksdb::Iterator* it = nullptr;
    if (reuse_iterators_) {
      if (exact_it_ == nullptr || exact_it_generation_ != state_.generation) {
        exact_it_.reset(rocks_.db->NewIterator(prefix_ro_, rocks_.cf(Cf::kExact)));
        exact_it_generation_ = state_.generation;
      }
      it = exact_it_.get();
    } else {
      own.reset(rocks_.db->NewIterator(prefix_ro_, rocks_.cf(Cf::kExact)));
      it = own.get();
    }
    for (it->Seek(S(prefix)); it->Valid() && it->key().starts_with(S(prefix)); it->Next()) {
      if (it->key().size() == prefix.size() + 8) {
        ids->push_back(DecodeFixed64BE(it->key().data() + prefix.size()));
      }
    }
    if (!it->status().ok()) return FromRocks(it->status(), "read exact index");
    if (!state_.pending.empty()) MergeSorted(*ids, state_.pending.Exact(eid));
    if (!cache) return ids;
    std::lock_guard<std::mutex> l(state_.fill);
    return state_.exact.emplace(eid, std::move(ids)).first->second;
  }

  absl::StatusOr<std::shared_ptr<const UnitKeys>> Keys(uint64_t id) {
    if (state_.keys_complete) {
      // Complete: no reader inserts any more, and writers hold `rw`
      // exclusively, so readers (holding it shared) need no `fill` lock.
      auto it = state_.keys.find(id);
      if (it != state_.keys.end()) return it->second;
    }
    {
      std::lock_guard<std::mutex> l(state_.fill);
      auto it = state_.keys.find(id);
      if (it != state_.keys.end()) return it->second;
    }
    std::string value;
    rocksdb::Status s =
        rocks_.db->Get(ro_, rocks_.cf(Cf::kUnitKeys), S(UnitKey(state_.rec.id, id)), &value);
    if (s.IsNotFound()) return absl::NotFoundError(absl::StrCat("no unit ", id));
    if (!s.ok()) return FromRocks(s, "read unit keys");
    auto keys = DecodeUnitKeys(value);
    if (!keys.ok()) return keys.status();
    auto ptr = std::make_shared<const UnitKeys>(*std::move(keys));
    std::lock_guard<std::mutex> l(state_.fill);
    return state_.keys.emplace(id, std::move(ptr)).first->second;
  }

  absl::StatusOr<Unit> GetUnit(uint64_t id) {
    if (reuse_iterators_) {
      // Writers (duplicate checks) read units mostly in ascending id order
      // (a re-imported file): seeks of one iterator reuse the data block it
      // holds, where each Get would read and decompress it again (writers
      // do not fill the block cache).
      if (units_it_ == nullptr || units_it_generation_ != state_.generation) {
        units_it_.reset(rocks_.db->NewIterator(ro_, rocks_.cf(Cf::kUnits)));
        units_it_generation_ = state_.generation;
      }
      const std::string key = UnitKey(state_.rec.id, id);
      units_it_->Seek(S(key));
      if (!units_it_->status().ok()) return FromRocks(units_it_->status(), "read unit");
      if (!units_it_->Valid() || units_it_->key() != S(key)) {
        return absl::NotFoundError(absl::StrCat("no unit ", id));
      }
      return DecodeUnit(id, std::string_view(units_it_->value().data(), units_it_->value().size()));
    }
    std::string value;
    rocksdb::Status s =
        rocks_.db->Get(ro_, rocks_.cf(Cf::kUnits), S(UnitKey(state_.rec.id, id)), &value);
    if (s.IsNotFound()) return absl::NotFoundError(absl::StrCat("no unit ", id));
    if (!s.ok()) return FromRocks(s, "read unit");
    return DecodeUnit(id, value);
  }

  absl::Status ForEachUnitKeys(
      const std::function<absl::Status(uint64_t, const UnitKeys&)>& fn) {
    if (state_.keys_complete) {
      for (const auto& [id, keys] : state_.keys) {
        if (absl::Status s = fn(id, *keys); !s.ok()) return s;
      }
      return absl::OkStatus();
    }
    const std::string lo = MemoryPrefix(state_.rec.id), hi = MemoryPrefix(state_.rec.id + 1);
    rocksdb::ReadOptions ro = ro_;
    rocksdb::Slice upper = S(hi);
    ro.iterate_upper_bound = &upper;
    std::unique_ptr<rocksdb::Iterator> it(rocks_.db->NewIterator(ro, rocks_.cf(Cf::kUnitKeys)));
    for (it->Seek(S(lo)); it->Valid(); it->Next()) {
      auto keys = DecodeUnitKeys(std::string_view(it->value().data(), it->value().size()));
      if (!keys.ok()) return keys.status();
      if (absl::Status s = fn(UnitIdOfKey(std::string_view(it->key().data(), it->key().size())), *keys);
          !s.ok()) {
        return s;
      }
    }
    return it->status().ok() ? absl::OkStatus() : FromRocks(it->status(), "scan unit keys");
  }

 private:
  internal::RocksHandles& rocks_;
  MemState& state_;
  const rocksdb::ReadOptions& ro_;
  rocksdb::ReadOptions prefix_ro_;
  const bool reuse_iterators_;
  std::unique_ptr<rocksdb::Iterator> exact_it_;
  uint64_t exact_it_generation_ = 0;
  std::unique_ptr<rocksdb::Iterator> units_it_;  // GetUnit's, when reuse_iterators_
  uint64_t units_it_generation_ = 0;
};

// The matcher's view of one memory for one lookup.
class View final : public match::IndexView {
 public:
  View(Reader& reader, MemState& state) : reader_(reader), state_(state) {}
  absl::StatusOr<match::UnitIdsPtr> Postings(Side side, uint64_t key, uint32_t length) override {
    auto p = reader_.Postings(side, key, length);
    if (!p.ok()) return p.status();
    return match::UnitIdsPtr(*std::move(p));
  }
  absl::Status PrefetchPostings(Side side, uint64_t key, uint32_t min_length, uint32_t max_length) override {
    return reader_.PrefetchPostings(side, key, min_length, max_length);
  }
  absl::StatusOr<match::UnitIdsPtr> Exact(Side side, uint64_t hash) override {
    auto p = reader_.Exact(side, hash);
    if (!p.ok()) return p.status();
    return match::UnitIdsPtr(*std::move(p));
  }
  absl::StatusOr<match::UnitKeysPtr> Keys(uint64_t id) override { return reader_.Keys(id); }
  // A complete key cache changes only under `rw` held exclusively, and the
  // view's lookup holds it shared.
  const UnitKeys* PeekKeys(uint64_t id) override {
    if (!state_.keys_complete) return nullptr;
    auto it = state_.keys.find(id);
    return it == state_.keys.end() ? nullptr : it->second.get();
  }
  absl::StatusOr<Unit> GetUnit(uint64_t id) override { return reader_.GetUnit(id); }
  absl::Status ForEachUnitKeys(
      const std::function<absl::Status(uint64_t, const UnitKeys&)>& fn) override {
    return reader_.ForEachUnitKeys(fn);
  }
  uint32_t MaxLength(Side side) override { return state_.rec.max_length[static_cast<int>(side)]; }

 private:
  Reader& reader_;
  MemState& state_;
};

// A snapshot held for the lifetime of a read.
class Snapshot {
 public:
  explicit Snapshot(rocksdb::DB* db) : db_(db), snap_(db->GetSnapshot()) { ro_.snapshot = snap_; }
  ~Snapshot() { db_->ReleaseSnapshot(snap_); }
  const rocksdb::ReadOptions& options() const { return ro_; }

 private:
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snap_;
  rocksdb::ReadOptions ro_;
};

// A write to one memory in progress: the batch and the cache changes to apply
// once it is written. REQUIRES: the writer holds state.rw exclusively.
class Writer {
 public:
  // `buffered`: the index entries of added units go to state.pending
  // (bulk adds); otherwise they are written with the units.
  Writer(internal::RocksHandles& rocks, MemState& state, const MemoryStoreOptions& options,
         bool buffered = false)
      : rocks_(rocks), state_(state), options_(options), reader_(rocks, state, plain_, /*reuse_iterators=*/true),
        buffered_(buffered) {
    // Writers' reads (duplicate checks of imports, mostly misses) do not
    // fill the block cache: a big import would fill it with blocks no
    // lookup asks for.
    plain_.fill_cache = false;
  }

  Reader& reader() { return reader_; }
  MemState& state() { return state_; }

  // Adds (remove = false) or removes the index entries of unit `id`. A
  // removal first writes the buffered entries (a removal must follow the add).
  absl::Status Index(uint64_t id, const std::shared_ptr<const UnitKeys>& keys, bool remove) {
    return Index(id, keys, EntriesOf(*keys), EncodeUnitKeys(*keys), remove);
  }

  // The same with the entries and the encoded keys already made from `keys`
  // (EntriesOf, EncodeUnitKeys).
  absl::Status Index(uint64_t id, const std::shared_ptr<const UnitKeys>& keys, const IndexEntries& entries,
                     std::string_view encoded_keys, bool remove) {
    if (remove && !state_.pending.empty()) {
      if (absl::Status s = FlushPending(rocks_, state_, options_); !s.ok()) return s;
    }
    const uint32_t mem = state_.rec.id;
    const bool buffer = buffered_ && !remove;
    for (const PostingId& pid : entries.postings) {
      if (buffer) {
        buffered_postings_.emplace_back(pid, id);  // cache changes at commit
      } else {
        AppendPostingOp(posting_ops_[pid], id, remove);
        posting_changes_.push_back({pid, id, remove});
      }
    }
    for (int side = 0; side < 2; ++side) {
      const ExactId& eid = entries.exact[side];
      if (remove) {
        batch_.Delete(rocks_.cf(Cf::kExact), S(ExactKey(mem, static_cast<Side>(eid.side), eid.hash, id)));
      } else {
        if (buffer) {
          buffered_exact_.emplace_back(eid, id);
        } else {
          batch_.Put(rocks_.cf(Cf::kExact), S(ExactKey(mem, static_cast<Side>(eid.side), eid.hash, id)),
                     rocksdb::Slice());
        }
        if (eid.side == static_cast<uint8_t>(Side::kSource) && state_.source_hashes != nullptr) {
          state_.source_hashes->Add(eid.hash);
        }
        uint32_t& longest = state_.rec.max_length[eid.side];
        longest = std::max(longest, entries.length[side]);
      }
      if (!buffer) exact_changes_.push_back({eid, id, remove});
    }
    UnitKeyInto(key_, mem, id);
    if (remove) {
      batch_.Delete(rocks_.cf(Cf::kUnitKeys), S(key_));
      key_changes_.emplace_back(id, nullptr);
    } else {
      batch_.Put(rocks_.cf(Cf::kUnitKeys), S(key_), S(encoded_keys));
      key_changes_.emplace_back(id, keys);
    }
    if (buffer) ++buffered_units_;
    return absl::OkStatus();
  }

  void PutUnit(const Unit& unit) {
    batch_.Put(rocks_.cf(Cf::kUnits), S(UnitKey(state_.rec.id, unit.id)), S(EncodeUnit(unit)));
  }
  // PutUnit with the value already encoded (EncodeUnit).
  void PutUnit(uint64_t id, std::string_view encoded) {
    UnitKeyInto(key_, state_.rec.id, id);
    batch_.Put(rocks_.cf(Cf::kUnits), S(key_), S(encoded));
  }
  void DeleteUnit(uint64_t id) { batch_.Delete(rocks_.cf(Cf::kUnits), S(UnitKey(state_.rec.id, id))); }

  // Writes the batch (with the memory record) and applies the cache changes.
  // `written` (optional): set when the batch was written, even if writing
  // the index buffer after it failed (then the units are stored anyway).
  absl::Status Commit(bool* written = nullptr) {
    rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);  // no per-key perf counters
    {
      // In key order: the memtable inserts faster, and the batch is deterministic.
      std::vector<std::pair<std::string, const std::string*>> ops;
      ops.reserve(posting_ops_.size());
      for (const auto& [pid, op] : posting_ops_) {
        ops.emplace_back(PostingKey(state_.rec.id, static_cast<Side>(pid.side), pid.key, pid.length), &op);
      }
      std::sort(ops.begin(), ops.end());
      for (const auto& [key, op] : ops) batch_.Merge(rocks_.cf(Cf::kPostings), S(key), S(*op));
    }
    batch_.Put(rocks_.cf(Cf::kMemories), S(MemoryRecordKey(state_.rec.id)),
               S(EncodeMemoryRecord(state_.rec)));
    if (state_.pending.empty()) {
      // Nothing was buffered before this batch: every unit committed so far
      // is indexed, and so are this batch's units unless it buffers them.
      std::string upto;
      PutFixed64BE(upto, (buffered_units_ == 0 ? state_.rec.next_unit_id : state_.committed_next_id) - 1);
      batch_.Put(rocks_.cf(Cf::kMemories), S(IndexedUptoKey(state_.rec.id)), S(upto));
    }
    ++state_.generation;  // even on error
    rocksdb::Status s = rocks_.db->Write(rocksdb::WriteOptions(), &batch_);
    if (!s.ok()) return FromRocks(s, "write units");
    if (written != nullptr) *written = true;
    state_.committed_next_id = state_.rec.next_unit_id;
    // Buffered adds: into the buffer, and into cached lists (in id order).
    state_.pending.AddPostings(buffered_postings_);
    state_.pending.AddExacts(buffered_exact_);
    state_.pending.CountUnits(buffered_units_);
    if (!state_.postings.empty()) {
      for (const auto& [pid, id] : buffered_postings_) {
        auto it = state_.postings.find(pid);
        if (it != state_.postings.end()) InsertSorted(*it->second, id);
      }
    }
    if (!state_.exact.empty()) {
      for (const auto& [eid, id] : buffered_exact_) {
        auto it = state_.exact.find(eid);
        if (it != state_.exact.end()) InsertSorted(*it->second, id);
      }
    }
    for (const auto& c : posting_changes_) {
      auto it = state_.postings.find(c.id);
      if (it == state_.postings.end()) continue;
      c.remove ? EraseSorted(*it->second, c.unit) : InsertSorted(*it->second, c.unit);
    }
    for (const auto& c : exact_changes_) {
      auto it = state_.exact.find(c.id);
      if (it == state_.exact.end()) continue;
      c.remove ? EraseSorted(*it->second, c.unit) : InsertSorted(*it->second, c.unit);
    }
    // A complete key cache stays complete; otherwise only stale entries go
    // (readers fill it on demand), so bulk adds do not grow it by a unit each.
    for (auto& [id, keys] : key_changes_) {
      if (keys != nullptr && (state_.keys_complete || state_.warming)) {
        state_.keys[id] = keys;
      } else {
        state_.keys.erase(id);
      }
    }
    Reset();
    if (absl::Status s = ReapFlush(state_); !s.ok()) return s;
    if (state_.pending.units() >= options_.index_buffer_units) return StartFlush(rocks_, state_, options_);
    return absl::OkStatus();
  }

  void Reset() {
    batch_.Clear();
    buffered_postings_.clear();
    buffered_exact_.clear();
    buffered_units_ = 0;
    posting_ops_.clear();
    posting_changes_.clear();
    exact_changes_.clear();
    key_changes_.clear();
  }

 private:
  template <typename Id>
  struct Change {
    Id id;
    uint64_t unit;
    bool remove;
  };
  internal::RocksHandles& rocks_;
  MemState& state_;
  const MemoryStoreOptions& options_;
  rocksdb::ReadOptions plain_;
  Reader reader_;
  const bool buffered_;
  rocksdb::WriteBatch batch_;
  // Index entries for state.pending once the batch is written (ids ascend).
  std::vector<std::pair<PostingId, uint64_t>> buffered_postings_;
  std::vector<std::pair<ExactId, uint64_t>> buffered_exact_;
  size_t buffered_units_ = 0;
  absl::flat_hash_map<PostingId, std::string> posting_ops_;
  std::string key_;  // scratch
  std::vector<Change<PostingId>> posting_changes_;
  std::vector<Change<ExactId>> exact_changes_;
  std::vector<std::pair<uint64_t, std::shared_ptr<const UnitKeys>>> key_changes_;
};

MemoryInfo InfoOf(const MemoryRecord& r) {
  return MemoryInfo{r.name, r.source_lang, r.target_lang, r.description, r.created_at_us,
                    r.unit_count};
}

absl::Status ValidateName(const std::string& name) {
  if (name.empty() || name.size() > 200) {
    return absl::InvalidArgumentError("memory name must be 1 to 200 bytes");
  }
  if (!text::ValidateUtf8(name).ok()) return absl::InvalidArgumentError("memory name is not UTF-8");
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) {
      return absl::InvalidArgumentError("memory name must not contain control characters");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateUnit(const Unit& u) {
  if (u.source.empty() || u.target.empty()) {
    return absl::InvalidArgumentError("a unit needs a non-empty source and target");
  }
  if (absl::Status s = text::ValidateUtf8(u.source); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("source: ", std::string(s.message())));
  }
  if (absl::Status s = text::ValidateUtf8(u.target); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("target: ", std::string(s.message())));
  }
  return absl::OkStatus();
}

namespace {

// Fills what an added unit takes from the call when not given: its dates
// (`now`, changed = created) and changed_by (= created_by).
void FillAddedUnit(Unit& u, int64_t now) {
  if (u.created_at_us == 0) u.created_at_us = now;
  if (u.changed_at_us == 0) u.changed_at_us = u.created_at_us;
  if (u.changed_by.empty()) u.changed_by = u.created_by;
}

// What AddUnits prepares of a unit before writing it (policies that never
// overwrite): its index entries and its encoded values.
struct Prepared {
  IndexEntries entries;
  std::string keys_value;  // EncodeUnitKeys
  std::string unit_value;  // EncodeUnit of the unit as it is added
};

// Runs `work(begin, end)` over [0, n) in chunks of `chunk`, in order, on a
// worker thread and on the thread that waits for results: WaitFor(i)
// returns once item i is done, doing pending chunks itself rather than
// idling. The first error of a chunk is returned by WaitFor for its items.
// Not reusable; the destructor stops the worker (after its current chunk).
class Pipeline {
 public:
  Pipeline(size_t n, size_t chunk, std::function<absl::Status(size_t, size_t)> work)
      : n_(n), chunk_(std::max<size_t>(chunk, 1)), chunks_((n + chunk_ - 1) / chunk_),
        work_(std::move(work)), done_(chunks_), status_(chunks_) {}

  ~Pipeline() {
    next_.store(chunks_);  // nothing more to claim
    if (worker_.joinable()) worker_.join();
  }

  void StartWorker() {
    worker_ = std::thread([this] {
      while (RunOne()) {
      }
    });
  }

  absl::Status WaitFor(size_t i) {
    if (i >= n_) return absl::OkStatus();
    const size_t c = i / chunk_;
    while (!done_[c].load(std::memory_order_acquire)) {
      if (RunOne()) continue;
      std::unique_lock<std::mutex> l(mu_);
      cv_.wait(l, [&] { return done_[c].load(std::memory_order_acquire); });
    }
    return status_[c];
  }

 private:
  // Claims and runs the next chunk; false when none is left.
  bool RunOne() {
    const size_t c = next_.fetch_add(1);
    if (c >= chunks_) return false;
    status_[c] = work_(c * chunk_, std::min(n_, (c + 1) * chunk_));
    {
      std::lock_guard<std::mutex> l(mu_);
      done_[c].store(true, std::memory_order_release);
    }
    cv_.notify_all();
    return true;
  }

  const size_t n_, chunk_, chunks_;
  std::function<absl::Status(size_t, size_t)> work_;
  std::atomic<size_t> next_{0};
  std::vector<std::atomic<bool>> done_;
  std::vector<absl::Status> status_;  // written before done_[c], read after
  std::mutex mu_;
  std::condition_variable cv_;
  std::thread worker_;
};

class RocksMemoryStore final : public MemoryStore {
 public:
  RocksMemoryStore(Store& store, const match::Analyzer& analyzer, const MemoryStoreOptions& options)
      : store_(store), rocks_(internal::Rocks(store)), analyzer_(analyzer), options_(options),
        compactor_(rocks_, [this](uint32_t id) { return IndexBusy(id); },
                   IndexCompactorOptions{options.compact_after_quiet, options.compact_min_runs}) {}

  ~RocksMemoryStore() override {
    stop_ = true;
    compactor_.Stop();  // waits for a compaction running
    WaitForWarmUp();
    // Write what is buffered (else the next open rebuilds it from unit keys).
    if (rocks_.db == nullptr) return;  // the store was closed first
    for (auto& [name, state] : memories_) {
      std::unique_lock<std::shared_mutex> w(state->rw);
      (void)FlushPending(rocks_, *state, options_);
    }
  }

  void StartWarmUp() override {
    std::lock_guard<std::mutex> l(mu_);
    if (warm_thread_.joinable()) return;
    std::vector<std::shared_ptr<MemState>> states;
    for (auto& [name, st] : memories_) states.push_back(st);
    warm_thread_ = std::thread([this, states = std::move(states)] {
      for (const auto& st : states) WarmKeys(*st);
      for (const auto& st : states) WarmFrequentPostings(*st);
    });
  }

  void WaitForWarmUp() override {
    std::thread t;
    {
      std::lock_guard<std::mutex> l(mu_);
      t = std::move(warm_thread_);
    }
    if (t.joinable()) t.join();
  }

  void WaitForIndexCompactions() override { compactor_.WaitIdle(); }

  absl::Status WaitForIndexWrites() override {
    std::vector<std::shared_ptr<MemState>> states;
    {
      std::lock_guard<std::mutex> l(mu_);
      for (auto& [name, st] : memories_) states.push_back(st);
    }
    absl::Status result = absl::OkStatus();
    for (auto& st : states) {
      std::unique_lock<std::shared_mutex> w(st->rw);
      ++st->generation;
      absl::Status s = st->pending.Finish();
      if (result.ok()) result = s;
    }
    return result;
  }

  absl::Status Load() {
    if (absl::Status s = IndexBuffer::RemoveLeftovers(store_.dir()); !s.ok()) return s;
    std::unique_ptr<rocksdb::Iterator> it(
        rocks_.db->NewIterator(rocksdb::ReadOptions(), rocks_.cf(Cf::kMemories)));
    for (it->Seek("m"); it->Valid() && it->key().starts_with("m"); it->Next()) {
      auto rec = DecodeMemoryRecord(std::string_view(it->value().data(), it->value().size()));
      if (!rec.ok()) return rec.status();
      auto state = std::make_shared<MemState>();
      if (absl::Status s = SetRecord(*state, *std::move(rec)); !s.ok()) return s;
      state->committed_next_id = state->rec.next_unit_id;
      if (absl::Status s = RecoverPending(*state); !s.ok()) return s;
      memories_[state->rec.name] = state;
      // A load that ended with the server (or crashed) is compacted now.
      compactor_.NoteWrite(state->rec.id);
    }
    if (!it->status().ok()) return FromRocks(it->status(), "read memories");
    auto next = store_.Get(Cf::kMeta, kMetaNextMemoryIdKey);
    if (!next.ok()) return next.status();
    next_memory_id_ = next->has_value() && (*next)->size() == 4 ? DecodeFixed32BE((*next)->data()) : 1;
    return absl::OkStatus();
  }

  absl::StatusOr<MemoryInfo> CreateMemory(const NewMemory& m) override {
    if (absl::Status s = ValidateName(m.name); !s.ok()) return s;
    auto src = text::ParseLanguage(m.source_lang);
    if (!src.ok()) return src.status();
    auto tgt = text::ParseLanguage(m.target_lang);
    if (!tgt.ok()) return tgt.status();
    if (*src == *tgt) {
      return absl::InvalidArgumentError("a memory pairs Arabic with English: source and target "
                                        "languages must differ");
    }
    std::lock_guard<std::mutex> l(mu_);
    if (memories_.contains(m.name)) {
      return absl::AlreadyExistsError(absl::StrCat("memory '", m.name, "' already exists"));
    }
    MemoryRecord rec;
    rec.id = next_memory_id_;
    rec.name = m.name;
    rec.source_lang = m.source_lang;
    rec.target_lang = m.target_lang;
    rec.description = m.description;
    rec.created_at_us = NowMicros();
    rocksdb::WriteBatch batch;
    std::string id;
    PutFixed32BE(id, rec.id);
    std::string next;
    PutFixed32BE(next, rec.id + 1);
    batch.Put(rocks_.cf(Cf::kMemories), S(MemoryNameKey(rec.name)), S(id));
    batch.Put(rocks_.cf(Cf::kMemories), S(MemoryRecordKey(rec.id)), S(EncodeMemoryRecord(rec)));
    batch.Put(rocks_.cf(Cf::kMeta), S(kMetaNextMemoryIdKey), S(next));
    rocksdb::Status s = rocks_.db->Write(rocksdb::WriteOptions(), &batch);
    if (!s.ok()) return FromRocks(s, "create memory");
    ++next_memory_id_;
    auto state = std::make_shared<MemState>();
    state->source_hashes = std::make_unique<HashFilter>();  // a new id: no unit yet
    if (absl::Status st = SetRecord(*state, rec); !st.ok()) return st;
    memories_[rec.name] = state;
    return InfoOf(rec);
  }

  absl::StatusOr<std::vector<MemoryInfo>> ListMemories() override {
    std::vector<std::shared_ptr<MemState>> states;
    {
      std::lock_guard<std::mutex> l(mu_);
      for (auto& [name, s] : memories_) states.push_back(s);
    }
    std::vector<MemoryInfo> out;
    for (auto& s : states) {
      std::shared_lock<std::shared_mutex> r(s->rw);
      out.push_back(InfoOf(s->rec));
    }
    return out;
  }

  absl::StatusOr<MemoryInfo> GetMemory(const std::string& name) override {
    auto state = Find(name);
    if (!state.ok()) return state.status();
    std::shared_lock<std::shared_mutex> r((*state)->rw);
    return InfoOf((*state)->rec);
  }

  absl::Status DeleteMemory(const std::string& name) override {
    std::shared_ptr<MemState> state;
    {
      std::lock_guard<std::mutex> l(mu_);
      auto it = memories_.find(name);
      if (it == memories_.end()) return NoMemory(name);
      state = it->second;
      memories_.erase(it);
    }
    std::unique_lock<std::shared_mutex> w(state->rw);
    // A background index write must not land after the range deletes.
    (void)state->pending.Finish();
    const uint32_t id = state->rec.id;
    compactor_.Forget(id);
    const std::string lo = MemoryPrefix(id), hi = MemoryPrefix(id + 1);
    rocksdb::WriteBatch batch;
    batch.Delete(rocks_.cf(Cf::kMemories), S(MemoryNameKey(name)));
    batch.Delete(rocks_.cf(Cf::kMemories), S(MemoryRecordKey(id)));
    batch.Delete(rocks_.cf(Cf::kMemories), S(IndexedUptoKey(id)));
    for (Cf cf : {Cf::kUnits, Cf::kUnitKeys, Cf::kPostings, Cf::kExact, Cf::kLexicons}) {
      batch.DeleteRange(rocks_.cf(cf), S(lo), S(hi));
    }
    rocksdb::Status s = rocks_.db->Write(rocksdb::WriteOptions(), &batch);
    if (!s.ok()) {
      std::lock_guard<std::mutex> l(mu_);
      memories_[name] = state;
      return FromRocks(s, "delete memory");
    }
    state->keys_complete = false;
    ++state->generation;
    state->pending.Clear();
    state->postings.clear();
    state->exact.clear();
    state->keys.clear();
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<AddOutcome>> AddUnits(const std::string& memory, std::vector<Unit> units,
                                                   DuplicatePolicy policy,
                                                   const std::function<void()>& on_ordered) override {
    auto found = Find(memory);
    if (!found.ok()) return found.status();
    MemState& state = **found;
    for (const Unit& u : units) {
      if (absl::Status s = ValidateUnit(u); !s.ok()) return s;
    }
    // Bulk adds leave the index in several sorted runs: compact them once
    // the adds stop (storage/index_compactor.h).
    absl::Cleanup note_write = [this, id = state.rec.id] { compactor_.NoteWrite(id); };
    // Analysis (the expensive part) runs ahead of the writing: a worker
    // prepares chunks in order while this thread writes the prepared units
    // (and prepares chunks itself rather than wait).
    const int64_t now = NowMicros();
    // Policies that never overwrite write an added unit as given (with dates
    // and changed_by filled in), so its values can be encoded in advance.
    const bool encode_ahead = policy != DuplicatePolicy::kOverwriteTarget;
    std::vector<std::shared_ptr<const UnitKeys>> keys(units.size());
    std::vector<Prepared> prepared(units.size());
    Pipeline pipeline(units.size(), units.size() >= 256 ? 128 : units.size(),
                      [&](size_t begin, size_t end) -> absl::Status {
                        for (size_t i = begin; i < end; ++i) {
                          if (encode_ahead) FillAddedUnit(units[i], now);
                          auto k = Keys(state, units[i], now);
                          if (!k.ok()) return k.status();
                          keys[i] = *std::move(k);
                          if (encode_ahead) {
                            Prepared& p = prepared[i];
                            p.entries = EntriesOf(*keys[i]);
                            p.keys_value = EncodeUnitKeys(*keys[i]);
                            p.unit_value = EncodeUnit(units[i]);
                          }
                        }
                        return absl::OkStatus();
                      });
    if (units.size() >= 256) pipeline.StartWorker();
    if (absl::Status s = pipeline.WaitFor(0); !s.ok()) return s;

    std::vector<AddOutcome> out;
    out.reserve(units.size());
    std::unique_lock<std::shared_mutex> w(state.rw);
    if (on_ordered) on_ordered();
    Writer writer(rocks_, state, options_, /*buffered=*/policy != DuplicatePolicy::kOverwriteTarget);
    if (policy != DuplicatePolicy::kKeepAll && state.source_hashes == nullptr) {
      // Reading the filter costs a scan of the memory's source hashes (about
      // as much as 100,000 index seeks at a million units): worth it once
      // the checks since the open add up to an eighth of the memory.
      state.unfiltered_checks += units.size();
      if (state.unfiltered_checks >= std::max<uint64_t>(options_.source_filter_min_units, state.rec.unit_count / 8)) {
        if (absl::Status s = ReadSourceHashes(state); !s.ok()) return s;
      }
    }
    // Units written in this batch but not yet committed, by source exact hash.
    absl::flat_hash_map<uint64_t, std::vector<size_t>> pending;
    std::vector<size_t> batch_units;  // indexes into units of this batch
    MemoryRecord saved = state.rec;
    auto commit = [&]() -> absl::Status {
      bool written = false;
      absl::Status s = writer.Commit(&written);
      if (!written) state.rec = saved;  // the batch was not written
      saved = state.rec;
      pending.clear();
      batch_units.clear();
      return s;
    };
    for (size_t i = 0; i < units.size(); ++i) {
      if (absl::Status s = pipeline.WaitFor(i); !s.ok()) {
        state.rec = saved;
        return s;
      }
      Unit& u = units[i];
      const uint64_t h = keys[i]->source.ExactHash();
      if (policy != DuplicatePolicy::kKeepAll) {
        auto dup = FindDuplicate(writer, h, u, pending, units, policy);
        if (!dup.ok()) return dup.status();
        if (dup->has_value()) {
          auto [existing, where] = **dup;
          if (policy == DuplicatePolicy::kSkipIdentical || existing.target == u.target) {
            out.push_back(AddOutcome{AddOutcome::kSkipped, existing.id});
            continue;
          }
          // Overwrite the target of the unit with the same source.
          std::shared_ptr<const UnitKeys> old_keys;
          if (where != SIZE_MAX) {
            old_keys = keys[where];
          } else {
            auto k = writer.reader().Keys(existing.id);
            if (!k.ok()) return k.status();
            old_keys = *k;
          }
          Unit updated = existing;
          updated.target = u.target;
          updated.changed_at_us = u.changed_at_us != 0 ? u.changed_at_us : now;
          if (!u.changed_by.empty()) updated.changed_by = u.changed_by;
          auto new_keys = std::make_shared<UnitKeys>(*old_keys);
          new_keys->target = keys[i]->target;
          new_keys->changed_at_us = updated.changed_at_us;
          if (absl::Status s = writer.Index(existing.id, old_keys, /*remove=*/true); !s.ok()) {
            state.rec = saved;
            return s;
          }
          if (absl::Status s = writer.Index(existing.id, new_keys, /*remove=*/false); !s.ok()) {
            state.rec = saved;
            return s;
          }
          writer.PutUnit(updated);
          if (where != SIZE_MAX) {
            units[where] = updated;
            keys[where] = new_keys;
          }
          out.push_back(AddOutcome{AddOutcome::kOverwritten, existing.id});
          continue;
        }
      }
      u.id = state.rec.next_unit_id++;
      if (encode_ahead) {
        const Prepared& p = prepared[i];
        if (absl::Status s = writer.Index(u.id, keys[i], p.entries, p.keys_value, false); !s.ok()) {
          state.rec = saved;
          return s;
        }
        writer.PutUnit(u.id, p.unit_value);
      } else {
        FillAddedUnit(u, now);
        if (absl::Status s = writer.Index(u.id, keys[i], false); !s.ok()) {
          state.rec = saved;
          return s;
        }
        writer.PutUnit(u);
      }
      ++state.rec.unit_count;
      pending[h].push_back(i);
      batch_units.push_back(i);
      out.push_back(AddOutcome{AddOutcome::kAdded, u.id});
      if (batch_units.size() >= kBatchUnits) {
        if (absl::Status s = commit(); !s.ok()) return s;
      }
    }
    if (absl::Status s = commit(); !s.ok()) return s;
    return out;
  }

  absl::StatusOr<Unit> UpdateUnit(const std::string& memory, Unit unit) override {
    auto found = Find(memory);
    if (!found.ok()) return found.status();
    MemState& state = **found;
    if (absl::Status s = ValidateUnit(unit); !s.ok()) return s;
    auto keys = Keys(state, unit);
    if (!keys.ok()) return keys.status();
    std::unique_lock<std::shared_mutex> w(state.rw);
    Writer writer(rocks_, state, options_);
    auto old = writer.reader().GetUnit(unit.id);
    if (!old.ok()) return old.status();
    auto old_keys = writer.reader().Keys(unit.id);
    if (!old_keys.ok()) return old_keys.status();
    unit.created_at_us = old->created_at_us;
    unit.created_by = old->created_by;
    if (unit.changed_at_us == 0) unit.changed_at_us = NowMicros();
    if (unit.usage_count == 0) unit.usage_count = old->usage_count;
    auto new_keys = std::make_shared<UnitKeys>(**keys);
    new_keys->changed_at_us = unit.changed_at_us;
    const MemoryRecord saved = state.rec;
    if (absl::Status s = writer.Index(unit.id, *old_keys, true); !s.ok()) return s;
    if (absl::Status s = writer.Index(unit.id, new_keys, false); !s.ok()) {
      state.rec = saved;
      return s;
    }
    writer.PutUnit(unit);
    bool written = false;
    if (absl::Status s = writer.Commit(&written); !s.ok()) {
      if (!written) state.rec = saved;
      return s;
    }
    return unit;
  }

  absl::StatusOr<uint64_t> DeleteUnits(const std::string& memory,
                                       const std::vector<uint64_t>& ids) override {
    auto found = Find(memory);
    if (!found.ok()) return found.status();
    MemState& state = **found;
    std::unique_lock<std::shared_mutex> w(state.rw);
    Writer writer(rocks_, state, options_);
    const MemoryRecord saved = state.rec;
    uint64_t deleted = 0;
    absl::flat_hash_set<uint64_t> done;
    for (uint64_t id : ids) {
      if (!done.insert(id).second) continue;
      auto keys = writer.reader().Keys(id);
      if (absl::IsNotFound(keys.status())) continue;
      if (!keys.ok()) return keys.status();
      if (absl::Status s = writer.Index(id, *keys, true); !s.ok()) {
        state.rec = saved;
        return s;
      }
      writer.DeleteUnit(id);
      --state.rec.unit_count;
      ++deleted;
    }
    bool written = false;
    if (absl::Status s = writer.Commit(&written); !s.ok()) {
      if (!written) state.rec = saved;
      return s;
    }
    return deleted;
  }

  absl::StatusOr<Unit> GetUnit(const std::string& memory, uint64_t id) override {
    auto found = Find(memory);
    if (!found.ok()) return found.status();
    std::shared_lock<std::shared_mutex> r((*found)->rw);
    rocksdb::ReadOptions ro;
    Reader reader(rocks_, **found, ro);
    return reader.GetUnit(id);
  }

  absl::Status ScanUnits(const std::string& memory, uint64_t after_id,
                         const std::function<absl::Status(const Unit&)>& fn) override {
    auto found = Find(memory);
    if (!found.ok()) return found.status();
    const uint32_t mem = (*found)->rec.id;
    Snapshot snap(rocks_.db);
    rocksdb::ReadOptions ro = snap.options();
    const std::string lo = UnitKey(mem, after_id + 1), hi = MemoryPrefix(mem + 1);
    rocksdb::Slice upper = S(hi);
    ro.iterate_upper_bound = &upper;
    ro.fill_cache = false;  // a full scan would evict the lookup working set
    std::unique_ptr<rocksdb::Iterator> it(rocks_.db->NewIterator(ro, rocks_.cf(Cf::kUnits)));
    for (it->Seek(S(lo)); it->Valid(); it->Next()) {
      const std::string_view key(it->key().data(), it->key().size());
      auto unit = DecodeUnit(UnitIdOfKey(key), std::string_view(it->value().data(), it->value().size()));
      if (!unit.ok()) return unit.status();
      if (absl::Status s = fn(*unit); !s.ok()) return s;
    }
    return it->status().ok() ? absl::OkStatus() : FromRocks(it->status(), "scan units");
  }

  absl::Status IncrementUsage(const std::string& memory, uint64_t id, uint64_t by) override {
    auto found = Find(memory);
    if (!found.ok()) return found.status();
    MemState& state = **found;
    std::unique_lock<std::shared_mutex> w(state.rw);
    Writer writer(rocks_, state, options_);
    auto unit = writer.reader().GetUnit(id);
    if (!unit.ok()) return unit.status();
    unit->usage_count += by;
    writer.PutUnit(*unit);
    return writer.Commit();
  }

  absl::StatusOr<match::LookupResult> Lookup(const LookupRequest& request) override {
    if (request.memories.empty()) return absl::InvalidArgumentError("no memory to look in");
    if (absl::Status s = text::ValidateUtf8(request.text); !s.ok()) return s;
    std::vector<match::LookupResult> results;
    for (const std::string& name : request.memories) {
      auto found = Find(name);
      if (!found.ok()) return found.status();
      MemState& state = **found;
      match::LookupOptions options = request.options;
      options.side = request.reverse ? Side::kTarget : Side::kSource;
      auto pen = request.memory_penalties.find(name);
      if (pen != request.memory_penalties.end()) options.memory_penalty = pen->second;
      const text::Language lang = state.languages[request.reverse ? 1 : 0];
      const text::Language other = state.languages[request.reverse ? 0 : 1];
      auto query = analyzer_.Analyze(request.text, lang);
      if (!query.ok()) return query.status();
      std::shared_lock<std::shared_mutex> r(state.rw);
      Snapshot snap(rocks_.db);
      Reader reader(rocks_, state, snap.options());
      View view(reader, state);
      auto result = match::Lookup(view, analyzer_, *query, lang, other, options);
      if (!result.ok()) return result.status();
      for (match::Match& m : result->matches) m.memory = name;
      results.push_back(*std::move(result));
    }
    return match::MergeResults(std::move(results), request.options.max_results);
  }

  absl::StatusOr<ConcordanceResult> Concordance(const ConcordanceRequest& request) override {
    auto found = Find(request.memory);
    if (!found.ok()) return found.status();
    MemState& state = **found;
    if (request.page_size == 0 || request.page_size > 1000) {
      return absl::InvalidArgumentError("page_size must be 1 to 1000");
    }
    const Side side = request.in_target ? Side::kTarget : Side::kSource;
    const text::Language lang = state.languages[static_cast<int>(side)];
    auto phrase = analyzer_.Analyze(request.text, lang);
    if (!phrase.ok()) return phrase.status();
    const std::vector<match::MatchToken>& want = phrase->key.tokens;
    if (want.empty()) return absl::InvalidArgumentError("the search text has no word to look for");

    std::shared_lock<std::shared_mutex> r(state.rw);
    Snapshot snap(rocks_.db);
    Reader reader(rocks_, state, snap.options());
    // Buffered (not yet written) postings of a token at lengths >= |phrase|.
    auto for_pending = [&](uint64_t token, const std::function<void(const UnitIds&)>& fn) {
      if (state.pending.empty()) return;
      for (uint32_t len = static_cast<uint32_t>(want.size());
           len <= state.rec.max_length[static_cast<int>(side)]; ++len) {
        fn(state.pending.Postings(PostingId{token, len, static_cast<uint8_t>(side)}));
      }
    };
    // The rarest phrase token (by posting counts over every length >= |phrase|).
    uint64_t best_key = 0, best_count = UINT64_MAX;
    for (const match::MatchToken& t : want) {
      uint64_t count = 0;
      auto s = ScanToken(snap.options(), state.rec.id, side, t.key, want.size(),
                         [&](std::string_view value) {
                           Reader_CountOnly(value, &count);
                         });
      if (!s.ok()) return s;
      for_pending(t.key, [&](const UnitIds& ids) { count += ids.size(); });
      if (count < best_count) best_count = count, best_key = t.key;
    }
    std::vector<uint64_t> candidates;
    absl::Status scan = ScanToken(snap.options(), state.rec.id, side, best_key, want.size(),
                                  [&](std::string_view value) {
                                    auto ids = DecodePostingList(value);
                                    if (ids.ok()) candidates.insert(candidates.end(), ids->begin(), ids->end());
                                  });
    if (!scan.ok()) return scan;
    for_pending(best_key, [&](const UnitIds& ids) {
      candidates.insert(candidates.end(), ids.begin(), ids.end());
    });
    std::sort(candidates.begin(), candidates.end(), std::greater<uint64_t>());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    ConcordanceResult result;
    for (uint64_t id : candidates) {
      if (request.page_token != 0 && id >= request.page_token) continue;
      if (result.hits.size() == request.page_size) {
        result.next_page_token = result.hits.back().unit.id;
        break;
      }
      auto keys = reader.Keys(id);
      if (!keys.ok()) return keys.status();
      const auto& toks = (*keys)->side(side).tokens;
      if (FindPhrase(toks, want).empty()) continue;
      auto unit = reader.GetUnit(id);
      if (!unit.ok()) return unit.status();
      if (!request.filter.Matches(*unit)) continue;
      const std::string& text = side == Side::kSource ? unit->source : unit->target;
      auto seg = analyzer_.Analyze(text, lang);
      if (!seg.ok()) return seg.status();
      ConcordanceHit hit;
      for (size_t at : FindPhrase(seg->key.tokens, want)) {
        hit.spans.emplace_back(seg->spans[at].first, seg->spans[at + want.size() - 1].second);
      }
      hit.unit = *std::move(unit);
      result.hits.push_back(std::move(hit));
    }
    return result;
  }

  absl::StatusOr<StoreStats> Stats() override {
    StoreStats stats;
    std::vector<std::shared_ptr<MemState>> states;
    {
      std::lock_guard<std::mutex> l(mu_);
      for (auto& [name, s] : memories_) states.push_back(s);
    }
    for (auto& s : states) {
      std::shared_lock<std::shared_mutex> r(s->rw);
      std::lock_guard<std::mutex> f(s->fill);
      ++stats.memories;
      stats.units += s->rec.unit_count;
      stats.cached_postings += s->postings.size();
      stats.cached_unit_keys += s->keys.size();
    }
    stats.disk_bytes = store_.DiskBytes();
    return stats;
  }

 private:
  // Loads the unit keys of one memory in chunks. Each chunk is read with a
  // fresh iterator while holding the memory's lock shared, so no write can
  // interleave between reading a key and caching it.
  void WarmKeys(MemState& state) {
    rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
    std::string from = MemoryPrefix(state.rec.id);
    const std::string hi = MemoryPrefix(state.rec.id + 1);
    bool more = true;
    while (more && !stop_) {
      std::shared_lock<std::shared_mutex> r(state.rw);
      state.warming = true;
      rocksdb::ReadOptions ro;
      rocksdb::Slice upper = S(hi);
      ro.iterate_upper_bound = &upper;
      ro.fill_cache = false;
      std::unique_ptr<rocksdb::Iterator> it(rocks_.db->NewIterator(ro, rocks_.cf(Cf::kUnitKeys)));
      it->Seek(S(from));
      std::vector<std::pair<uint64_t, std::shared_ptr<const UnitKeys>>> chunk;
      for (int i = 0; i < 4096 && it->Valid(); ++i, it->Next()) {
        auto keys = DecodeUnitKeys(std::string_view(it->value().data(), it->value().size()));
        if (!keys.ok()) {
          state.warming = false;  // a corrupt value: the cache stays incomplete
          return;
        }
        chunk.emplace_back(UnitIdOfKey(std::string_view(it->key().data(), it->key().size())),
                           std::make_shared<const UnitKeys>(*std::move(keys)));
      }
      more = it->Valid();
      if (more) from = it->key().ToString();
      std::lock_guard<std::mutex> f(state.fill);
      for (auto& [id, k] : chunk) state.keys.emplace(id, std::move(k));
      if (!more) state.keys_complete = true;
    }
    state.warming = false;
  }

  // Reads the posting lists of the memory's frequent tokens (on each side,
  // those in at least 0.1% of the units of a sample) at every length into the
  // posting cache, a token at a time (holding the memory's lock shared).
  // REQUIRES: WarmKeys(state) has run.
  void WarmFrequentPostings(MemState& state) {
    constexpr uint64_t kSampleEvery = 16;  // units with id % 16 == 0
    constexpr double kMinShare = 0.001;
    std::vector<std::pair<Side, uint64_t>> frequent;
    {
      std::shared_lock<std::shared_mutex> r(state.rw);
      if (!state.keys_complete) return;  // a corrupt unit key: no sample
      absl::flat_hash_map<uint64_t, uint32_t> df[2];  // units of the sample with the token, a side
      uint64_t sampled = 0;
      for (const auto& [id, keys] : state.keys) {
        if (id % kSampleEvery != 0) continue;
        ++sampled;
        ForEachIndexEntry(  // a posting a distinct token
            *keys, [&](const PostingId& p) { ++df[p.side][p.key]; }, [](const ExactId&, uint32_t) {});
      }
      const uint64_t min_df = std::max<uint64_t>(20, static_cast<uint64_t>(kMinShare * sampled));
      for (Side side : {Side::kSource, Side::kTarget}) {
        for (const auto& [key, n] : df[static_cast<int>(side)]) {
          if (n >= min_df) frequent.emplace_back(side, key);
        }
      }
    }
    rocksdb::ReadOptions ro;
    ro.fill_cache = false;  // the lists are cached decoded, not as blocks
    for (const auto& [side, key] : frequent) {
      if (stop_) return;
      std::shared_lock<std::shared_mutex> r(state.rw);
      Reader reader(rocks_, state, ro);
      const uint32_t longest = state.rec.max_length[static_cast<int>(side)];
      if (!reader.PrefetchPostings(side, key, 1, longest).ok()) return;  // lookups read them then
    }
  }

  static void Reader_CountOnly(std::string_view value, uint64_t* count) {
    ByteReader r(value);
    uint64_t n = 0;
    if (r.GetVarint64(&n)) *count += n;
  }

  // Calls fn with every posting list value of `token` at lengths >= min_length.
  absl::Status ScanToken(const rocksdb::ReadOptions& ro, uint32_t mem, Side side, uint64_t token,
                         size_t min_length, const std::function<void(std::string_view)>& fn) {
    const std::string prefix = PostingTokenPrefix(mem, side, token);
    std::unique_ptr<rocksdb::Iterator> it(rocks_.db->NewIterator(ro, rocks_.cf(Cf::kPostings)));
    for (it->Seek(S(PostingKey(mem, side, token, static_cast<uint32_t>(min_length))));
         it->Valid() && it->key().starts_with(S(prefix)); it->Next()) {
      fn(std::string_view(it->value().data(), it->value().size()));
    }
    return it->status().ok() ? absl::OkStatus() : FromRocks(it->status(), "scan postings");
  }

  static std::vector<size_t> FindPhrase(const std::vector<match::MatchToken>& toks,
                                        const std::vector<match::MatchToken>& want) {
    std::vector<size_t> at;
    for (size_t i = 0; i + want.size() <= toks.size(); ++i) {
      bool ok = true;
      for (size_t j = 0; j < want.size() && ok; ++j) ok = toks[i + j].key == want[j].key;
      if (ok) at.push_back(i);
    }
    return at;
  }

  // Fills state.source_hashes from the memory's exact index (after writing
  // its buffered entries, so that the index holds them all).
  // REQUIRES: the caller holds state.rw exclusively.
  absl::Status ReadSourceHashes(MemState& state) {
    if (absl::Status s = FlushPending(rocks_, state, options_); !s.ok()) return s;
    auto filter = std::make_unique<HashFilter>();
    // Exact keys: memory, side, hash, unit id (storage/FORMAT.md).
    std::string lower = MemoryPrefix(state.rec.id), upper = lower;
    lower.push_back(static_cast<char>(Side::kSource));
    upper.push_back(static_cast<char>(static_cast<uint8_t>(Side::kSource) + 1));
    rocksdb::ReadOptions ro;
    ro.fill_cache = false;      // a scan, not what lookups read
    ro.total_order_seek = true;  // across hash prefixes
    rocksdb::Slice upper_bound = S(upper);
    ro.iterate_upper_bound = &upper_bound;
    std::unique_ptr<rocksdb::Iterator> it(rocks_.db->NewIterator(ro, rocks_.cf(Cf::kExact)));
    for (it->Seek(S(lower)); it->Valid(); it->Next()) {
      const rocksdb::Slice k = it->key();
      if (k.size() < lower.size() + 8) return absl::DataLossError("exact index: short key");
      filter->Add(DecodeFixed64BE(k.data() + lower.size()));
    }
    if (!it->status().ok()) return FromRocks(it->status(), "read exact index");
    state.source_hashes = std::move(filter);
    return absl::OkStatus();
  }

  // The unit with the same raw source as `u` that the policy acts on: for
  // kSkipIdentical one with the same target too; for kOverwriteTarget the
  // newest with the same source. `where` is its index in `units` when it is
  // pending in this batch, else SIZE_MAX.
  absl::StatusOr<std::optional<std::pair<Unit, size_t>>> FindDuplicate(
      Writer& writer, uint64_t hash, const Unit& u,
      const absl::flat_hash_map<uint64_t, std::vector<size_t>>& pending, const std::vector<Unit>& units,
      DuplicatePolicy policy) {
    std::optional<std::pair<Unit, size_t>> best;
    // Units of this batch are in the filter too (Writer::Index).
    if (writer.state().source_hashes != nullptr && !writer.state().source_hashes->MayContain(hash)) return best;
    auto consider = [&](const Unit& existing, size_t where) {
      if (existing.source != u.source) return;
      if (policy == DuplicatePolicy::kSkipIdentical && existing.target != u.target) return;
      if (!best.has_value() || existing.id > best->first.id) best.emplace(existing, where);
    };
    auto it = pending.find(hash);
    if (it != pending.end()) {
      for (size_t i : it->second) consider(units[i], i);
    }
    auto ids = writer.reader().Exact(Side::kSource, hash, /*cache=*/false);
    if (!ids.ok()) return ids.status();
    for (uint64_t id : **ids) {
      auto existing = writer.reader().GetUnit(id);
      if (absl::IsNotFound(existing.status())) continue;
      if (!existing.ok()) return existing.status();
      consider(*existing, SIZE_MAX);
    }
    return best;
  }

  // The keys of `u`, changed at u.changed_at_us, or else at the date an
  // added unit gets (created_at_us, or else `now`).
  absl::StatusOr<std::shared_ptr<const UnitKeys>> Keys(const MemState& state, const Unit& u,
                                                      int64_t now = 0) {
    auto src = analyzer_.AnalyzeKey(u.source, state.languages[0]);
    if (!src.ok()) return src.status();
    auto tgt = analyzer_.AnalyzeKey(u.target, state.languages[1]);
    if (!tgt.ok()) return tgt.status();
    auto keys = std::make_shared<UnitKeys>();
    keys->source = *std::move(src);
    keys->target = *std::move(tgt);
    keys->changed_at_us = u.changed_at_us != 0 ? u.changed_at_us : u.created_at_us != 0 ? u.created_at_us : now;
    return std::shared_ptr<const UnitKeys>(std::move(keys));
  }

  // Buffers again the index entries of units added after the index watermark
  // (a crash lost the buffer; their units and unit keys were written).
  absl::Status RecoverPending(MemState& state) {
    auto upto = store_.Get(Cf::kMemories, IndexedUptoKey(state.rec.id));
    if (!upto.ok()) return upto.status();
    if (!upto->has_value()) return absl::OkStatus();  // format 2 dir, or never buffered: all indexed
    if ((*upto)->size() != 8) return absl::DataLossError("corrupt index watermark");
    const uint64_t from = DecodeFixed64BE((*upto)->data()) + 1;
    if (from >= state.rec.next_unit_id) return absl::OkStatus();
    const std::string lo = UnitKey(state.rec.id, from), hi = MemoryPrefix(state.rec.id + 1);
    rocksdb::ReadOptions ro;
    rocksdb::Slice upper = S(hi);
    ro.iterate_upper_bound = &upper;
    std::unique_ptr<rocksdb::Iterator> it(rocks_.db->NewIterator(ro, rocks_.cf(Cf::kUnitKeys)));
    for (it->Seek(S(lo)); it->Valid(); it->Next()) {
      auto keys = DecodeUnitKeys(std::string_view(it->value().data(), it->value().size()));
      if (!keys.ok()) return keys.status();
      const uint64_t id = UnitIdOfKey(std::string_view(it->key().data(), it->key().size()));
      ForEachIndexEntry(
          *keys, [&](const PostingId& pid) { state.pending.AddPosting(pid, id); },
          [&](const ExactId& eid, uint32_t) { state.pending.AddExact(eid, id); });
      state.pending.CountUnits(1);
    }
    return it->status().ok() ? absl::OkStatus() : FromRocks(it->status(), "recover the index");
  }

  static absl::Status SetRecord(MemState& state, MemoryRecord rec) {
    auto src = text::ParseLanguage(rec.source_lang);
    if (!src.ok()) return src.status();
    auto tgt = text::ParseLanguage(rec.target_lang);
    if (!tgt.ok()) return tgt.status();
    state.languages[0] = *src;
    state.languages[1] = *tgt;
    state.rec = std::move(rec);
    return absl::OkStatus();
  }

  static absl::Status NoMemory(const std::string& name) {
    return absl::NotFoundError(absl::StrCat("no memory named '", name, "'"));
  }

  // Whether memory `id` is being written (an index write in flight, or the
  // lock held by a writer): its compaction waits.
  bool IndexBusy(uint32_t id) {
    std::shared_ptr<MemState> state;
    {
      std::lock_guard<std::mutex> l(mu_);
      for (const auto& [name, st] : memories_) {
        if (st->rec.id == id) state = st;
      }
    }
    if (state == nullptr) return false;
    std::shared_lock<std::shared_mutex> r(state->rw, std::try_to_lock);
    return !r.owns_lock() || state->pending.Writing();
  }

  absl::StatusOr<std::shared_ptr<MemState>> Find(const std::string& name) {
    std::lock_guard<std::mutex> l(mu_);
    auto it = memories_.find(name);
    if (it == memories_.end()) return NoMemory(name);
    return it->second;
  }

  Store& store_;
  internal::RocksHandles& rocks_;
  const match::Analyzer& analyzer_;
  const MemoryStoreOptions options_;
  std::mutex mu_;  // guards memories_ and next_memory_id_
  std::map<std::string, std::shared_ptr<MemState>> memories_;
  uint32_t next_memory_id_ = 1;
  std::thread warm_thread_;
  std::atomic<bool> stop_{false};
  IndexCompactor compactor_;  // after memories_: IndexBusy reads it until Stop()
};

}  // namespace

absl::StatusOr<std::unique_ptr<MemoryStore>> MemoryStore::Open(Store& store,
                                                               const match::Analyzer& analyzer,
                                                               const MemoryStoreOptions& options) {
  auto ms = std::make_unique<RocksMemoryStore>(store, analyzer, options);
  if (absl::Status s = ms->Load(); !s.ok()) return s;
  return std::unique_ptr<MemoryStore>(std::move(ms));
}

}  // namespace qantara::storage
