// IndexBuffer: the `postings` and `exact` entries of bulk-added units that
// are not yet written to RocksDB (storage/FORMAT.md, the index watermark),
// and how they are written. PRIVATE to storage/'s .cc files (it is not part
// of the storage API); no RocksDB type appears here.
//
// A memory's buffer holds the entries of units whose `units` and `unit_keys`
// records are written: readers merge the buffered ids into what they read,
// and Write() writes every entry with the index watermark. Only adds are
// buffered, so every operation here adds ids (idempotently).
// The memory's lock guards it: readers hold it shared (and may read at
// once), Write(), Clear() and the Add*() calls need it exclusively.
#ifndef QANTARA_STORAGE_INDEX_BUFFER_H_
#define QANTARA_STORAGE_INDEX_BUFFER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <mutex>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "service/match/index_view.h"

namespace qantara::storage {

namespace internal {
struct RocksHandles;  // storage/internal/rocks.h
}  // namespace internal

// A posting list: (token key, side length in match tokens, side).
struct PostingId {
  uint64_t key;
  uint32_t length;
  uint8_t side;
  friend bool operator==(const PostingId&, const PostingId&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const PostingId& p) {
    return H::combine(std::move(h), p.key, p.length, p.side);
  }
};

// An exact-path entry group: (hash of a side's key sequence, side).
struct ExactId {
  uint64_t hash;
  uint8_t side;
  friend bool operator==(const ExactId&, const ExactId&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const ExactId& e) {
    return H::combine(std::move(h), e.hash, e.side);
  }
};

// Calls on_posting(PostingId) once per distinct token of each side of a
// unit, and on_exact(ExactId, side length) once per side: the unit's index
// entries.
template <typename OnPosting, typename OnExact>
void ForEachIndexEntry(const match::UnitKeys& keys, OnPosting&& on_posting, OnExact&& on_exact) {
  absl::flat_hash_set<uint64_t> distinct;
  for (match::Side side : {match::Side::kSource, match::Side::kTarget}) {
    const match::SideKey& k = keys.side(side);
    const uint32_t len = static_cast<uint32_t>(k.tokens.size());
    distinct.clear();
    for (const match::MatchToken& t : k.tokens) {
      if (distinct.insert(t.key).second) on_posting(PostingId{t.key, len, static_cast<uint8_t>(side)});
    }
    on_exact(ExactId{k.ExactHash(), static_cast<uint8_t>(side)}, len);
  }
}

// Adds the ascending `extra` ids to the ascending `ids` (a set union).
void MergeSorted(match::UnitIds& ids, const match::UnitIds& extra);

class IndexBuffer {
 public:
  IndexBuffer() = default;
  IndexBuffer(const IndexBuffer&) = delete;
  IndexBuffer& operator=(const IndexBuffer&) = delete;

  // Buffers entry `pid` / `eid` of unit `id`. REQUIRES: for each entry, ids
  // are added in ascending order. Cheap: an append to a log (no lookup).
  void AddPosting(const PostingId& pid, uint64_t id) { postings_.push_back({pid, id}); }
  void AddExact(const ExactId& eid, uint64_t id) { exact_.push_back({eid, id}); }
  void AddPostings(const std::vector<std::pair<PostingId, uint64_t>>& entries) {
    postings_.insert(postings_.end(), entries.begin(), entries.end());
  }
  void AddExacts(const std::vector<std::pair<ExactId, uint64_t>>& entries) {
    exact_.insert(exact_.end(), entries.begin(), entries.end());
  }
  // Counts `n` more buffered units (the flush threshold is in units).
  void CountUnits(size_t n) { units_ += n; }

  size_t units() const { return units_; }
  bool empty() const { return units_ == 0; }

  // The buffered ids of one entry, ascending (empty when none). The first
  // read after adds indexes the new part of the log (reads are rare during
  // bulk adds, so the adds do not pay for it). Safe to call from several
  // readers at once (an internal mutex guards the index).
  match::UnitIds Postings(const PostingId& pid) const;
  match::UnitIds Exact(const ExactId& eid) const;

  // Writes every buffered entry of memory `memory`, then sets its index
  // watermark to `indexed_upto`, and empties the buffer. Nothing to do when
  // empty. A buffer of fewer than `min_file_units` units is written in one
  // WriteBatch with the watermark; a bigger one as SST files in
  // IngestDir(data dir), ingested into `postings` and `exact` at once, then
  // the watermark (storage/FORMAT.md). On error the buffer is kept; all,
  // some or none of its entries may be written (writing them again is
  // idempotent), but the watermark is not moved.
  absl::Status Write(internal::RocksHandles& rocks, uint32_t memory, uint64_t indexed_upto,
                     size_t min_file_units = kMinFileUnits);

  // Below this many units, Write() uses a WriteBatch rather than SST files.
  static constexpr size_t kMinFileUnits = 5000;

  void Clear();

  // The directory of the SST files being written, inside the data dir.
  static std::string IngestDir(const std::string& data_dir);
  // Deletes what a crash left in IngestDir(data_dir) (storage/FORMAT.md).
  static absl::Status RemoveLeftovers(const std::string& data_dir);

 private:
  // Index the log entries added since the last read. REQUIRES: mu_ held.
  void CatchUpPostings() const;
  void CatchUpExact() const;

  std::vector<std::pair<PostingId, uint64_t>> postings_;  // the log, in add order
  std::vector<std::pair<ExactId, uint64_t>> exact_;
  size_t units_ = 0;
  // The readers' index of the log: entry -> ascending ids, up to *_indexed_.
  mutable std::mutex mu_;
  mutable absl::flat_hash_map<PostingId, match::UnitIds> posting_index_;
  mutable absl::flat_hash_map<ExactId, match::UnitIds> exact_index_;
  mutable size_t postings_indexed_ = 0;
  mutable size_t exact_indexed_ = 0;
};

}  // namespace qantara::storage

#endif  // QANTARA_STORAGE_INDEX_BUFFER_H_
