// Checking and repairing a data dir (`qantara-server --check [--repair]`):
// every SST file's block checksums, the memory catalog, and for every memory
// its units, their matching keys and the index entries those keys imply,
// compared entry by entry with what is stored (storage/FORMAT.md).
//
// What repair trusts: the units. A unit whose record does not decode is
// deleted (its texts are lost: restore it from a backup); a unit whose
// `unit_keys` record is missing or does not decode gets keys made again by
// the caller (CheckOptions::rekey: storage does not analyse text, service/tm
// does); `unit_keys` records of no unit are deleted. Then the `postings`
// and `exact` entries are made to equal what the units' keys imply (missing
// ones written, others removed), entries of memories that have no record
// are deleted, and the memory records' counts are set to what was found.
// What repair cannot fix (a corrupt SST file, a memory record that does not
// decode) is reported and left: restore from a backup.
//
// Memory use is bounded: units are walked in key order, and the index
// entries are compared in token ranges sized to
// CheckOptions::max_entries_in_memory.
#ifndef QANTARA_STORAGE_CHECK_H_
#define QANTARA_STORAGE_CHECK_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "service/match/index_view.h"
#include "storage/memory_store.h"
#include "storage/store.h"

namespace qantara::storage {

// The kinds of damage found in one memory.
enum class CheckProblem : int {
  kUnitUndecodable = 0,  // a unit record that does not decode
  kUnitKeysMissing,      // a unit without its `unit_keys` record
  kUnitKeysUndecodable,  // a `unit_keys` record that does not decode
  kUnitKeysOrphan,       // a `unit_keys` record of no unit
  kUnitIdAboveNext,      // a unit id at or above the record's next_unit_id
  kUnitCount,            // the record's unit_count is not the number of units
  kMaxLength,            // a unit side longer than the record's longest side
  kPostingMissing,       // a posting entry a unit's keys imply is not stored
  kPostingOrphan,        // a stored posting entry no unit's keys imply
  kPostingUndecodable,   // a posting list that does not decode
  kExactMissing,         // an exact entry a unit's keys imply is not stored
  kExactOrphan,          // a stored exact entry no unit's keys imply
  kMalformedKey,         // a key of the wrong length
  kReadError,            // a range that could not be read (a corrupt file)
  kExactDate,            // an exact entry whose date is not its unit's (or does not decode)
};
inline constexpr int kCheckProblemKinds = 15;

// A short name of `p` for reports, e.g. "posting entry missing".
const char* CheckProblemName(CheckProblem p);

struct ProblemTally {
  uint64_t count = 0;
  std::vector<uint64_t> examples;  // unit ids, the first few found (CheckOptions::examples)
  std::vector<std::string> notes;  // for read errors: the errors
};

struct MemoryCheck {
  uint32_t id = 0;
  std::string name;
  uint64_t units = 0;            // unit records found
  uint64_t posting_entries = 0;  // (posting list, unit id) pairs stored
  uint64_t exact_entries = 0;
  // Units above the index watermark whose index entries are not written yet
  // (rebuilt from their keys at every open: not damage).
  uint64_t pending_units = 0;
  std::array<ProblemTally, kCheckProblemKinds> problems;
  // With repair: what was changed, one line each.
  std::vector<std::string> repairs;

  uint64_t problem_count() const;
  const ProblemTally& tally(CheckProblem p) const { return problems[static_cast<int>(p)]; }
};

struct CheckReport {
  uint64_t sst_files = 0;             // SST files whose checksums were verified
  std::vector<MemoryCheck> memories;  // by id
  // Damage outside any one memory: corrupt files, memory records that do not
  // decode, entries of memories that have no record, the name map. One line each.
  std::vector<std::string> store_problems;
  std::vector<std::string> store_repairs;
  // What repair could not fix (one line each): still damaged after it.
  std::vector<std::string> unrepaired;

  uint64_t problem_count() const;
  bool clean() const { return problem_count() == 0; }
  // The readable report: per memory the units checked and the problems by
  // kind with example unit ids; then the store's problems and the totals.
  std::string ToText() const;
};

struct CheckOptions {
  bool repair = false;
  // Example unit ids kept per kind of problem.
  size_t examples = 5;
  // Index entries held in memory at once while they are compared (about
  // 24 bytes each): a memory implying more is compared in token ranges,
  // reading its unit keys once a range.
  size_t max_entries_in_memory = 2'000'000;
  // Repair: the matching keys of `unit` of `memory`, made as the writer
  // makes them (service/tm, the memory's analyzer). Null: units whose keys
  // are missing or do not decode are reported and not repaired.
  std::function<absl::StatusOr<match::UnitKeysPtr>(const MemoryInfo& memory, const Unit& unit)> rekey;
};

// Checks (and with options.repair, repairs) the data dir of `store`. Opens
// the memory layer once and closes it first, so that index entries a crash
// left buffered are rebuilt and written (a clean view), then checks what is
// on disk. REQUIRES: no MemoryStore is open on `store` (nothing else writes
// it meanwhile). Errors: only when nothing could be checked (the store is
// closed); damage, including unreadable ranges, is in the report.
absl::StatusOr<CheckReport> CheckStore(Store& store, const CheckOptions& options = {});

}  // namespace qantara::storage

#endif  // QANTARA_STORAGE_CHECK_H_
