// MemState: the record view and the writes of a memory's index buffer.
#include "storage/internal/memory_state.h"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace qantara::storage::internal {

void AddTokenKeys(MemState& state, uint64_t id, const match::UnitKeys& keys) {
  AddTokenKeys(state, id, keys, {keys.source.ExactHash(), keys.target.ExactHash()});
}

void AddTokenKeys(MemState& state, uint64_t id, const match::UnitKeys& keys,
                  const std::array<uint64_t, 2>& exact_hashes) {
  auto [newest, added] = state.changed_max.try_emplace(id / MemState::kChangedBlock, keys.changed_at_us);
  if (!added) newest->second = std::max(newest->second, keys.changed_at_us);
  if (state.keys_uncached || (!state.keys_complete && !state.warming)) {
    state.sketches.Set(id, keys);
  } else {
    state.sketches.Erase(id);
  }
  for (match::Side side : {match::Side::kSource, match::Side::kTarget}) {
    const int s = static_cast<int>(side);
    const match::SideKey& k = keys.side(side);
    for (const auto& t : k.tokens) state.tokens[s].insert(t.key);
    const uint64_t hash = exact_hashes[s];
    if (state.exact_seen[s].MayContain(hash)) {
      state.exact_repeated[s].Add(hash);
    } else {
      state.exact_seen[s].Add(hash);
    }
  }
}

uint64_t TokenKeyBytes(const MemState& state) {
  uint64_t bytes = 0;
  for (int s = 0; s < 2; ++s) {
    bytes += state.tokens[s].capacity() * (sizeof(uint64_t) + 1) + state.token_removals[s].bytes() +
             state.exact_seen[s].bytes() + state.exact_repeated[s].bytes();
  }
  bytes += state.changed_max.capacity() * (sizeof(std::pair<uint64_t, int64_t>) + 1);
  bytes += state.sketches.bytes();
  return bytes;
}

MemoryInfo InfoOf(const MemoryRecord& r) {
  return MemoryInfo{r.id, r.name, r.source_lang, r.target_lang, r.description, r.created_at_us, r.unit_count};
}

absl::Status FlushPending(RocksHandles& rocks, MemState& state, const MemoryStoreOptions& options) {
  if (state.pending.empty()) return absl::OkStatus();
  ++state.generation;  // even on error: some entries may be written
  absl::Status s =
      state.pending.Write(rocks, state.id, state.committed_next_id - 1, options.index_file_min_units);
  if (s.ok()) state.index_error = absl::OkStatus();  // every entry is written now
  return s;
}

absl::Status StartFlush(RocksHandles& rocks, MemState& state, const MemoryStoreOptions& options) {
  ++state.generation;  // the previous write may be reaped
  IndexBuffer::BeforeWrite before;
  if (options.before_background_index_write) {
    before = [hook = options.before_background_index_write, id = state.id] { return hook(id); };
  }
  return state.pending.StartWrite(rocks, state.id, state.committed_next_id - 1, options.index_file_min_units,
                                  std::move(before));
}

absl::Status ReapFlush(MemState& state) {
  if (!state.pending.WriteDone()) return absl::OkStatus();
  ++state.generation;  // the writer's iterators must see what it ingested
  return state.pending.Finish();
}

}  // namespace qantara::storage::internal
