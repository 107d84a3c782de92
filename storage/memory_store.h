// MemoryStore: named translation memories, their units and each memory's
// matching index, in the Store. It stores what it is handed: the caller
// (service/tm) analyses the text and hands over each unit's matching keys;
// the store keeps them, indexes them, and serves them to the matcher through
// MemoryReader (a match::IndexView). It never tokenises nor scores.
//
// Every add/update/delete of a unit writes the unit, its matching keys, its
// postings and its exact-path entries in ONE RocksDB WriteBatch, and updates
// the in-memory index caches before the call returns: a unit is visible to
// the very next read. Bulk adds buffer the postings and exact entries of new
// units in memory (up to 100,000 units; storage/FORMAT.md, index watermark)
// and write them together (full buffers on a background thread, as SST files
// ingested into RocksDB), so each posting list is written once a flush, not
// once a call; readers merge the buffer, and a crash loses nothing (the next
// open rebuilds the buffer from the units' keys). Postings live in RocksDB
// and are cached on first use. Reads see one consistent snapshot.
// Thread-safe. Destroy it before closing the Store: it waits for background
// index writes and writes its buffer.
#ifndef QANTARA_STORAGE_MEMORY_STORE_H_
#define QANTARA_STORAGE_MEMORY_STORE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "service/match/index_view.h"
#include "storage/prepared_unit.h"
#include "storage/store.h"

namespace qantara::storage {

using match::Unit;

struct MemoryInfo {
  uint32_t id = 0;  // never reused: a memory created after a delete of the same name has a new id
  std::string name;
  std::string source_lang;  // as given at creation, e.g. "ar-SA"
  std::string target_lang;
  std::string description;
  int64_t created_at_us = 0;
  uint64_t units = 0;
};

// Which memory a call is for. Made from a name (implicitly), it means the
// memory of that name at the time of the call. Made from a MemoryInfo (a
// memory pinned by id), it means that memory only: once it is deleted,
// calls with it fail with NotFound even if a memory of the same name has
// been created since. Callers that make several calls for one request
// (imports, streams, training) pin the memory once and pass the ref.
struct MemoryRef {
  MemoryRef(const std::string& memory_name) : name(memory_name) {}  // NOLINT: implicit by design
  MemoryRef(const char* memory_name) : name(memory_name) {}         // NOLINT: implicit by design
  explicit MemoryRef(const MemoryInfo& info) : id(info.id), name(info.name) {}
  uint32_t id = 0;  // 0: whichever memory has the name
  std::string name;
};

struct NewMemory {
  std::string name;         // 1-200 bytes, unique (the caller checks its text)
  std::string source_lang;  // kept as given (the caller checks the pair)
  std::string target_lang;
  std::string description;
};

// What AddUnits does with a unit whose source is already in the memory.
enum class DuplicatePolicy {
  kSkipIdentical,    // skip it when a unit has the same source and target (default)
  kOverwriteTarget,  // replace the target of the (newest) unit with the same source
  kKeepAll,          // always add: several translations of one source
};

struct AddOutcome {
  enum Kind { kAdded, kSkipped, kOverwritten };
  Kind kind = kAdded;
  uint64_t id = 0;        // the unit added, skipped (the existing one) or overwritten
  uint64_t revision = 1;  // that unit's revision after the call
};

// How far a caller's job over a memory has come (an import: how many units
// of its file were read up to the last unit stored), written in the same
// WriteBatch as the units an AddUnits call stores: after any crash it says
// exactly what was stored. Kept per memory under the job's key until the
// memory is deleted (storage/FORMAT.md, `p` keys).
struct ProgressMark {
  std::string job;            // the job's key: 1 to kMaxJobKeyBytes bytes (storage/limits.h)
  uint64_t position = 0;      // the caller's measure (units of the file read)
  bool complete = false;      // the job reached its end
  int64_t updated_at_us = 0;  // when it was written (set by the store)
};

// Called by AddUnits once the call holds the memory's write lock, before it
// writes anything; a non-OK status ends the call with it, nothing written.
using OnOrdered = std::function<absl::Status()>;

struct StoreStats {
  uint64_t memories = 0;
  uint64_t units = 0;
  uint64_t disk_bytes = 0;
  uint64_t cached_postings = 0;   // tokens whose posting lists are held in memory (at some lengths)
  uint64_t cached_unit_keys = 0;  // unit keys held in memory
  // The bounded caches of posting and exact lists (all memories):
  uint64_t cached_exact = 0;        // exact lists held
  uint64_t cached_bytes = 0;        // estimated bytes of the posting and exact lists held
  uint64_t cache_budget_bytes = 0;  // MemoryStoreOptions::cache_bytes
  uint64_t cache_hits = 0;          // list reads the caches answered, since the open
  uint64_t cache_misses = 0;        // list reads that read RocksDB, since the open
  uint64_t cache_evictions = 0;     // lists evicted to stay within the budget, since the open
  // Estimated bytes of the unit keys held and of the token filters of typo
  // matching (the keys within key_cache_budget_bytes, outside cache_bytes).
  uint64_t cached_unit_keys_bytes = 0;
  uint64_t key_cache_budget_bytes = 0;  // MemoryStoreOptions::key_cache_bytes
  // Memories whose keys did not fit in that budget: read from RocksDB.
  uint64_t memories_keys_uncached = 0;
  // Units whose sketch (16-bit token keys) is held, for the memories whose
  // keys are not (MemState::sketches), and its estimated bytes (part of
  // cached_unit_keys_bytes).
  uint64_t sketched_units = 0;
  uint64_t sketch_bytes = 0;
  // RocksDB's memory (Store::RocksMemory): block cache, memtables, table
  // readers' index and filter blocks.
  uint64_t rocks_block_cache_bytes = 0;
  uint64_t rocks_memtable_bytes = 0;
  uint64_t rocks_table_reader_bytes = 0;
  // The index buffers of bulk adds (all memories): units whose postings and
  // exact entries are held in memory, not yet written to their column
  // families (storage/FORMAT.md, index watermark).
  uint64_t index_buffered_units = 0;
  // The compactions of bulk-loaded indexes (MemoryStoreOptions::compact_after_quiet):
  // done since the open, memories waiting for one (or for a check), and
  // whether one runs now.
  uint64_t index_compactions = 0;
  uint64_t index_compactions_pending = 0;
  bool index_compaction_running = false;
  // Damage the open found and worked around (a memory record or unit keys
  // that do not decode): one line each, naming the record. Empty when sound.
  std::vector<std::string> problems;
};

// One memory's figures (MemoryStore::Usage).
struct MemoryUsage {
  std::string name;
  uint64_t units = 0;
  // RocksDB's estimate of the bytes of the memory's keys (units, unit keys,
  // postings, exact index, lexicon) in SST files and memtables.
  uint64_t disk_bytes = 0;
  // Units whose index entries are buffered in memory (StoreStats::index_buffered_units).
  uint64_t buffered_index_units = 0;
};

// Tuning of bulk adds (storage/FORMAT.md, index watermark). The defaults
// are the server's; tests set small values to reach every path.
struct MemoryStoreOptions {
  // The buffered index entries are written once this many units are buffered.
  size_t index_buffer_units = 100000;
  // A buffer of at least this many units is written as SST files that are
  // ingested, a smaller one in a WriteBatch.
  size_t index_file_min_units = 5000;
  // Once no write to a memory has come for this long, its `postings` and
  // `exact` ranges are compacted into one sorted run if they hold at least
  // `compact_min_runs` (what bulk loads leave: storage/internal/index_compactor.h),
  // on a background thread; 0 runs: never.
  std::chrono::milliseconds compact_after_quiet{1000};
  size_t compact_min_runs = 4;
  // Duplicate checks of adds into a memory created since the open look up a
  // filter of its source hashes before its exact index (a unit new to the
  // memory then costs no index read). A memory opened from disk gets the
  // filter once the units checked against its index since the open reach
  // this many and an eighth of the memory; reading it scans the source half
  // of the memory's exact index (about 0.45 s a million units).
  size_t source_filter_min_units = 1000;
  // The byte budget of the posting and exact list caches, shared by all
  // memories: past it, the least recently used lists (CLOCK) are evicted
  // and read again from RocksDB when needed. 0: nothing stays cached. The
  // default holds the lists lookups read in a 1M-unit memory (see README.md).
  uint64_t cache_bytes = uint64_t{256} << 20;
  // The byte budget of the unit-key caches, shared by all memories. The
  // warm-up keeps every unit's keys of a memory in memory (about 600 bytes a
  // unit) while they fit in what is left of it; a memory whose keys do not
  // fit has none cached (they are read from RocksDB, whose block cache keeps
  // the hot blocks), nor has one whose writes grow its cache past it. The
  // default holds a 1M-unit memory's keys, so server memory stays bounded
  // whatever a memory's size.
  uint64_t key_cache_bytes = uint64_t{1024} << 20;
  // Tests: called on the background thread that writes a full buffer, before
  // it writes; a non-OK status fails that write (surfaced to the next add).
  std::function<absl::Status(uint32_t memory_id)> before_background_index_write;
};

// A consistent read of one memory: the matcher's view of its index
// (match::IndexView) and the posting scans of concordance, all from one
// RocksDB snapshot taken when it was opened. It holds the memory's read lock
// until destroyed (writers to that memory wait): keep it for one lookup.
// Not thread-safe: one reader per thread.
class MemoryReader : public match::IndexView {
 public:
  // The memory as it was when the reader was opened.
  virtual const MemoryInfo& info() const = 0;
  // How many units have token `token` on `side` among at least `min_length`
  // match tokens (the stored posting lists' counts plus buffered entries).
  virtual absl::StatusOr<uint64_t> CountTokenUnits(match::Side side, uint64_t token, uint32_t min_length) = 0;
  // The ids of those units, ascending and distinct.
  virtual absl::StatusOr<match::UnitIds> TokenUnits(match::Side side, uint64_t token,
                                                    uint32_t min_length) = 0;
};

class MemoryStore {
 public:
  // Opens the memory layer on an open `store`. Reads only the memory records
  // (and the index entries of units above a watermark, see FORMAT.md); deletes
  // what a crash left of index files being written.
  // REQUIRES: store outlives the MemoryStore.
  static absl::StatusOr<std::unique_ptr<MemoryStore>> Open(Store& store,
                                                           const MemoryStoreOptions& options = {});
  virtual ~MemoryStore() = default;

  // Errors: InvalidArgument (an empty or over-long name), AlreadyExists.
  virtual absl::StatusOr<MemoryInfo> CreateMemory(const NewMemory& memory) = 0;
  // By name.
  virtual absl::StatusOr<std::vector<MemoryInfo>> ListMemories() = 0;
  // NotFound when there is no memory of that name.
  virtual absl::StatusOr<MemoryInfo> GetMemory(const MemoryRef& memory) = 0;
  // Deletes the memory and all its units, index entries and lexicon (range
  // deletes, in one batch with a tombstone that stays until a background
  // compaction has dropped the range from disk). Writes to the memory that
  // are waiting or in flight fail with NotFound; none of them writes it
  // back. NotFound when there is no such memory.
  virtual absl::Status DeleteMemory(const MemoryRef& memory) = 0;

  // Adds the units of `units` in order (ids assigned; dates taken as
  // prepared, or else `now_us`, storage/prepared_unit.h), applying `policy`
  // to units whose source the memory (or this call) already holds. One
  // outcome per unit. A call is atomic: its units are written in ONE
  // WriteBatch (with `progress`, when given), so a call that fails stored
  // nothing and a call that returns stored everything, whatever crashes
  // (the caller bounds its size: every unit is held until the write). Every
  // unit is visible to readers when the call returns. The call asks for
  // unit i only after unit i-1, so the caller may prepare them while
  // earlier ones are checked. Errors: NotFound (memory), InvalidArgument (a
  // bad progress mark), the error of a unit the feed could not prepare.
  // `on_ordered`, when given, is called once the call holds the memory's
  // write lock, before it writes anything (its error ends the call, nothing
  // written): a call to the same memory made
  // after that writes after this one. So a caller may start the next call
  // (whose preparation then overlaps this call's writing) and keep the order.
  // Not called when the call fails before (the first unit's error).
  // `progress`, when given, is written with the units (also when the call
  // has no unit: then it writes only the mark).
  virtual absl::StatusOr<std::vector<AddOutcome>> AddUnits(const MemoryRef& memory, UnitFeed& units,
                                                           DuplicatePolicy policy, int64_t now_us,
                                                           const OnOrdered& on_ordered = nullptr,
                                                           const ProgressMark* progress = nullptr) = 0;

  // Replaces unit `unit.id` (texts, attributes, context, origin; created_* are
  // kept, changed_at_us is set to now unless given) with matching keys `keys`,
  // and sets its revision to the stored one + 1. With `expected_revision`
  // (0: none), only if the stored unit is at that revision: Aborted
  // otherwise, nothing written. NotFound when missing.
  virtual absl::StatusOr<Unit> UpdateUnit(const MemoryRef& memory, Unit unit, match::UnitKeysPtr keys,
                                          uint64_t expected_revision) = 0;

  // Deletes units by id; returns how many existed. NotFound (memory).
  virtual absl::StatusOr<uint64_t> DeleteUnits(const MemoryRef& memory, const std::vector<uint64_t>& ids) = 0;

  // NotFound when the memory or unit does not exist.
  virtual absl::StatusOr<Unit> GetUnit(const MemoryRef& memory, uint64_t id) = 0;

  // Calls `fn` for every unit of the memory in ascending id order (the order
  // they were added), starting after unit `after_id` (0: from the first),
  // all read from one snapshot taken at the call: units added, changed or
  // deleted during the scan are not seen, and writers are not blocked. A
  // non-OK status from `fn` stops the scan and is returned. A unit whose
  // record does not decode fails the scan with DataLoss naming it, unless
  // `damaged` is given: it is then skipped and counted there. Memory use is one
  // unit at a time. Errors: NotFound (memory), Internal (I/O, corruption).
  virtual absl::Status ScanUnits(const MemoryRef& memory, uint64_t after_id,
                                 const std::function<absl::Status(const Unit&)>& fn,
                                 uint64_t* damaged = nullptr) = 0;

  // Adds `by` to the usage count of a unit (a translator used it).
  virtual absl::Status IncrementUsage(const MemoryRef& memory, uint64_t id, uint64_t by) = 0;

  // A consistent read of one memory (see MemoryReader). NotFound (memory).
  virtual absl::StatusOr<std::unique_ptr<MemoryReader>> OpenReader(const MemoryRef& memory) = 0;

  virtual absl::StatusOr<StoreStats> Stats() = 0;
  // The figures of the first `limit` memories by name (bytes estimated
  // from RocksDB's index blocks: cheap, no data read); `*total` (when
  // given) is set to the number of memories.
  virtual absl::StatusOr<std::vector<MemoryUsage>> Usage(size_t limit, size_t* total = nullptr) = 0;

  // Loads the matching keys of every unit into memory on a background thread
  // (a sequential scan; reads work meanwhile, and writes stay visible), so
  // that first lookups do not wait for point reads; then the posting lists
  // of each memory's frequent tokens (in at least 0.1% of its units, on a
  // sample), at every length: the longest lists, which a lookup of common
  // words would otherwise read and decode first. Returns at once; the
  // thread stops when the store is destroyed. Idempotent.
  virtual void StartWarmUp() = 0;
  // Blocks until the warm-up started by StartWarmUp() is done (or returns at once).
  virtual void WaitForWarmUp() = 0;

  // Blocks until the index writes running in the background (full buffers
  // of bulk adds, storage/FORMAT.md) have ended, and returns the first
  // error of one (which the next add to that memory would otherwise
  // return). Their entries are readable all along; this is for tests and
  // benchmarks that inspect or time what is on disk.
  virtual absl::Status WaitForIndexWrites() = 0;

  // Blocks until the compactions of bulk-loaded indexes (the runs left by
  // ingested buffers, MemoryStoreOptions::compact_after_quiet) that are
  // due or running have ended: at least `compact_after_quiet` after the last
  // write. For tests and benchmarks; reads are right all along.
  virtual void WaitForIndexCompactions() = 0;

  // The progress mark of job `job` in the memory (written by AddUnits), or
  // nullopt when none was written. Errors: NotFound (memory),
  // InvalidArgument (a bad job key), DataLoss (the mark does not decode).
  virtual absl::StatusOr<std::optional<ProgressMark>> GetProgress(const MemoryRef& memory,
                                                                  const std::string& job) = 0;
};

}  // namespace qantara::storage

#endif  // QANTARA_STORAGE_MEMORY_STORE_H_
