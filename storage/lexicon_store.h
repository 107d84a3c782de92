// LexiconStore: the alignment lexicon learned from a memory's units, kept
// with the memory in the `lexicons` column family (storage/FORMAT.md,
// format version 3).
//
// Storage does not know how a lexicon is learned or used: it keeps a plain
// record (Arabic lookup key -> English concepts, plus what it was trained on)
// under the memory's id. Deleting the memory deletes its lexicon (same
// WriteBatch as the memory's units). While a MemoryStore is open on the
// store, writes hold the memory's write lock: a lexicon trained from a
// memory that is deleted meanwhile is never written (NotFound), and a ref
// pinned by id never reaches a new memory of the same name. Thread-safe.
#ifndef QANTARA_STORAGE_LEXICON_STORE_H_
#define QANTARA_STORAGE_LEXICON_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/memory_store.h"
#include "storage/store.h"

namespace qantara::storage {

// One learned lexicon and where it came from.
struct StoredLexicon {
  // The version of the aligner's word analysis the keys were made with; a
  // reader treats a record of another version as absent (stale keys).
  uint32_t analysis_version = 0;
  uint64_t trained_units = 0;  // the memory's unit count when it was trained
  uint64_t trained_pairs = 0;  // segment pairs counted (units read)
  uint64_t last_unit_id = 0;   // the highest unit id read
  int64_t trained_at_us = 0;   // microseconds since the Unix epoch
  // (Arabic key, English concepts), in any order; keys unique.
  std::vector<std::pair<std::string, std::vector<std::string>>> entries;
  friend bool operator==(const StoredLexicon&, const StoredLexicon&) = default;
};

// The value encoding of the `lexicons` column family (FORMAT.md).
std::string EncodeStoredLexicon(const StoredLexicon& lexicon);
// DataLoss on anything malformed (never reads past the end).
absl::StatusOr<StoredLexicon> DecodeStoredLexicon(std::string_view in);
// The key of memory `memory_id`'s learned lexicon: id (fixed32 BE) + 'L'.
std::string LexiconKey(uint32_t memory_id);

class LexiconStore {
 public:
  // REQUIRES: `store` is open and outlives the LexiconStore.
  explicit LexiconStore(Store& store) : store_(store) {}

  // The stored lexicon of memory `memory`, or nullopt when it has none.
  // Errors: NotFound (no such memory), DataLoss (corrupt record), Internal.
  absl::StatusOr<std::optional<StoredLexicon>> Get(const MemoryRef& memory);

  // Stores (replaces) the lexicon of memory `memory`.
  // Errors: NotFound (no such memory), Internal (I/O).
  absl::Status Put(const MemoryRef& memory, const StoredLexicon& lexicon);

  // Removes the lexicon of `memory` (OK when it had none). NotFound (memory).
  absl::Status Delete(const MemoryRef& memory);

 private:
  // Calls fn with the memory's id (under its write lock when a MemoryStore
  // is open; else from the stored name map).
  absl::Status WithMemory(const MemoryRef& memory, const std::function<absl::Status(uint32_t)>& fn);
  Store& store_;
};

}  // namespace qantara::storage

#endif  // QANTARA_STORAGE_LEXICON_STORE_H_
