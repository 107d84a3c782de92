// tm::Importer: a TMX, XLIFF or CSV/TSV file, fed in chunks as it arrives, into a
// memory, with the memory's duplicate policy, batches, per-unit problems
// (with their lines) and running counts. Plain C++ (no proto types): the
// rpc ImportExportService converts its ImportStart into ImportOptions and
// the ImportReport back.
//
// Memory is bounded whatever the file size: the chunk fed, the reader's one
// pending unit/token, and at most two batches of units. Units are committed
// with Memories::AddUnits one batch at a time, each batch atomic (one
// RocksDB write), in file order: a batch is stored only if every batch
// before it was. So a cancelled, failed or crashed import leaves whole
// batches, the first ones of the file, and the report counts exactly the
// units stored. With a resume key, each batch also stores how far into the
// file it reaches (a progress mark, in the same write), and a resumed
// import skips what an earlier one stored: no unit is stored twice.
#ifndef QANTARA_SERVICE_TM_IMPORTER_H_
#define QANTARA_SERVICE_TM_IMPORTER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "service/formats/translation_unit.h"
#include "service/formats/unit_reader.h"
#include "service/match/unit.h"
#include "service/tm/memories.h"

namespace qantara::tm {

inline constexpr uint32_t kDefaultImportBatch = 5000;
inline constexpr uint32_t kMaxImportBatch = 10000;
inline constexpr uint32_t kDefaultMaxImportProblems = 10000;
inline constexpr uint32_t kMaxImportProblems = 100000;
// Bytes of ImportOptions::resume_key.
inline constexpr size_t kMaxResumeKeyBytes = 120;

struct ImportOptions {
  std::string memory;  // must exist; its languages decide which side is the source
  // The file's format; nullopt: detected from file_name, else the root element.
  std::optional<formats::FileFormat> format;
  std::string file_name;  // only its ending is used, to detect the format
  bool dry_run = false;   // read, check and count; store nothing
  // Called on each unit read, before it is checked and stored (the gRPC
  // edge: tm::StampIdentity with the caller's token); nullptr: none.
  std::function<void(match::Unit&)> stamp;
  DuplicatePolicy policy = DuplicatePolicy::kSkipIdentical;
  // Project, domain and client for units whose file gives none.
  match::Attributes defaults;
  // End the import at the first failed unit; nothing read after it is stored.
  bool stop_on_error = false;
  bool xliff_only_final = false;  // XLIFF: only confirmed units
  bool po_include_fuzzy = false;  // PO: fuzzy entries too
  // XLIFF, PO and CSV: the languages of the file's source and target sides
  // instead of what the file says (any tag text::ParseLanguage reads: "ar",
  // "en-US", "ara"); empty: the file's (formats/file_languages.h; CSV:
  // csv_reader.h). Not for TMX.
  std::string file_source_lang;
  std::string file_target_lang;
  uint32_t batch_size = 0;  // units per committed batch, 1..kMaxImportBatch; 0: default
  uint32_t max_problems =
      0;  // problems listed in the report, up to kMaxImportProblems; 0: default (the counts count all)
  // Keep each unit's id from its x-qantara-id prop (a qantara export,
  // tmx_units.h), so that an export imported into an EMPTY memory gives back
  // the same units with the same ids. Every unit is added (`policy` is
  // ignored: kKeepAll); a unit without the prop, or whose id is not above
  // the previous unit's, fails (a problem naming it).
  bool preserve_ids = false;
  // The key of this file for resuming (the CLI sends "sha256:" and the
  // file's SHA-256 in hex), 1 to kMaxResumeKeyBytes bytes; empty: none.
  // With a key, every batch stores with its units how many units of the
  // file were read up to its last one (a progress mark of the memory, kept
  // until the memory is deleted), and a complete import says so.
  std::string resume_key;
  // Skip the units an earlier import with the same resume_key into this
  // memory stored or decided on (they are read again, counted as
  // units_resumed, and neither stored nor reported again), then go on
  // from there. Needs resume_key; with no earlier import, imports all.
  bool resume = false;
  // Asked every 256 units read and before each batch is analysed and
  // written: true ends the import with Cancelled (the batches stored before
  // stay, whole; a batch not yet written is dropped).
  std::function<bool()> cancelled;
};

// Running totals of an import.
struct ImportCounts {
  uint64_t bytes = 0;          // file bytes parsed
  uint64_t units_read = 0;     // unit elements read, taken or not
  uint64_t units_added = 0;    // new units (dry run: units that would be offered)
  uint64_t units_updated = 0;  // existing units whose target was replaced
  uint64_t units_skipped = 0;  // left out on purpose (duplicates, empty, untranslated)
  uint64_t units_failed = 0;   // could not be read or stored (see the problems)
  uint64_t warnings = 0;       // stored with something dropped
  uint64_t duplicates = 0;     // of units_skipped, duplicates of a stored or earlier unit
  // Units an earlier import of the same file stored or decided on (resume):
  // read again, not stored again. units_read = units_resumed + added +
  // updated + skipped + failed.
  uint64_t units_resumed = 0;
};

// A problem of one unit: severity, the line of its start tag, its id in the
// file, and why.
using ImportProblem = formats::Problem;

struct ImportReport {
  ImportCounts counts;
  std::vector<ImportProblem> problems;  // in file order, at most max_problems
  uint64_t problems_omitted = 0;        // left out because of max_problems
  // Non-empty when the file could not be read to its end (or stop_on_error
  // stopped at a failed unit): why, and where when known.
  std::string fatal_error;
  bool dry_run = false;
  std::optional<formats::FileFormat> format;  // the given or detected format
  // Not OK when storing failed (the disk full, the memory deleted, ...):
  // the import ended there; the counts are of what was stored before it.
  // The edges send the report, then this error.
  absl::Status error;
};

class Importer {
 public:
  // Called with the totals so far after every chunk and every committed
  // batch (on the caller's thread).
  using Progress = std::function<void(const ImportCounts&)>;

  // Starts an import. Errors: InvalidArgument (batch_size above
  // kMaxImportBatch, max_problems above kMaxImportProblems, a bad resume_key, resume without one), NotFound
  // (memory), the memory's languages, FailedPrecondition (preserve_ids and
  // the memory holds units, unless resuming an import that stored some).
  // REQUIRES: `memories` outlives the importer.
  static absl::StatusOr<std::unique_ptr<Importer>> Start(Memories& memories, ImportOptions options,
                                                         Progress progress = nullptr);
  // Waits for the batches in flight (an import dropped without Finish keeps
  // the whole batches it committed).
  ~Importer();
  Importer(const Importer&) = delete;
  Importer& operator=(const Importer&) = delete;

  // Parses the next bytes of the file (empty: nothing). A non-OK status
  // ends the file (unreadable, undetectable format, stop_on_error, or a
  // storage error): stop feeding and call Finish, which reports it.
  absl::Status Feed(std::string_view bytes);

  // Ends the file and commits what was read, also after a failed Feed
  // (whole units only). Returns the report; its fatal_error says why the
  // file was not read to its end, its `error` why storing failed (the
  // batches committed before stay, and are counted).
  absl::StatusOr<ImportReport> Finish();

  // The totals so far.
  ImportCounts counts() const;

 private:
  class Sink;
  Importer(Memories& memories, ImportOptions options, Progress progress,
           formats::ReaderOptions reader_options, MemoryRef memory, uint64_t resume_after);
  void ReportProgress();

  Memories& memories_;
  const ImportOptions options_;
  const formats::ReaderOptions reader_options_;
  Progress progress_;
  std::optional<formats::FileFormat> format_;
  absl::Status fatal_;
  bool got_bytes_ = false;
  std::unique_ptr<Sink> sink_;                   // destroyed after the reader that feeds it
  std::unique_ptr<formats::UnitReader> reader_;  // created with the first bytes
};

}  // namespace qantara::tm

#endif  // QANTARA_SERVICE_TM_IMPORTER_H_
