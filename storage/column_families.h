// The registry of qantara's RocksDB column families. Every column family the
// server uses is listed here, and only here; see storage/FORMAT.md.
#ifndef QANTARA_STORAGE_COLUMN_FAMILIES_H_
#define QANTARA_STORAGE_COLUMN_FAMILIES_H_

#include <array>
#include <string_view>

namespace qantara::storage {

enum class Cf : int {
  kDefault = 0,   // RocksDB's own; qantara writes nothing here
  kMeta = 1,      // store-wide metadata: format version, id counters
  kMemories = 2,  // memory records and the name -> id map
  kUnits = 3,     // translation units (texts and metadata)
  kUnitKeys = 4,  // per unit: the matching keys of both sides (what the matcher reads)
  kPostings = 5,  // inverted index: (memory, side, token, length) -> unit ids (merge operator)
  kExact = 6,     // exact path: (memory, side, hash of the normalised text, unit id)
  kLexicons = 7,  // per memory: the alignment lexicon learned from its units (format 3)
  kAccess = 8,    // the server's API tokens (format 4)
  kRequests = 9,  // recent mutating calls by request id (idempotency; format 5)
};

inline constexpr std::array<std::string_view, 10> kCfNames = {"default",   "meta",     "memories", "units",
                                                              "unit_keys", "postings", "exact",    "lexicons",
                                                              "access",    "requests"};

inline constexpr std::string_view CfName(Cf cf) { return kCfNames[static_cast<int>(cf)]; }

}  // namespace qantara::storage

#endif  // QANTARA_STORAGE_COLUMN_FAMILIES_H_
