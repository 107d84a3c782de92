// Single-unit reads and writes: update, delete, usage counts, get, and the
// snapshot scan of a memory's units.

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "service/base/error_details.h"
#include "service/base/status_macros.h"
#include "storage/internal/rocks_memory_store.h"
#include "storage/internal/scan.h"
#include "storage/internal/status.h"
#include "storage/internal/write_gate.h"

namespace qantara::storage::internal {
namespace {

absl::Status RevisionConflict(const std::string& memory, uint64_t id, uint64_t at, uint64_t expected) {
  absl::Status s = absl::AbortedError(absl::StrCat(
      "unit ", id, " of memory '", memory, "' is at revision ", at, ", not ", expected,
      ": it changed since it was read (nothing was written; read it again, redo the change and retry)"));
  s = WithReason(std::move(s), "REVISION_CONFLICT");
  s = WithMetadata(std::move(s), "revision", absl::StrCat(at));
  return WithResource(std::move(s), "qantara.v1.Unit", absl::StrCat(memory, "/", id));
}

}  // namespace

absl::StatusOr<Unit> RocksMemoryStore::UpdateUnit(const MemoryRef& memory, Unit unit, match::UnitKeysPtr keys,
                                                  uint64_t expected_revision) {
  QANTARA_ASSIGN_OR_RETURN(Unit out,
                           UpdateUnitLocked(memory, std::move(unit), std::move(keys), expected_revision));
  QANTARA_RETURN_IF_ERROR(rocks_.Durable());
  return out;
}

absl::StatusOr<Unit> RocksMemoryStore::UpdateUnitLocked(const MemoryRef& memory, Unit unit,
                                                        match::UnitKeysPtr keys, uint64_t expected_revision) {
  auto found = Find(memory);
  if (!found.ok()) return found.status();
  MemState& state = **found;
  WriteLock w(state);
  QANTARA_RETURN_IF_ERROR(CheckLive(state));
  UnitWriter writer(rocks_, state, options_);
  auto old = writer.reader().GetUnit(unit.id);
  if (!old.ok()) return old.status();
  if (expected_revision != 0 && old->revision != expected_revision) {
    return RevisionConflict(memory.name, unit.id, old->revision, expected_revision);
  }
  auto old_keys = writer.reader().Keys(unit.id);
  if (!old_keys.ok()) return old_keys.status();
  unit.revision = old->revision + 1;
  unit.created_at_us = old->created_at_us;
  unit.created_by = old->created_by;
  if (unit.changed_at_us == 0) unit.changed_at_us = absl::ToUnixMicros(absl::Now());
  if (unit.usage_count == 0) unit.usage_count = old->usage_count;
  auto new_keys = std::make_shared<match::UnitKeys>(*keys);
  new_keys->changed_at_us = unit.changed_at_us;
  QANTARA_RETURN_IF_ERROR(writer.Index(unit.id, *old_keys, /*remove=*/true));
  QANTARA_RETURN_IF_ERROR(writer.Index(unit.id, new_keys, /*remove=*/false));
  writer.PutUnit(unit);
  QANTARA_RETURN_IF_ERROR(writer.Commit());
  return unit;
}

absl::StatusOr<uint64_t> RocksMemoryStore::DeleteUnits(const MemoryRef& memory,
                                                       const std::vector<uint64_t>& ids) {
  QANTARA_ASSIGN_OR_RETURN(uint64_t out, DeleteUnitsLocked(memory, ids));
  QANTARA_RETURN_IF_ERROR(rocks_.Durable());
  return out;
}

absl::StatusOr<uint64_t> RocksMemoryStore::DeleteUnitsLocked(const MemoryRef& memory,
                                                             const std::vector<uint64_t>& ids) {
  auto found = Find(memory);
  if (!found.ok()) return found.status();
  MemState& state = **found;
  WriteLock w(state);
  QANTARA_RETURN_IF_ERROR(CheckLive(state));
  UnitWriter writer(rocks_, state, options_);
  uint64_t deleted = 0;
  absl::flat_hash_set<uint64_t> done;
  for (uint64_t id : ids) {
    if (!done.insert(id).second) continue;
    auto keys = writer.reader().Keys(id);
    if (absl::IsNotFound(keys.status())) continue;
    if (absl::IsDataLoss(keys.status())) {
      // Damaged keys: the unit goes without its index entries (they are
      // not known); readers skip entries whose unit is gone.
      writer.DeleteDamagedUnit(id);
      --state.rec.unit_count;
      ++deleted;
      continue;
    }
    if (!keys.ok()) return keys.status();
    QANTARA_RETURN_IF_ERROR(writer.Index(id, *keys, /*remove=*/true));
    writer.DeleteUnit(id);
    --state.rec.unit_count;
    ++deleted;
  }
  QANTARA_RETURN_IF_ERROR(writer.Commit());
  return deleted;
}

absl::Status RocksMemoryStore::IncrementUsage(const MemoryRef& memory, uint64_t id, uint64_t by) {
  QANTARA_RETURN_IF_ERROR(IncrementUsageLocked(memory, id, by));
  return rocks_.Durable();
}

absl::Status RocksMemoryStore::IncrementUsageLocked(const MemoryRef& memory, uint64_t id, uint64_t by) {
  auto found = Find(memory);
  if (!found.ok()) return found.status();
  MemState& state = **found;
  WriteLock w(state);
  QANTARA_RETURN_IF_ERROR(CheckLive(state));
  UnitWriter writer(rocks_, state, options_);
  auto unit = writer.reader().GetUnit(id);
  if (!unit.ok()) return unit.status();
  unit->usage_count += by;
  writer.PutUnit(*unit);
  return writer.Commit();
}

absl::StatusOr<Unit> RocksMemoryStore::GetUnit(const MemoryRef& memory, uint64_t id) {
  auto found = Find(memory);
  if (!found.ok()) return found.status();
  MemState& state = **found;
  absl::ReaderMutexLock r(&state.rw);
  QANTARA_RETURN_IF_ERROR(CheckLive(state));
  rocksdb::ReadOptions ro;
  CachedIndexReader reader(rocks_, state, ro);
  return reader.GetUnit(id);
}

absl::StatusOr<std::optional<ProgressMark>> RocksMemoryStore::GetProgress(const MemoryRef& memory,
                                                                          const std::string& job) {
  QANTARA_RETURN_IF_ERROR(CheckJobKey(job));
  auto found = Find(memory);
  if (!found.ok()) return found.status();
  MemState& state = **found;
  absl::ReaderMutexLock r(&state.rw);
  QANTARA_RETURN_IF_ERROR(CheckLive(state));
  std::string value;
  rocksdb::Status s = rocks_.db->Get(rocksdb::ReadOptions(), rocks_.cf(Cf::kMemories),
                                     AsSlice(ProgressKey(state.id, job)), &value);
  if (s.IsNotFound()) return std::optional<ProgressMark>();
  if (!s.ok()) return FromRocks(s, "read progress mark");
  QANTARA_ASSIGN_OR_RETURN(ProgressMark mark, DecodeProgress(job, value));
  return std::optional<ProgressMark>(std::move(mark));
}

absl::Status RocksMemoryStore::ScanUnits(const MemoryRef& memory, uint64_t after_id,
                                         const std::function<absl::Status(const Unit&)>& fn,
                                         uint64_t* damaged) {
  auto found = Find(memory);
  if (!found.ok()) return found.status();
  MemState& state = **found;
  const uint32_t mem = state.id;
  // The snapshot is taken under the lock: a memory deleted before it is
  // reported, not scanned as empty.
  std::optional<Snapshot> snapshot;
  {
    absl::ReaderMutexLock r(&state.rw);
    QANTARA_RETURN_IF_ERROR(CheckLive(state));
    snapshot.emplace(rocks_.db);
  }
  Snapshot& snap = *snapshot;
  rocksdb::ReadOptions ro = snap.options();
  ro.fill_cache = false;  // a full scan would evict the lookup working set
  return ScanAll(
      rocks_, Cf::kUnits, ro, UnitKey(mem, after_id + 1), MemoryPrefix(mem + 1),
      [&](std::string_view key, std::string_view value) -> absl::Status {
        auto unit = DecodeUnit(UnitIdOfKey(key), value);
        if (!unit.ok() && damaged != nullptr) {
          ++*damaged;
          return absl::OkStatus();
        }
        if (!unit.ok()) {
          return absl::DataLossError(absl::StrCat("unit ", UnitIdOfKey(key), " of memory '", memory.name,
                                                  "' is damaged: ", unit.status().message()));
        }
        return fn(*unit);
      },
      "scan units");
}

}  // namespace qantara::storage::internal
