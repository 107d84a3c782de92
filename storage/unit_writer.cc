// UnitWriter: a memory's batch of unit and index writes, and its commit.
#include "storage/internal/unit_writer.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "rocksdb/perf_level.h"
#include "service/base/status_macros.h"
#include "storage/internal/status.h"
#include "storage/limits.h"

namespace qantara::storage::internal {
namespace {

// UnitKey(mem, id) into a reused string.
void UnitKeyInto(std::string& out, uint32_t mem, uint64_t id) {
  out.clear();
  PutFixed32BE(out, mem);
  PutFixed64BE(out, id);
}

MemoryRecord RecordOf(MemState& state) {
  state.rw.AssertHeld();
  return state.rec;
}

}  // namespace

UnitWriter::UnitWriter(RocksHandles& rocks, MemState& state, const MemoryStoreOptions& options, bool buffered)
    : rocks_(rocks),
      state_(state),
      options_(options),
      committed_(RecordOf(state)),
      reader_(rocks, state, plain_, /*reuse_iterators=*/true),
      buffered_(buffered) {
  // Writers' reads (duplicate checks of imports, mostly misses) do not
  // fill the block cache: a big import would fill it with blocks no
  // lookup asks for.
  plain_.fill_cache = false;
}

UnitWriter::~UnitWriter() {
  state_.rw.AssertHeld();
  state_.rec = std::move(committed_);
}

absl::Status UnitWriter::Index(uint64_t id, const std::shared_ptr<const match::UnitKeys>& keys, bool remove) {
  return Index(id, keys, EntriesOf(*keys), EncodeUnitKeys(*keys), remove);
}

absl::Status UnitWriter::Index(uint64_t id, const std::shared_ptr<const match::UnitKeys>& keys,
                               const IndexEntries& entries, std::string_view encoded_keys, bool remove) {
  state_.rw.AssertHeld();
  if (!remove) {
    // What the unit-keys decoder reads back (storage/limits.h): a unit it
    // would refuse is never written.
    for (const auto* side : {&keys->source, &keys->target}) {
      if (side->tokens.size() > kMaxSideTokens) {
        return absl::InvalidArgumentError(absl::StrCat("a unit side has ", side->tokens.size(),
                                                       " matching tokens; at most ", kMaxSideTokens));
      }
    }
  }
  if (remove && !state_.pending.empty()) {
    QANTARA_RETURN_IF_ERROR(FlushPending(rocks_, state_, options_));
  }
  const uint32_t mem = state_.id;
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
      batch_.Delete(rocks_.cf(Cf::kExact),
                    AsSlice(ExactKey(mem, static_cast<match::Side>(eid.side), eid.hash, id)));
    } else {
      if (buffer) {
        buffered_exact_.emplace_back(eid, id);
      } else {
        batch_.Put(rocks_.cf(Cf::kExact),
                   AsSlice(ExactKey(mem, static_cast<match::Side>(eid.side), eid.hash, id)),
                   AsSlice(ExactValue(keys->changed_at_us)));
      }
      if (eid.side == static_cast<uint8_t>(match::Side::kSource) && state_.source_hashes != nullptr) {
        state_.source_hashes->Add(eid.hash);
      }
      uint32_t& longest = state_.rec.max_length[eid.side];
      longest = std::max(longest, entries.length[side]);
    }
    if (!buffer) exact_changes_.push_back({eid, id, remove, ExactBound(keys->changed_at_us)});
  }
  if (buffer) buffered_dates_.emplace_back(id, keys->changed_at_us);
  UnitKeyInto(key_, mem, id);
  if (remove) {
    batch_.Delete(rocks_.cf(Cf::kUnitKeys), AsSlice(key_));
    key_changes_.emplace_back(id, nullptr);
  } else {
    batch_.Put(rocks_.cf(Cf::kUnitKeys), AsSlice(key_), AsSlice(encoded_keys));
    key_changes_.emplace_back(id, keys);
  }
  if (buffer) ++buffered_units_;
  return absl::OkStatus();
}

void UnitWriter::PutUnit(const match::Unit& unit) {
  batch_.Put(rocks_.cf(Cf::kUnits), AsSlice(UnitKey(state_.id, unit.id)), AsSlice(EncodeUnit(unit)));
}

void UnitWriter::PutUnit(uint64_t id, std::string_view encoded) {
  UnitKeyInto(key_, state_.id, id);
  batch_.Put(rocks_.cf(Cf::kUnits), AsSlice(key_), AsSlice(encoded));
}

void UnitWriter::DeleteUnit(uint64_t id) {
  batch_.Delete(rocks_.cf(Cf::kUnits), AsSlice(UnitKey(state_.id, id)));
}

void UnitWriter::DeleteDamagedUnit(uint64_t id) {
  const std::string key = UnitKey(state_.id, id);
  batch_.Delete(rocks_.cf(Cf::kUnits), AsSlice(key));
  batch_.Delete(rocks_.cf(Cf::kUnitKeys), AsSlice(key));
  absl::MutexLock f(&state_.fill);
  state_.keys.Erase(id);
}

void UnitWriter::PutProgress(const ProgressMark& mark) {
  batch_.Put(rocks_.cf(Cf::kMemories), AsSlice(ProgressKey(state_.id, mark.job)),
             AsSlice(EncodeProgress(mark)));
}

absl::Status UnitWriter::Commit() {
  state_.rw.AssertHeld();
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);  // no per-key perf counters
  {
    // In key order: the memtable inserts faster, and the batch is deterministic.
    std::vector<std::pair<std::string, const std::string*>> ops;
    ops.reserve(posting_ops_.size());
    for (const auto& [pid, op] : posting_ops_) {
      ops.emplace_back(PostingKey(state_.id, static_cast<match::Side>(pid.side), pid.key, pid.length), &op);
    }
    std::sort(ops.begin(), ops.end());
    for (const auto& [key, op] : ops) batch_.Merge(rocks_.cf(Cf::kPostings), AsSlice(key), AsSlice(*op));
  }
  batch_.Put(rocks_.cf(Cf::kMemories), AsSlice(MemoryRecordKey(state_.id)),
             AsSlice(EncodeMemoryRecord(state_.rec)));
  if (state_.pending.empty()) {
    // Nothing was buffered before this batch: every unit committed so far
    // is indexed, and so are this batch's units unless it buffers them.
    std::string upto;
    PutFixed64BE(upto, (buffered_units_ == 0 ? state_.rec.next_unit_id : state_.committed_next_id) - 1);
    batch_.Put(rocks_.cf(Cf::kMemories), AsSlice(IndexedUptoKey(state_.id)), AsSlice(upto));
  }
  ++state_.generation;  // even on error
  rocksdb::Status s = rocks_.db->Write(rocks_.write, &batch_);
  if (!s.ok()) return FromRocks(s, "write units");
  committed_ = state_.rec;
  state_.committed_next_id = state_.rec.next_unit_id;
  ApplyCacheChanges();
  Reset();
  absl::Status flush = ReapFlush(state_);
  if (flush.ok() && state_.pending.units() >= options_.index_buffer_units) {
    flush = StartFlush(rocks_, state_, options_);
  }
  if (!flush.ok() && state_.index_error.ok()) state_.index_error = flush;
  return absl::OkStatus();
}

void UnitWriter::ApplyCacheChanges() {
  state_.rw.AssertHeld();
  // Buffered adds: into the buffer, and into cached lists (in id order).
  state_.pending.AddPostings(buffered_postings_);
  state_.pending.AddExacts(buffered_exact_);
  state_.pending.AddDates(buffered_dates_);
  state_.pending.CountUnits(buffered_units_);
  {
    absl::MutexLock l(&state_.fill);
    if (!state_.postings.empty()) {
      for (const auto& [pid, id] : buffered_postings_) {
        state_.postings.Update(TokenId{pid.key, pid.side},
                               [length = TokenPostings::CapLength(pid.length), id = id](
                                   TokenPostings& token) { token.Change(length, id, /*insert=*/true); });
      }
    }
    if (!state_.exact.empty()) {
      size_t d = 0;  // buffered_dates_ ascend by id, as the entries
      for (const auto& [eid, id] : buffered_exact_) {
        while (d < buffered_dates_.size() && buffered_dates_[d].first < id) ++d;
        const int64_t bound = d < buffered_dates_.size() && buffered_dates_[d].first == id
                                  ? ExactBound(buffered_dates_[d].second)
                                  : match::ExactList::kUnknownChange;
        state_.exact.Update(eid, [id = id, bound](match::ExactList& list) { list.Insert(id, bound); });
      }
    }
    for (const auto& c : posting_changes_) {
      // A list a removal may have emptied: HasTokens reads it.
      if (c.remove && !state_.token_removals[c.id.side].MayContain(c.id.key)) {
        state_.token_removals[c.id.side].Add(c.id.key);
      }
      state_.postings.Update(TokenId{c.id.key, c.id.side}, [&c](TokenPostings& token) {
        token.Change(TokenPostings::CapLength(c.id.length), c.unit, /*insert=*/!c.remove);
      });
    }
    for (const auto& c : exact_changes_) {
      state_.exact.Update(c.id, [&c](match::ExactList& list) {
        c.remove ? list.Erase(c.unit) : list.Insert(c.unit, c.bound);
      });
    }
    // A complete key cache stays complete; otherwise only stale entries go
    // (readers fill it on demand), so bulk adds do not grow it by a unit each.
    const bool keep = (state_.keys_complete || state_.warming) && !state_.keys_uncached;
    for (auto& [id, keys] : key_changes_) {
      if (keys != nullptr) {
        AddTokenKeys(state_, id, *keys);
      } else {
        state_.sketches.Erase(id);  // deleted
      }
      if (keys != nullptr && keep) {
        state_.keys.Put(id, keys);
      } else {
        state_.keys.Erase(id);
      }
    }
    // Writes grew the memory's complete cache past the store's key budget:
    // from now on its keys are read from RocksDB (`rw` is held exclusively:
    // no reader holds a pointer into the cache).
    if (keep && state_.keys.budget().over()) {
      state_.keys_complete = false;
      state_.keys_uncached = true;
      state_.keys.Clear();
    }
  }
  // Cached lists grew: back under the budget.
  state_.budget->Shrink();
}

void UnitWriter::Reset() {
  batch_.Clear();
  buffered_postings_.clear();
  buffered_exact_.clear();
  buffered_dates_.clear();
  buffered_units_ = 0;
  posting_ops_.clear();
  posting_changes_.clear();
  exact_changes_.clear();
  key_changes_.clear();
}

}  // namespace qantara::storage::internal
