// Recovery of the index buffer at open: the index entries of units added
// after the index watermark (storage/FORMAT.md) are buffered again, from
// their stored unit keys (a crash lost the buffer; units and keys were
// written).
#include "storage/internal/rocks_memory_store.h"
#include "storage/internal/scan.h"

namespace qantara::storage::internal {

absl::Status RocksMemoryStore::RecoverPending(MemState& state) {
  auto upto = store_.Get(Cf::kMemories, IndexedUptoKey(state.id));
  if (!upto.ok()) return upto.status();
  if (!upto->has_value()) return absl::OkStatus();  // format 2 dir, or never buffered: all indexed
  if ((*upto)->size() != 8) return absl::DataLossError("corrupt index watermark");
  const uint64_t from = DecodeFixed64BE((*upto)->data()) + 1;
  if (from >= state.rec.next_unit_id) return absl::OkStatus();
  return ScanAll(
      rocks_, Cf::kUnitKeys, rocksdb::ReadOptions(), UnitKey(state.id, from), MemoryPrefix(state.id + 1),
      [&](std::string_view key, std::string_view value) -> absl::Status {
        state.rw.AssertHeld();
        auto keys = DecodeUnitKeys(value);
        if (!keys.ok()) return keys.status();
        const uint64_t id = UnitIdOfKey(key);
        const IndexEntries entries = EntriesOf(*keys);
        for (const PostingId& pid : entries.postings) state.pending.AddPosting(pid, id);
        for (const ExactId& eid : entries.exact) state.pending.AddExact(eid, id);
        state.pending.CountUnits(1);
        return absl::OkStatus();
      },
      "recover the index");
}

}  // namespace qantara::storage::internal
