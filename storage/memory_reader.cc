// OpenReader: a consistent read of one memory (its read lock, taken through
// the write gate, and a RocksDB snapshot for the reader's life), as the matcher's IndexView and the
// posting scans of concordance.
#include <algorithm>

#include "service/base/lock_wait.h"
#include "service/base/status_macros.h"
#include "storage/internal/index_reader.h"
#include "storage/internal/rocks_memory_store.h"
#include "storage/internal/scan.h"
#include "storage/internal/status.h"
#include "storage/internal/write_gate.h"

namespace qantara::storage::internal {
namespace {

class RocksMemoryReader final : public MemoryReader {
 public:
  // Takes the memory's lock shared, then the snapshot.
  RocksMemoryReader(RocksHandles& rocks, std::shared_ptr<MemState> state) ABSL_NO_THREAD_SAFETY_ANALYSIS
      : rocks_(rocks),
        state_(std::move(state)),
        wait_start_(MonotonicNanos()),
        mark_(*state_),
        lock_(&state_->rw),
        snap_(rocks.db),
        reader_(rocks, *state_, snap_.options()),
        info_(InfoOf(state_->rec)) {
    AddThisThreadLockWait(MonotonicNanos() - wait_start_);  // the gate, the lock and the snapshot
  }

  const MemoryInfo& info() const override { return info_; }
  // NotFound when the memory was deleted before the reader got its lock.
  absl::Status Live() const ABSL_NO_THREAD_SAFETY_ANALYSIS { return CheckLive(*state_); }

  absl::StatusOr<match::PostingsPtr> Postings(match::Side side, uint64_t key, uint32_t length) override {
    auto p = reader_.Postings(side, key, length);
    if (!p.ok()) return p.status();
    return match::PostingsPtr(*std::move(p));
  }
  absl::StatusOr<match::TokenListsPtr> TokenRange(match::Side side, uint64_t key, uint32_t min_length,
                                                  uint32_t max_length) override {
    auto token = reader_.Token(side, key, min_length, max_length);
    if (!token.ok()) return token.status();
    return match::TokenListsPtr(*std::move(token));
  }
  absl::StatusOr<match::ExactListPtr> Exact(match::Side side, uint64_t hash) override {
    state_->rw.AssertReaderHeld();
    if (state_->tokens_complete) {
      // No unit ever had it: nothing to read (a novel query's exact path).
      absl::ReaderMutexLock f(&state_->fill);
      if (!state_->exact_seen[static_cast<int>(side)].MayContain(hash)) return NoExact();
    }
    auto p = reader_.Exact(side, hash);
    if (!p.ok()) return p.status();
    return match::ExactListPtr(*std::move(p));
  }
  bool MayHaveSeveral(match::Side side, uint64_t hash) override {
    state_->rw.AssertReaderHeld();
    if (!state_->tokens_complete) return true;
    absl::ReaderMutexLock f(&state_->fill);
    return state_->exact_repeated[static_cast<int>(side)].MayContain(hash);
  }
  // A damaged unit (its record does not decode) reads as missing: lookups
  // and concordance skip it, as they skip a unit deleted meanwhile, and
  // serve the others; `--check` and Stats report it.
  absl::StatusOr<match::UnitKeysPtr> Keys(uint64_t id) override { return SkipDamaged(reader_.Keys(id)); }
  const match::UnitKeys* PeekKeys(uint64_t id) override { return reader_.PeekKeys(id); }
  absl::StatusOr<Unit> GetUnit(uint64_t id) override { return SkipDamaged(reader_.GetUnit(id)); }
  // From MemState::sketches (a reader lock of `fill` a candidate).
  bool KeySketch(uint64_t id, match::Side side, std::vector<uint16_t>* out) override {
    state_->rw.AssertReaderHeld();
    absl::ReaderMutexLock f(&state_->fill);
    return state_->sketches.Get(id, side, out);
  }
  // From MemState::changed_max once it holds every unit (with the token
  // keys: `tokens_complete`); unknown before, and for ids of no block.
  void ChangedBounds(const std::vector<uint64_t>& ids, std::vector<int64_t>* out) override {
    state_->rw.AssertReaderHeld();
    out->assign(ids.size(), match::ExactList::kUnknownChange);
    if (!state_->tokens_complete) return;
    absl::ReaderMutexLock f(&state_->fill);
    // Ascending ids: one lookup a block.
    uint64_t block = UINT64_MAX;
    int64_t bound = match::ExactList::kUnknownChange;
    for (size_t i = 0; i < ids.size(); ++i) {
      if (ids[i] / MemState::kChangedBlock != block) {
        block = ids[i] / MemState::kChangedBlock;
        auto it = state_->changed_max.find(block);
        bound = it == state_->changed_max.end() ? match::ExactList::kUnknownChange : it->second;
      }
      (*out)[i] = bound;
    }
  }
  absl::Status ForEachUnitKeys(
      const std::function<absl::Status(uint64_t, const match::UnitKeys&)>& fn) override {
    return reader_.ForEachUnitKeys(fn, /*skip_damaged=*/true);
  }
  uint32_t MaxLength(match::Side side) override {
    state_->rw.AssertReaderHeld();
    return state_->rec.max_length[static_cast<int>(side)];
  }
  // One iterator, a seek a key inside its 13-byte prefix (SST files whose
  // prefix bloom filter rules it out are skipped); a list that removals
  // emptied does not count.
  absl::StatusOr<std::vector<bool>> HasTokens(match::Side side, const std::vector<uint64_t>& keys) override {
    state_->rw.AssertReaderHeld();
    std::vector<bool> out(keys.size(), false);
    if (keys.empty()) return out;
    // Keys no unit ever had are not read, nor those some unit has and no
    // write removed a posting of (MemState::tokens).
    std::vector<bool> maybe(keys.size(), true);
    bool read = true;
    if (state_->tokens_complete) {
      absl::ReaderMutexLock f(&state_->fill);
      const absl::flat_hash_set<uint64_t>& known = state_->tokens[static_cast<int>(side)];
      const HashFilter& removals = state_->token_removals[static_cast<int>(side)];
      read = false;
      for (size_t i = 0; i < keys.size(); ++i) {
        if (!known.contains(keys[i])) {
          maybe[i] = false;
        } else if (!removals.MayContain(keys[i])) {
          maybe[i] = false;
          out[i] = true;
        }
        read = read || maybe[i];
      }
    }
    if (!read) return out;
    const bool pending = !state_->pending.empty();
    rocksdb::ReadOptions ro = snap_.options();
    ro.prefix_same_as_start = true;
    std::unique_ptr<rocksdb::Iterator> it(rocks_.db->NewIterator(ro, rocks_.cf(Cf::kPostings)));
    // Ascending keys: the iterator's seeks move forward.
    std::vector<size_t> order(keys.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return keys[a] < keys[b]; });
    for (size_t i : order) {
      if (!maybe[i]) continue;
      if (pending && state_->pending.HasToken(static_cast<uint8_t>(side), keys[i])) {
        out[i] = true;
        continue;
      }
      const std::string prefix = PostingTokenPrefix(state_->id, side, keys[i]);
      for (it->Seek(AsSlice(prefix)); it->Valid() && it->key().starts_with(AsSlice(prefix)); it->Next()) {
        ByteReader r(std::string_view(it->value().data(), it->value().size()));
        uint64_t n = 0;
        if (!r.GetVarint64(&n) || n > 0) {  // a damaged list counts as present
          out[i] = true;
          break;
        }
      }
      if (!it->status().ok()) return FromRocks(it->status(), "read postings");
    }
    return out;
  }

  absl::StatusOr<uint64_t> CountTokenUnits(match::Side side, uint64_t token, uint32_t min_length) override {
    uint64_t count = 0;
    absl::Status s = ScanToken(side, token, min_length, [&](std::string_view value) -> absl::Status {
      // A posting list starts with its id count (storage/FORMAT.md).
      ByteReader r(value);
      uint64_t n = 0;
      if (!r.GetVarint64(&n)) return absl::DataLossError("corrupt posting list: no count");
      count += n;
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    ForPending(side, token, min_length, [&](const match::UnitIds& ids) { count += ids.size(); });
    return count;
  }

  absl::StatusOr<match::UnitIds> TokenUnits(match::Side side, uint64_t token, uint32_t min_length) override {
    match::UnitIds ids;
    absl::Status s = ScanToken(side, token, min_length, [&](std::string_view value) -> absl::Status {
      auto list = DecodePostingList(value);
      if (!list.ok()) return list.status();
      ids.insert(ids.end(), list->begin(), list->end());
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    ForPending(side, token, min_length,
               [&](const match::UnitIds& more) { ids.insert(ids.end(), more.begin(), more.end()); });
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
  }

  static match::ExactListPtr NoExact() {
    static const match::ExactListPtr* none =
        new match::ExactListPtr(std::make_shared<const match::ExactList>());
    return *none;
  }

  template <typename T>
  static absl::StatusOr<T> SkipDamaged(absl::StatusOr<T> v) {
    if (absl::IsDataLoss(v.status())) return absl::NotFoundError(v.status().message());
    return v;
  }

 private:
  // Calls fn with every stored posting list value of `token` at lengths >= min_length.
  absl::Status ScanToken(match::Side side, uint64_t token, uint32_t min_length,
                         const std::function<absl::Status(std::string_view)>& fn) {
    return ScanAll(
        rocks_, Cf::kPostings, snap_.options(), PostingKey(state_->id, side, token, min_length),
        PrefixEnd(PostingTokenPrefix(state_->id, side, token)),
        [&](std::string_view, std::string_view value) { return fn(value); }, "scan postings");
  }

  // Buffered (not yet written) postings of a token at lengths >= min_length.
  void ForPending(match::Side side, uint64_t token, uint32_t min_length,
                  const std::function<void(const match::UnitIds&)>& fn) {
    state_->rw.AssertReaderHeld();
    if (state_->pending.empty()) return;
    for (uint32_t len = min_length; len <= state_->rec.max_length[static_cast<int>(side)]; ++len) {
      fn(state_->pending.Postings(PostingId{token, len, static_cast<uint8_t>(side)}));
    }
  }

  RocksHandles& rocks_;
  std::shared_ptr<MemState> state_;  // kept alive while read
  const int64_t wait_start_;         // before the gate and the lock
  SlowReaderMark mark_;              // before lock_, let go after it
  absl::ReaderMutexLock lock_;
  Snapshot snap_;
  CachedIndexReader reader_;
  const MemoryInfo info_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<MemoryReader>> RocksMemoryStore::OpenReader(const MemoryRef& memory) {
  auto found = Find(memory);
  if (!found.ok()) return found.status();
  auto reader = std::make_unique<RocksMemoryReader>(rocks_, *std::move(found));
  QANTARA_RETURN_IF_ERROR(reader->Live());
  return std::unique_ptr<MemoryReader>(std::move(reader));
}

}  // namespace qantara::storage::internal
