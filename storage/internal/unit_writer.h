// UnitWriter: one write to a memory in progress: a RocksDB WriteBatch of
// units, unit keys and index entries, and the cache changes to apply once it
// is written (Commit). PRIVATE to storage/.
//
// The writer holds its memory's `rw` lock exclusively for its whole life
// (the caller takes it first). Changes to the memory record (unit counts,
// next id, longest sides) made by the caller while it writes are undone
// when the writer is destroyed, back to the record of the last batch
// written: a failed call leaves the record as RocksDB has it.
#ifndef QANTARA_STORAGE_INTERNAL_UNIT_WRITER_H_
#define QANTARA_STORAGE_INTERNAL_UNIT_WRITER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "rocksdb/write_batch.h"
#include "storage/internal/index_reader.h"
#include "storage/internal/memory_state.h"

namespace qantara::storage::internal {

class UnitWriter {
 public:
  // `buffered`: the index entries of added units go to state.pending
  // (bulk adds); otherwise they are written with the units.
  // REQUIRES: the caller holds state.rw exclusively until the writer is gone.
  UnitWriter(RocksHandles& rocks, MemState& state, const MemoryStoreOptions& options, bool buffered = false);
  // Puts the memory record back as of the last batch written.
  ~UnitWriter();
  UnitWriter(const UnitWriter&) = delete;
  UnitWriter& operator=(const UnitWriter&) = delete;

  // Reads for the writer (no block-cache fill, iterators reused).
  CachedIndexReader& reader() { return reader_; }
  MemState& state() { return state_; }

  // Adds (remove = false) or removes the index entries of unit `id`. A
  // removal first writes the buffered entries (a removal must follow the add).
  absl::Status Index(uint64_t id, const std::shared_ptr<const match::UnitKeys>& keys, bool remove);
  // The same with the entries and the encoded keys already made from `keys`
  // (EntriesOf, EncodeUnitKeys).
  absl::Status Index(uint64_t id, const std::shared_ptr<const match::UnitKeys>& keys,
                     const IndexEntries& entries, std::string_view encoded_keys, bool remove);

  void PutUnit(const match::Unit& unit);
  // PutUnit with the value already encoded (EncodeUnit).
  void PutUnit(uint64_t id, std::string_view encoded);
  // Deletes unit `id` and its keys, whose record does not decode (its
  // index entries are not known: they stay, and readers skip them).
  void DeleteDamagedUnit(uint64_t id);
  void DeleteUnit(uint64_t id);
  // Puts a progress mark of the memory into the batch.
  void PutProgress(const ProgressMark& mark);

  // Writes the batch (with the memory record) and applies the cache changes;
  // then reaps a finished background index write, or starts one when the
  // buffer is full. Once the batch is written the call succeeds: an error
  // of that index write (whose entries stay buffered, and readable) is kept
  // in state.index_error for the next AddUnits to return.
  absl::Status Commit();

 private:
  template <typename Id>
  struct Change {
    Id id;
    uint64_t unit;
    bool remove;
    int64_t bound = 0;  // exact adds: the unit's date bound (ExactBound)
  };
  void ApplyCacheChanges();
  void Reset();

  RocksHandles& rocks_;
  MemState& state_;
  const MemoryStoreOptions& options_;
  MemoryRecord committed_;  // the record as of the last batch written
  rocksdb::ReadOptions plain_;
  CachedIndexReader reader_;
  const bool buffered_;
  rocksdb::WriteBatch batch_;
  // Index entries for state.pending once the batch is written (ids ascend).
  std::vector<std::pair<PostingId, uint64_t>> buffered_postings_;
  std::vector<std::pair<ExactId, uint64_t>> buffered_exact_;
  std::vector<std::pair<uint64_t, int64_t>> buffered_dates_;  // (unit id, changed_at_us)
  size_t buffered_units_ = 0;
  absl::flat_hash_map<PostingId, std::string> posting_ops_;
  std::string key_;  // scratch
  std::vector<Change<PostingId>> posting_changes_;
  std::vector<Change<ExactId>> exact_changes_;
  std::vector<std::pair<uint64_t, std::shared_ptr<const match::UnitKeys>>> key_changes_;
};

}  // namespace qantara::storage::internal

#endif  // QANTARA_STORAGE_INTERNAL_UNIT_WRITER_H_
