// AddUnits: units added in one batch a call, with the duplicate policies,
// the source filter that spares most duplicate checks an index read, the
// index buffer of bulk adds, and the caller's progress mark.
#include <algorithm>
#include <utility>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "service/base/status_macros.h"
#include "storage/internal/encoded_unit.h"
#include "storage/internal/rocks_memory_store.h"
#include "storage/internal/scan.h"
#include "storage/internal/write_gate.h"
#include "storage/limits.h"

namespace qantara::storage::internal {
namespace {

// A unit id kept by an add (PreparedUnit::keep_id) must be above every id
// handed out, and fit the postings' encoding (id << 1).
absl::Status CheckKeptId(uint64_t id, uint64_t next_id) {
  if (id > kMaxUnitId) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot keep unit id ", id, ": unit ids must be at most ", kMaxUnitId));
  }
  if (id < next_id) {
    return absl::InvalidArgumentError(absl::StrCat("cannot keep unit id ", id, ": ids must ascend above ",
                                                   next_id - 1, ", the highest id the memory has used"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckJobKey(std::string_view job) {
  if (job.empty() || job.size() > kMaxJobKeyBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("a progress mark's job key must be 1 to ", kMaxJobKeyBytes, " bytes, not ", job.size()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<AddOutcome>> RocksMemoryStore::AddUnits(const MemoryRef& memory, UnitFeed& feed,
                                                                   DuplicatePolicy policy, int64_t now,
                                                                   const OnOrdered& on_ordered,
                                                                   const ProgressMark* progress) {
  if (progress != nullptr) QANTARA_RETURN_IF_ERROR(CheckJobKey(progress->job));
  QANTARA_ASSIGN_OR_RETURN(std::vector<AddOutcome> out,
                           AddUnitsLocked(memory, feed, policy, now, on_ordered, progress));
  QANTARA_RETURN_IF_ERROR(rocks_.Durable());
  return out;
}

absl::StatusOr<std::vector<AddOutcome>> RocksMemoryStore::AddUnitsLocked(const MemoryRef& memory,
                                                                         UnitFeed& feed,
                                                                         DuplicatePolicy policy, int64_t now,
                                                                         const OnOrdered& on_ordered,
                                                                         const ProgressMark* progress) {
  auto found = Find(memory);
  if (!found.ok()) return found.status();
  MemState& state = **found;
  const size_t n = feed.size();
  // Bulk adds leave the index in several sorted runs: compact them once the
  // adds stop (storage/internal/index_compactor.h).
  absl::Cleanup note_write = [this, id = state.id] { compactor_.NoteWrite(id); };
  std::vector<PreparedUnit*> ready(n, nullptr);
  if (n > 0) {
    auto first = feed.Get(0);  // a call that cannot start writes nothing
    if (!first.ok()) return first.status();
    ready[0] = *first;
  }
  std::vector<AddOutcome> out;
  out.reserve(n);
  WriteLock w(state);
  QANTARA_RETURN_IF_ERROR(CheckLive(state));
  // A background index write that failed is reported before anything is
  // written (its entries are buffered again and written with the next ones).
  // One report of a failure is enough: both are of the same entries.
  absl::Status reaped = ReapFlush(state);
  absl::Status deferred = std::exchange(state.index_error, absl::OkStatus());
  QANTARA_RETURN_IF_ERROR(reaped);
  QANTARA_RETURN_IF_ERROR(deferred);
  if (on_ordered) QANTARA_RETURN_IF_ERROR(on_ordered());
  UnitWriter writer(rocks_, state, options_, /*buffered=*/policy != DuplicatePolicy::kOverwriteTarget);
  if (policy != DuplicatePolicy::kKeepAll && state.source_hashes == nullptr) {
    // Reading the filter costs a scan of the memory's source hashes (about
    // as much as 100,000 index seeks at a million units): worth it once
    // the checks since the open add up to an eighth of the memory.
    state.unfiltered_checks += n;
    if (state.unfiltered_checks >=
        std::max<uint64_t>(options_.source_filter_min_units, state.rec.unit_count / 8)) {
      QANTARA_RETURN_IF_ERROR(ReadSourceHashes(state));
    }
  }
  CallSources sources;  // units of this call (not yet committed)
  for (size_t i = 0; i < n; ++i) {
    if (ready[i] == nullptr) {
      auto next = feed.Get(i);
      if (!next.ok()) return next.status();
      ready[i] = *next;
    }
    PreparedUnit& p = *ready[i];
    Unit& u = p.unit;
    const uint64_t h = p.keys->source.ExactHash();
    if (policy != DuplicatePolicy::kKeepAll) {
      auto dup = FindDuplicate(writer, h, u, sources, ready, policy);
      if (!dup.ok()) return dup.status();
      if (dup->has_value()) {
        const Duplicate& d = **dup;
        if (policy == DuplicatePolicy::kSkipIdentical || d.unit.target == u.target) {
          out.push_back(AddOutcome{AddOutcome::kSkipped, d.unit.id, d.unit.revision});
          continue;
        }
        // Overwrite the target of the unit with the same source.
        std::shared_ptr<const match::UnitKeys> old_keys;
        if (d.in_call.has_value()) {
          old_keys = ready[*d.in_call]->keys;
        } else {
          auto k = writer.reader().Keys(d.unit.id);
          if (!k.ok()) return k.status();
          old_keys = *k;
        }
        Unit updated = d.unit;
        updated.target = u.target;
        updated.changed_at_us = u.changed_at_us != 0 ? u.changed_at_us : now;
        if (!u.changed_by.empty()) updated.changed_by = u.changed_by;
        updated.revision = d.unit.revision + 1;
        auto new_keys = std::make_shared<match::UnitKeys>(*old_keys);
        new_keys->target = p.keys->target;
        new_keys->changed_at_us = updated.changed_at_us;
        QANTARA_RETURN_IF_ERROR(writer.Index(d.unit.id, old_keys, /*remove=*/true));
        QANTARA_RETURN_IF_ERROR(writer.Index(d.unit.id, new_keys, /*remove=*/false));
        writer.PutUnit(updated);
        if (d.in_call.has_value()) {
          ready[*d.in_call]->unit = updated;
          ready[*d.in_call]->keys = new_keys;
        }
        out.push_back(AddOutcome{AddOutcome::kOverwritten, d.unit.id, updated.revision});
        continue;
      }
    }
    if (p.keep_id) {
      QANTARA_RETURN_IF_ERROR(CheckKeptId(u.id, state.rec.next_unit_id));
      state.rec.next_unit_id = u.id + 1;
    } else {
      u.id = state.rec.next_unit_id++;
    }
    if (p.encoded != nullptr) {
      const EncodedUnit& e = *p.encoded;
      QANTARA_RETURN_IF_ERROR(writer.Index(u.id, p.keys, e.entries, e.keys_value, false));
      writer.PutUnit(u.id, e.unit_value);
    } else {
      FillAddedUnit(u, now);
      QANTARA_RETURN_IF_ERROR(writer.Index(u.id, p.keys, false));
      writer.PutUnit(u);
    }
    ++state.rec.unit_count;
    sources[h].push_back(i);
    out.push_back(AddOutcome{AddOutcome::kAdded, u.id, u.revision});
  }
  if (progress != nullptr) {
    ProgressMark mark = *progress;
    mark.updated_at_us = now;
    writer.PutProgress(mark);
  }
  // One batch: the call is stored whole or not at all.
  QANTARA_RETURN_IF_ERROR(writer.Commit());
  return out;
}

absl::StatusOr<std::optional<RocksMemoryStore::Duplicate>> RocksMemoryStore::FindDuplicate(
    UnitWriter& writer, uint64_t hash, const Unit& u, const CallSources& sources,
    const std::vector<PreparedUnit*>& ready, DuplicatePolicy policy) {
  MemState& state = writer.state();
  state.rw.AssertHeld();
  std::optional<Duplicate> best;
  // Units of this batch are in the filter too (UnitWriter::Index).
  if (state.source_hashes != nullptr && !state.source_hashes->MayContain(hash)) return best;
  auto consider = [&](const Unit& existing, std::optional<size_t> in_call) {
    if (existing.source != u.source) return;
    if (policy == DuplicatePolicy::kSkipIdentical && existing.target != u.target) return;
    if (!best.has_value() || existing.id > best->unit.id) best = Duplicate{existing, in_call};
  };
  auto it = sources.find(hash);
  if (it != sources.end()) {
    for (size_t i : it->second) consider(ready[i]->unit, i);
  }
  auto ids = writer.reader().Exact(match::Side::kSource, hash, /*cache=*/false);
  if (!ids.ok()) return ids.status();
  for (uint64_t id : (*ids)->ids) {
    auto existing = writer.reader().GetUnit(id);
    if (absl::IsNotFound(existing.status())) continue;
    if (!existing.ok()) return existing.status();
    consider(*existing, std::nullopt);
  }
  return best;
}

absl::Status RocksMemoryStore::ReadSourceHashes(MemState& state) {
  // The index must hold every entry first.
  QANTARA_RETURN_IF_ERROR(FlushPending(rocks_, state, options_));
  auto filter = std::make_unique<HashFilter>();
  // Exact keys: memory, side, hash, unit id (storage/FORMAT.md).
  std::string lower = MemoryPrefix(state.id), upper = lower;
  lower.push_back(static_cast<char>(match::Side::kSource));
  upper.push_back(static_cast<char>(static_cast<uint8_t>(match::Side::kSource) + 1));
  rocksdb::ReadOptions ro;
  ro.fill_cache = false;       // a scan, not what lookups read
  ro.total_order_seek = true;  // across hash prefixes
  absl::Status scan = ScanAll(
      rocks_, Cf::kExact, ro, lower, upper,
      [&](std::string_view key, std::string_view) -> absl::Status {
        if (key.size() < lower.size() + 8) return absl::DataLossError("exact index: short key");
        filter->Add(DecodeFixed64BE(key.data() + lower.size()));
        return absl::OkStatus();
      },
      "read exact index");
  if (!scan.ok()) return scan;
  state.source_hashes = std::move(filter);
  return absl::OkStatus();
}

}  // namespace qantara::storage::internal
