// Recovery of the index buffer at open: the index entries of units added
// after the index watermark (storage/FORMAT.md) are buffered again, from
// their stored unit keys (a crash lost the buffer; units and keys were
// written).
#include "absl/strings/str_cat.h"
#include "storage/internal/rocks_memory_store.h"
#include "storage/internal/scan.h"

namespace qantara::storage::internal {

absl::Status RocksMemoryStore::RecoverPending(MemState& state, std::vector<std::string>& problems) {
  auto upto = store_.Get(Cf::kMemories, IndexedUptoKey(state.id));
  if (!upto.ok()) return upto.status();
  if (!upto->has_value()) return absl::OkStatus();  // format 2 dir, or never buffered: all indexed
  uint64_t from = 1;
  if ((*upto)->size() == 8) {
    from = DecodeFixed64BE((*upto)->data()) + 1;
  } else {
    // Index every unit again: adds are idempotent, so this is only slower.
    problems.push_back(
        absl::StrCat("memory '", state.rec.name, "': corrupt index watermark (every unit indexed again)"));
  }
  if (from >= state.rec.next_unit_id) return absl::OkStatus();
  return ScanAll(
      rocks_, Cf::kUnitKeys, rocksdb::ReadOptions(), UnitKey(state.id, from), MemoryPrefix(state.id + 1),
      [&](std::string_view key, std::string_view value) -> absl::Status {
        state.rw.AssertHeld();
        const uint64_t id = UnitIdOfKey(key);
        auto keys = DecodeUnitKeys(value);
        if (!keys.ok()) {
          problems.push_back(absl::StrCat("memory '", state.rec.name, "' unit ", id, ": ",
                                          keys.status().message(),
                                          " (not indexed; delete it or run --repair)"));
          return absl::OkStatus();
        }
        const IndexEntries entries = EntriesOf(*keys);
        for (const PostingId& pid : entries.postings) state.pending.AddPosting(pid, id);
        for (const ExactId& eid : entries.exact) state.pending.AddExact(eid, id);
        state.pending.AddDate(id, keys->changed_at_us);
        state.pending.CountUnits(1);
        return absl::OkStatus();
      },
      "recover the index");
}

}  // namespace qantara::storage::internal
