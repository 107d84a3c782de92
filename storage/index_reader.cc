// CachedIndexReader: cache-through reads of one memory's index and units.
#include "storage/internal/index_reader.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "rocksdb/perf_level.h"
#include "service/base/low_priority.h"
#include "service/base/status_macros.h"
#include "storage/internal/scan.h"
#include "storage/internal/status.h"

namespace qantara::storage::internal {
namespace {

// The cached keys of unit `id` when the cache is complete. A complete cache
// changes only under `rw` held exclusively (no reader inserts into it any
// more), so a reader holding `rw` shared reads it without `fill`.
const std::shared_ptr<const match::UnitKeys>* FindCompleteKeys(MemState& state,
                                                               uint64_t id) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  if (!state.keys_complete) return nullptr;
  return state.keys.Find(id);
}

// The whole key cache, once complete (read as FindCompleteKeys does).
const KeyCache& CompleteKeys(MemState& state) ABSL_NO_THREAD_SAFETY_ANALYSIS { return state.keys; }

}  // namespace

CachedIndexReader::CachedIndexReader(RocksHandles& rocks, MemState& state, const rocksdb::ReadOptions& ro,
                                     bool reuse_iterators)
    : rocks_(rocks),
      state_(state),
      fill_caches_(!ThisThreadIsLowPriority()),
      ro_(ro),
      prefix_ro_(ro),
      unit_ro_(ro),
      reuse_iterators_(reuse_iterators) {
  if (!fill_caches_) ro_.fill_cache = prefix_ro_.fill_cache = false;
  unit_ro_.fill_cache = false;
  // Exact-index and posting scans stay inside one 13-byte prefix (the
  // column families' prefix extractor), so SST files whose prefix bloom
  // filter rules it out are skipped: many right after a bulk load.
  prefix_ro_.prefix_same_as_start = true;
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);  // no per-read perf counters
}

namespace {

// A stored posting list (`stored`, null when there is none) with the index
// buffer's ids of it not yet written (`pending`), in the caches' compact form.
absl::StatusOr<std::shared_ptr<match::PostingList>> CompactList(const std::string_view* stored,
                                                                const match::UnitIds& pending) {
  if (pending.empty()) {
    if (stored == nullptr) return std::make_shared<match::PostingList>();
    auto list = DecodeCompactPostingList(*stored);
    if (!list.ok()) return list.status();
    return std::make_shared<match::PostingList>(*std::move(list));
  }
  match::UnitIds ids;
  if (stored != nullptr) {
    auto decoded = DecodePostingList(*stored);
    if (!decoded.ok()) return decoded.status();
    ids = *std::move(decoded);
  }
  MergeSorted(ids, pending);
  return std::make_shared<match::PostingList>(match::PostingList::FromIds(ids));
}

}  // namespace

absl::StatusOr<std::shared_ptr<match::PostingList>> CachedIndexReader::Postings(match::Side side,
                                                                                uint64_t key,
                                                                                uint32_t length) {
  QANTARA_ASSIGN_OR_RETURN(std::shared_ptr<TokenPostings> token, Token(side, key, length, length));
  return token->ListAt(TokenPostings::CapLength(length));
}

absl::Status CachedIndexReader::PrefetchPostings(match::Side side, uint64_t key, uint32_t lo, uint32_t hi) {
  if (lo > hi) return absl::OkStatus();
  return Token(side, key, lo, hi).status();
}

absl::StatusOr<std::shared_ptr<TokenPostings>> CachedIndexReader::Token(match::Side side, uint64_t key,
                                                                        uint32_t lo, uint32_t hi) {
  state_.rw.AssertReaderHeld();
  lo = TokenPostings::CapLength(lo);
  hi = TokenPostings::CapLength(hi);
  const TokenId tid{key, static_cast<uint8_t>(side)};
  // A lookup's reader (it reads a snapshot) keeps the entries it used:
  // no writer changes them while it holds `rw`.
  const bool keep = ro_.snapshot != nullptr;
  std::shared_ptr<TokenPostings>* kept = nullptr;
  if (keep) {
    kept = &prefetched_[tid];
    if (*kept != nullptr && (*kept)->covers(lo, hi)) return *kept;
  }
  std::shared_ptr<TokenPostings> cached = state_.postings.Find(tid, /*count=*/false);
  if (cached != nullptr && cached->covers(lo, hi)) {
    state_.budget->hits.fetch_add(1, std::memory_order_relaxed);
  } else {
    state_.budget->misses.fetch_add(1, std::memory_order_relaxed);
    // What it lacks is read: of the cached entry, or else (evicted, or a
    // reader that does not fill the caches) of the one this reader holds.
    const TokenPostings* base = cached != nullptr ? cached.get() : kept != nullptr ? kept->get() : nullptr;
    QANTARA_ASSIGN_OR_RETURN(cached, ReadToken(side, key, base, lo, hi));
    if (fill_caches_) {
      cached = state_.postings.Replace(tid, std::move(cached));
      state_.budget->Shrink();
    }
  }
  if (kept != nullptr) *kept = cached;
  return cached;
}

absl::StatusOr<std::shared_ptr<TokenPostings>> CachedIndexReader::ReadToken(match::Side side, uint64_t key,
                                                                            const TokenPostings* base,
                                                                            uint32_t lo, uint32_t hi) {
  state_.rw.AssertReaderHeld();
  // The lengths to read: those of [lo, hi] that `base` does not cover,
  // from the first to the last of them (the others between are skipped).
  // (Token asks only when some are missing.)
  uint32_t first = lo, last = hi;
  if (base != nullptr) base->Missing(lo, hi, &first, &last);
  auto wanted = [base](uint32_t len) { return base == nullptr || !base->covers(len); };
  TokenPostings::Lists lists;  // ascending lengths
  // The index buffer (unwritten ids), for the scan's callback too (which
  // holds `rw` shared through this call; the analysis does not follow a
  // lambda).
  const IndexBuffer* const buffer = state_.pending.empty() ? nullptr : &state_.pending;
  // Adds the list at `len`: what is stored (`stored`, null when nothing is)
  // with the buffer's ids; nothing when it has no id.
  auto add = [&](uint32_t len, const std::string_view* stored) -> absl::Status {
    if (!wanted(len)) return absl::OkStatus();
    const match::UnitIds pending = buffer != nullptr
                                       ? buffer->Postings(PostingId{key, len, static_cast<uint8_t>(side)})
                                       : match::UnitIds();
    if (stored == nullptr && pending.empty()) return absl::OkStatus();
    QANTARA_ASSIGN_OR_RETURN(std::shared_ptr<match::PostingList> list, CompactList(stored, pending));
    if (!list->empty()) lists.emplace_back(len, std::move(list));
    return absl::OkStatus();
  };
  // Reads the lists at lengths [a, b]: one scan (a seek, and a step a
  // stored list), with the lookup's iterator when the reader has one.
  auto read = [&](uint32_t a, uint32_t b) -> absl::Status {
    const std::string start = PostingKey(state_.id, side, key, a);
    // Above PostingKey(b) and below every longer key (keys of one token are
    // all of one size).
    const std::string end = PostingKey(state_.id, side, key, b) + '\0';
    uint32_t next = a;  // lengths below it are done
    auto stored = [&](std::string_view k, std::string_view v) -> absl::Status {
      if (k.size() != start.size()) return absl::OkStatus();
      const uint32_t len =
          (static_cast<uint8_t>(k[k.size() - 2]) << 8) | static_cast<uint8_t>(k[k.size() - 1]);
      if (buffer != nullptr) {
        for (; next < len; ++next) QANTARA_RETURN_IF_ERROR(add(next, nullptr));
      }
      next = len + 1;
      return add(len, &v);
    };
    if (ro_.snapshot != nullptr) {
      // start and end share the token's 13-byte prefix: the iterator stays in it.
      if (postings_it_ == nullptr)
        postings_it_.reset(rocks_.db->NewIterator(prefix_ro_, rocks_.cf(Cf::kPostings)));
      rocksdb::Iterator* it = postings_it_.get();
      for (it->Seek(AsSlice(start)); it->Valid() && it->key().compare(AsSlice(end)) < 0; it->Next()) {
        QANTARA_RETURN_IF_ERROR(stored(AsView(it->key()), AsView(it->value())));
      }
      if (!it->status().ok()) return FromRocks(it->status(), "read postings");
    } else {
      QANTARA_RETURN_IF_ERROR(
          ScanAll(rocks_, Cf::kPostings, prefix_ro_, start, end, stored, "read postings"));
    }
    if (buffer != nullptr) {
      for (; next <= b; ++next) QANTARA_RETURN_IF_ERROR(add(next, nullptr));
    }
    return absl::OkStatus();
  };
  QANTARA_RETURN_IF_ERROR(read(first, last));
  if (base == nullptr) return std::make_shared<TokenPostings>(lo, hi, std::move(lists));
  return std::make_shared<TokenPostings>(*base, lo, hi, std::move(lists));
}

absl::StatusOr<std::shared_ptr<match::ExactList>> CachedIndexReader::Exact(match::Side side, uint64_t hash,
                                                                           bool cache) {
  state_.rw.AssertReaderHeld();
  const ExactId eid{hash, static_cast<uint8_t>(side)};
  // Duplicate checks (`cache` false) count neither hits nor misses.
  if (auto cached = state_.exact.Find(eid, cache); cached != nullptr) return cached;
  auto list = std::make_shared<match::ExactList>();
  const std::string prefix = ExactPrefix(state_.id, side, hash);
  std::unique_ptr<rocksdb::Iterator> own;
  rocksdb::Iterator* it = nullptr;
  if (reuse_iterators_) {
    // Seeks of one iterator reuse what it holds (a bulk add's duplicate
    // checks seek it once a unit).
    if (exact_it_ == nullptr || exact_it_generation_ != state_.generation) {
      exact_it_.reset(rocks_.db->NewIterator(prefix_ro_, rocks_.cf(Cf::kExact)));
      exact_it_generation_ = state_.generation;
    }
    it = exact_it_.get();
  } else {
    own.reset(rocks_.db->NewIterator(prefix_ro_, rocks_.cf(Cf::kExact)));
    it = own.get();
  }
  for (it->Seek(AsSlice(prefix)); it->Valid() && it->key().starts_with(AsSlice(prefix)); it->Next()) {
    if (it->key().size() != prefix.size() + 8)
      return absl::DataLossError("exact index: a key of the wrong size");
    // A value that does not decode reads as no date (the unit is read to be
    // ranked): lookups go on, and --check reports and rewrites it.
    const absl::StatusOr<int64_t> bound =
        DecodeExactValue(std::string_view(it->value().data(), it->value().size()));
    list->ids.push_back(DecodeFixed64BE(it->key().data() + prefix.size()));
    list->changed_bound.push_back(bound.ok() ? *bound : match::ExactList::kUnknownChange);
  }
  if (!it->status().ok()) return FromRocks(it->status(), "read exact index");
  if (!state_.pending.empty()) list->Merge(state_.pending.Exact(eid));
  if (!cache || !fill_caches_) return list;
  list = state_.exact.Insert(eid, std::move(list));
  state_.budget->Shrink();
  return list;
}

absl::Status CachedIndexReader::Damaged(uint64_t id, const absl::Status& cause) const {
  return absl::DataLossError(absl::StrCat("unit ", id, " of memory id ", state_.id, " is damaged (",
                                          cause.message(), "): delete it, or run qantara-server --check"));
}

absl::StatusOr<std::shared_ptr<const match::UnitKeys>> CachedIndexReader::Keys(uint64_t id) {
  state_.rw.AssertReaderHeld();
  if (const auto* complete = FindCompleteKeys(state_, id); complete != nullptr) return *complete;
  {
    absl::ReaderMutexLock l(&state_.fill);
    if (const auto* cached = state_.keys.Find(id); cached != nullptr) return *cached;
  }
  std::string value;
  rocksdb::Status s =
      rocks_.db->Get(unit_ro_, rocks_.cf(Cf::kUnitKeys), AsSlice(UnitKey(state_.id, id)), &value);
  if (s.IsNotFound()) return absl::NotFoundError(absl::StrCat("no unit ", id));
  if (!s.ok()) return FromRocks(s, "read unit keys");
  auto keys = DecodeUnitKeys(value);
  if (!keys.ok()) return Damaged(id, keys.status());
  auto ptr = std::make_shared<const match::UnitKeys>(*std::move(keys));
  // A complete cache is never filled by readers (they read it without
  // `fill`); an uncached memory's keys are not cached at all.
  if (!fill_caches_ || state_.keys_uncached || state_.keys_complete) return ptr;
  absl::MutexLock l(&state_.fill);
  // Only while the store's key budget has room, an eighth of it left to the
  // writes of complete caches (which drop theirs once it is full: fills of
  // other memories must not make them).
  const KeyBudget& budget = state_.keys.budget();
  if (state_.keys_uncached || !budget.Fits(KeyCache::Bytes(*ptr) + budget.limit() / 8)) return ptr;
  return state_.keys.Emplace(id, std::move(ptr));
}

const match::UnitKeys* CachedIndexReader::PeekKeys(uint64_t id) {
  state_.rw.AssertReaderHeld();
  const auto* complete = FindCompleteKeys(state_, id);
  return complete == nullptr ? nullptr : complete->get();
}

absl::StatusOr<match::Unit> CachedIndexReader::GetUnit(uint64_t id) {
  state_.rw.AssertReaderHeld();
  if (reuse_iterators_) {
    // Writers (duplicate checks) read units mostly in ascending id order
    // (a re-imported file): seeks of one iterator reuse the data block it
    // holds, where each Get would read and decompress it again (writers
    // do not fill the block cache).
    if (units_it_ == nullptr || units_it_generation_ != state_.generation) {
      units_it_.reset(rocks_.db->NewIterator(ro_, rocks_.cf(Cf::kUnits)));
      units_it_generation_ = state_.generation;
    }
    const std::string key = UnitKey(state_.id, id);
    units_it_->Seek(AsSlice(key));
    if (!units_it_->status().ok()) return FromRocks(units_it_->status(), "read unit");
    if (!units_it_->Valid() || units_it_->key() != AsSlice(key)) {
      return absl::NotFoundError(absl::StrCat("no unit ", id));
    }
    absl::StatusOr<match::Unit> unit = DecodeUnit(id, AsView(units_it_->value()));
    if (!unit.ok()) return Damaged(id, unit.status());
    return unit;
  }
  std::string value;
  rocksdb::Status s =
      rocks_.db->Get(unit_ro_, rocks_.cf(Cf::kUnits), AsSlice(UnitKey(state_.id, id)), &value);
  if (s.IsNotFound()) return absl::NotFoundError(absl::StrCat("no unit ", id));
  if (!s.ok()) return FromRocks(s, "read unit");
  absl::StatusOr<match::Unit> unit = DecodeUnit(id, value);
  if (!unit.ok()) return Damaged(id, unit.status());
  return unit;
}

absl::Status CachedIndexReader::ForEachUnitKeys(
    const std::function<absl::Status(uint64_t, const match::UnitKeys&)>& fn, bool skip_damaged) {
  state_.rw.AssertReaderHeld();
  if (state_.keys_complete) {
    // Complete: changed only under `rw` exclusively (FindCompleteKeys).
    for (const auto& [id, k] : CompleteKeys(state_)) {
      QANTARA_RETURN_IF_ERROR(fn(id, *k));
    }
    return absl::OkStatus();
  }
  return ScanAll(
      rocks_, Cf::kUnitKeys, ro_, MemoryPrefix(state_.id), MemoryPrefix(state_.id + 1),
      [&](std::string_view key, std::string_view value) -> absl::Status {
        auto keys = DecodeUnitKeys(value);
        if (!keys.ok()) return skip_damaged ? absl::OkStatus() : keys.status();
        return fn(UnitIdOfKey(key), *keys);
      },
      "scan unit keys");
}

}  // namespace qantara::storage::internal
