// tm::Importer (service/tm/importer.h): a unit stream from the file readers
// into a memory in batches, with the duplicate policy, per-unit problems and
// counts.
#include "service/tm/importer.h"

#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "service/base/status_macros.h"
#include "service/text/language.h"
#include "service/tm/tmx_units.h"
#include "storage/limits.h"

namespace qantara::tm {
namespace {

// The progress mark's job key of an import's resume key.
std::string JobKey(const std::string& resume_key) { return "import:" + resume_key; }

}  // namespace

// Receives the reader's units and problems; commits units in batches.
class Importer::Sink final : public formats::UnitSink {
 public:
  // `progress` is called after every batch counted; `units_seen` tells the
  // reader's count of units read (the one handed over included).
  Sink(Memories& store, const ImportOptions& options, MemoryRef memory, std::function<void()> progress,
       std::function<uint64_t()> units_seen, uint64_t resume_after)
      : store_(store),
        options_(options),
        memory_(std::move(memory)),
        units_seen_(std::move(units_seen)),
        resume_after_(resume_after),
        policy_(options.preserve_ids ? DuplicatePolicy::kKeepAll : options.policy),
        batch_size_(options.batch_size == 0 ? kDefaultImportBatch : options.batch_size),
        max_problems_(options.max_problems == 0 ? kDefaultMaxImportProblems : options.max_problems),
        progress_(std::move(progress)) {
    defaults_.project = options.defaults.project;
    defaults_.domain = options.defaults.domain;
    defaults_.client = options.defaults.client;
    units_.reserve(batch_size_);
  }

  absl::Status OnUnit(formats::TranslationUnit&& unit) override {
    const uint64_t ordinal = units_seen_();
    if ((ordinal & 255) == 0 && Cancelled()) return absl::CancelledError("import cancelled");
    const int64_t line = unit.line;
    std::string id = unit.id;
    absl::StatusOr<match::Unit> u = ToMemoryUnit(std::move(unit), defaults_);
    if (u.ok() && options_.stamp) options_.stamp(*u);
    if (u.ok()) {
      if (!options_.preserve_ids) {
        u->id = 0;  // storage assigns it
      } else if (u->id == 0) {
        u = absl::InvalidArgumentError(absl::StrCat("no <prop type=\"", std::string(kIdProp),
                                                    "\"> to take the unit's id from (--preserve-ids)"));
      } else if (u->id > storage::kMaxUnitId) {
        u = absl::InvalidArgumentError(absl::StrCat("unit id ", u->id,
                                                    " is above the largest a unit can keep, ",
                                                    storage::kMaxUnitId, " (--preserve-ids)"));
      } else if (u->id <= last_id_) {
        u = absl::InvalidArgumentError(absl::StrCat("unit id ", u->id,
                                                    " is not above the previous unit's id ", last_id_,
                                                    " (--preserve-ids keeps ids in file order)"));
      } else {
        last_id_ = u->id;
      }
    }
    if (ordinal <= resume_after_) {  // an earlier import stored it, or decided not to
      ++counts_.units_resumed;
      return absl::OkStatus();
    }
    if (!u.ok()) {
      return OnProblem(
          formats::Problem{formats::Problem::Severity::kError, line, id, std::string(u.status().message())});
    }
    lines_.push_back(line);
    ids_.push_back(std::move(id));
    ordinals_.push_back(ordinal);
    units_.push_back(*std::move(u));
    if (units_.size() >= batch_size_) return Flush();
    return absl::OkStatus();
  }

  absl::Status OnProblem(const formats::Problem& p) override {
    const uint64_t ordinal = units_seen_();
    if (ordinal >= 1 && ordinal <= resume_after_) {
      // Reported by the earlier import. An error or a skip is the unit's
      // end; a warning comes before the unit itself (OnUnit counts it).
      if (p.severity != formats::Problem::Severity::kWarning) ++counts_.units_resumed;
      return absl::OkStatus();
    }
    switch (p.severity) {
      case formats::Problem::Severity::kError: ++counts_.units_failed; break;
      case formats::Problem::Severity::kWarning: ++counts_.warnings; break;
      case formats::Problem::Severity::kSkipped: ++counts_.units_skipped; break;
    }
    AddProblem(p.severity, p.line, p.unit_id, p.reason);
    if (p.severity == formats::Problem::Severity::kError && options_.stop_on_error) {
      stopped_ = absl::StrCat("stopped at the first failed unit (line ", p.line, "): ", p.reason);
      return absl::AbortedError(stopped_);
    }
    return absl::OkStatus();
  }

  // Hands the units held to a committer and returns the result of the
  // oldest batch handed over before, once two are in flight (a storage
  // error, with which the import must end, or Aborted: stop_on_error and a
  // unit failed). While the reader parses, one batch is written and the next
  // analysed (AddUnits' analysis runs before it waits for the memory's lock:
  // the next batch is handed over once the one before holds it, so batches
  // are written in file order). With stop_on_error, one batch at a time:
  // nothing read after a failed unit is stored. Outcomes are counted in
  // file order.
  absl::Status Flush() {
    const size_t max_in_flight = options_.stop_on_error ? 1 : 2;
    absl::Status result = CollectUntil(max_in_flight - 1);
    if (result.ok()) result = storage_error_;
    if (!result.ok()) {  // nothing read after a stop or a storage error is stored
      units_.clear();
      lines_.clear();
      ids_.clear();
      ordinals_.clear();
      return result;
    }
    if (units_.empty()) return result;
    Batch batch;
    batch.units.swap(units_);
    batch.lines.swap(lines_);
    batch.ids.swap(ids_);
    batch.ordinals.swap(ordinals_);
    batch.position = units_seen_();
    units_.reserve(batch_size_);
    if (options_.dry_run) {
      for (size_t i = 0; i < batch.units.size(); ++i) {
        const match::Unit& u = batch.units[i];
        if (policy_ != DuplicatePolicy::kKeepAll &&
            !seen_.insert(std::hash<std::string>()(absl::StrCat(u.source, std::string(1, '\0'), u.target)))
                 .second) {
          Outcome(AddOutcome{AddOutcome::kSkipped, 0}, batch.lines[i], batch.ids[i]);
        } else {
          ++counts_.units_added;
        }
      }
      progress_();
      return absl::OkStatus();
    }
    if (!in_flight_.empty()) in_flight_.back().ordered->WaitForNotification();
    auto ordered = std::make_shared<absl::Notification>();
    // Both notifications come from the committer thread, one after the other.
    auto notify = [ordered] {
      if (!ordered->HasBeenNotified()) ordered->Notify();
    };
    std::shared_ptr<Written> previous = std::move(last_written_);
    last_written_ = std::make_shared<Written>();
    std::future<Batch> done = std::async(std::launch::async, [this, b = std::move(batch), notify, previous,
                                                              written = last_written_]() mutable {
      // Once this batch holds the memory's lock (so the previous one is
      // done with it), it writes only if the previous one was stored.
      auto on_ordered = [&previous, &notify]() -> absl::Status {
        absl::Status s = absl::OkStatus();
        if (previous != nullptr) {
          previous->done.WaitForNotification();
          if (!previous->ok) s = absl::AbortedError("not stored: an earlier batch of the import failed");
        }
        notify();
        return s;
      };
      Commit(b, on_ordered);
      written->ok = b.storage_error.ok();
      written->done.Notify();
      notify();  // also when the call failed before taking its place
      return std::move(b);
    });
    in_flight_.push_back(InFlight{std::move(done), std::move(ordered)});
    return absl::OkStatus();
  }

  // Waits for every batch handed over and counts their outcomes; returns
  // the first error as Flush does.
  absl::Status Collect() { return CollectUntil(0); }

  // Collects the oldest batches until `left` are in flight; the first error.
  absl::Status CollectUntil(size_t left) {
    absl::Status result = absl::OkStatus();
    while (in_flight_.size() > left) {
      absl::Status s = CollectOldest();
      if (result.ok()) result = s;
    }
    return result;
  }

  // Waits for the oldest batch in flight and counts its outcomes.
  absl::Status CollectOldest() {
    Batch b = in_flight_.front().done.get();
    in_flight_.pop_front();
    absl::Status result = absl::OkStatus();
    for (size_t i = 0; i < b.done; ++i) {
      if (b.failures[i].empty()) {
        Outcome(b.outcomes[i], b.lines[i], b.ids[i]);
        continue;
      }
      ++counts_.units_failed;
      AddProblem(formats::Problem::Severity::kError, b.lines[i], b.ids[i], b.failures[i]);
      if (options_.stop_on_error) {
        stopped_ = absl::StrCat("stopped at the first failed unit (line ", b.lines[i], "): ", b.failures[i]);
        result = absl::AbortedError(stopped_);
      }
    }
    if (!b.storage_error.ok()) {
      if (storage_error_.ok()) storage_error_ = b.storage_error;  // the first one says why
      result = storage_error_;
    }
    progress_();
    return result;
  }

  // Stores the mark of a complete import (every unit of the file read).
  // REQUIRES: no batch in flight.
  absl::Status MarkComplete() {
    if (options_.resume_key.empty() || options_.dry_run) return absl::OkStatus();
    ProgressMark mark{JobKey(options_.resume_key), units_seen_(), /*complete=*/true};
    auto out = store_.AddUnits(memory_, {}, policy_, nullptr, false, &mark);
    if (!out.ok()) storage_error_ = out.status();
    return out.status();
  }

  const ImportCounts& counts() const { return counts_; }
  std::vector<ImportProblem>& problems() { return problems_; }
  uint64_t problems_omitted() const { return omitted_; }
  const absl::Status& storage_error() const { return storage_error_; }
  bool Cancelled() const { return options_.cancelled && options_.cancelled(); }
  const std::string& stopped() const { return stopped_; }

 private:
  void Outcome(const AddOutcome& o, int64_t line, const std::string& id) {
    switch (o.kind) {
      case AddOutcome::kAdded: ++counts_.units_added; break;
      case AddOutcome::kOverwritten: ++counts_.units_updated; break;
      case AddOutcome::kSkipped:
        ++counts_.units_skipped;
        ++counts_.duplicates;
        AddProblem(formats::Problem::Severity::kSkipped, line, id,
                   o.id != 0 ? absl::StrCat("duplicate: the same source and target as unit ", o.id)
                             : std::string("duplicate: the same source and target as an earlier unit"));
        break;
    }
  }

  void AddProblem(formats::Problem::Severity severity, int64_t line, const std::string& id,
                  std::string reason) {
    if (problems_.size() >= max_problems_) {
      ++omitted_;
      return;
    }
    problems_.push_back(ImportProblem{severity, line, id, std::move(reason)});
  }

  // A batch on its way to the store and what became of each unit.
  struct Batch {
    std::vector<match::Unit> units;
    std::vector<int64_t> lines;
    std::vector<std::string> ids;
    std::vector<uint64_t> ordinals;     // per unit: its number in the file (1: the first unit read)
    uint64_t position = 0;              // units read when the batch was handed over
    std::vector<AddOutcome> outcomes;   // per unit, when stored or skipped
    std::vector<std::string> failures;  // per unit: why it was refused, or empty
    size_t done = 0;                    // units [0, done) have an outcome or failure
    absl::Status storage_error;
  };

  // Whether a batch was stored, once its committer is done with it.
  struct Written {
    absl::Notification done;
    bool ok = false;
  };

  struct InFlight {
    std::future<Batch> done;
    std::shared_ptr<absl::Notification>
        ordered;  // notified once the batch's place in the write order is taken
  };

  // Runs on a committer thread; touches nothing but `b` and the store.
  // Units the store would refuse (ValidateUnit) fail on their own;
  // the others are handed to the store in one call, moved (not copied).
  // `on_ordered` as for AddUnits (called also when nothing is stored).
  // With a resume key, the progress mark goes with the units: every unit
  // read up to the batch's position is stored or decided on, but for a
  // stop at a failed unit, which a resume reads (and fails) again.
  void Commit(Batch& b, const OnOrdered& ordered) {
    const size_t n = b.units.size();
    b.outcomes.resize(n);
    b.failures.resize(n);
    // A cancelled import analyses and writes no further batch.
    const OnOrdered on_ordered = [this, &ordered]() -> absl::Status {
      QANTARA_RETURN_IF_ERROR(ordered());
      if (Cancelled()) return absl::CancelledError("import cancelled");
      return absl::OkStatus();
    };
    if (Cancelled()) {
      b.storage_error = on_ordered();
      if (b.storage_error.ok()) b.storage_error = absl::CancelledError("import cancelled");
      b.done = 0;
      return;
    }
    std::vector<size_t> valid;  // indexes of the units stored
    valid.reserve(n);
    size_t end = n;  // units [0, end) are considered
    for (size_t i = 0; i < n; ++i) {
      if (absl::Status s = ValidateUnit(b.units[i]); !s.ok()) {
        b.failures[i] = std::string(s.message());
        if (b.failures[i].empty()) b.failures[i] = "invalid unit";
        if (options_.stop_on_error) {
          end = i + 1;
          break;
        }
        continue;
      }
      valid.push_back(i);
    }
    std::vector<match::Unit> units;
    if (valid.size() == n) {
      units.swap(b.units);
    } else {
      units.reserve(valid.size());
      for (size_t i : valid) units.push_back(std::move(b.units[i]));
    }
    std::optional<ProgressMark> mark;
    if (!options_.resume_key.empty()) {
      mark = ProgressMark{JobKey(options_.resume_key), end < n ? b.ordinals[end - 1] - 1 : b.position};
    }
    if (units.empty() && !mark.has_value()) {
      b.storage_error = on_ordered();  // an earlier batch's failure ends the import here too
      if (!b.storage_error.ok())
        b.done = 0;
      else
        b.done = end;
      return;
    }
    {
      auto out = store_.AddUnits(memory_, std::move(units), policy_, on_ordered, options_.preserve_ids,
                                 mark.has_value() ? &*mark : nullptr);
      if (!out.ok()) {
        // Nothing of the call is stored (validation comes first) or a
        // storage error: the import ends here.
        b.storage_error = out.status();
        b.done = valid.empty() ? end : valid.front();
        return;
      }
      for (size_t k = 0; k < valid.size(); ++k) b.outcomes[valid[k]] = (*out)[k];
    }
    b.done = end;
  }

  Memories& store_;
  const ImportOptions& options_;
  // Pinned at the start: a memory deleted during the import fails the
  // batches after it (NotFound); none reaches a new memory of the name.
  const MemoryRef memory_;
  std::function<uint64_t()> units_seen_;
  const uint64_t resume_after_;  // units of the file an earlier import stored or decided on
  const DuplicatePolicy policy_;
  const size_t batch_size_;
  const size_t max_problems_;
  std::function<void()> progress_;
  match::Attributes defaults_;
  std::vector<match::Unit> units_;
  std::vector<int64_t> lines_;
  std::vector<std::string> ids_;
  std::vector<uint64_t> ordinals_;
  absl::flat_hash_set<size_t> seen_;  // dry run: hashes of the pairs read
  uint64_t last_id_ = 0;              // preserve_ids: the id of the last unit taken
  ImportCounts counts_;
  std::vector<ImportProblem> problems_;
  uint64_t omitted_ = 0;
  absl::Status storage_error_;
  std::string stopped_;
  std::shared_ptr<Written> last_written_;  // of the batch handed over last
  std::deque<InFlight> in_flight_;         // oldest first; their futures' destructors wait for them
};

namespace {
constexpr char kLangsNotForTmx[] =
    "source_lang and target_lang say an XLIFF or CSV file's languages; a TMX file names each segment's own "
    "(xml:lang)";
}  // namespace

absl::StatusOr<std::unique_ptr<Importer>> Importer::Start(Memories& memories, ImportOptions options,
                                                          Progress progress) {
  if (options.batch_size > kMaxImportBatch) {
    return absl::InvalidArgumentError(absl::StrCat("batch_size must be 1 to ", kMaxImportBatch));
  }
  if (options.max_problems > kMaxImportProblems) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_problems must be at most ", kMaxImportProblems, ", not ", options.max_problems));
  }
  if (options.resume_key.size() > kMaxResumeKeyBytes) {
    return absl::InvalidArgumentError(absl::StrCat("resume_key must be at most ", kMaxResumeKeyBytes,
                                                   " bytes, not ", options.resume_key.size()));
  }
  if (options.resume && options.resume_key.empty()) {
    return absl::InvalidArgumentError(
        "resume needs the file's resume_key (the CLI sends the file's SHA-256)");
  }
  std::optional<text::Language> file_langs[2];
  for (int i = 0; i < 2; ++i) {
    const std::string& tag = i == 0 ? options.file_source_lang : options.file_target_lang;
    if (tag.empty()) continue;
    absl::StatusOr<text::Language> l = text::ParseLanguage(tag);
    if (!l.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(i == 0 ? "source_lang" : "target_lang", ": ", l.status().message()));
    }
    file_langs[i] = *l;
  }
  if (file_langs[0] && file_langs[1] && *file_langs[0] == *file_langs[1]) {
    return absl::InvalidArgumentError("target_lang: the same language as source_lang (the file's two sides)");
  }
  if ((file_langs[0] || file_langs[1]) && options.format == formats::FileFormat::kTmx) {
    return absl::InvalidArgumentError(kLangsNotForTmx);
  }
  QANTARA_ASSIGN_OR_RETURN(auto pinned, memories.Pin(options.memory));
  uint64_t resume_after = 0;
  if (options.resume) {
    QANTARA_ASSIGN_OR_RETURN(std::optional<ProgressMark> mark,
                             memories.GetProgress(pinned.first, JobKey(options.resume_key)));
    if (mark.has_value()) resume_after = mark->position;
  }
  if (options.preserve_ids && resume_after == 0) {
    absl::StatusOr<MemoryInfo> info = memories.GetMemory(pinned.first);
    if (!info.ok()) return info.status();
    if (info->units > 0) {
      return absl::FailedPreconditionError(absl::StrCat("--preserve-ids imports only into an empty memory; ",
                                                        options.memory, " holds ", info->units, " units"));
    }
  }
  formats::ReaderOptions reader_options;
  reader_options.source_language = pinned.second.source;
  reader_options.target_language = pinned.second.target;
  reader_options.xliff_only_final = options.xliff_only_final;
  reader_options.po_include_fuzzy = options.po_include_fuzzy;
  reader_options.file_source_language = file_langs[0];
  reader_options.file_target_language = file_langs[1];
  return std::unique_ptr<Importer>(new Importer(memories, std::move(options), std::move(progress),
                                                reader_options, std::move(pinned.first), resume_after));
}

Importer::Importer(Memories& memories, ImportOptions options, Progress progress,
                   formats::ReaderOptions reader_options, MemoryRef memory, uint64_t resume_after)
    : memories_(memories),
      options_(std::move(options)),
      reader_options_(reader_options),
      progress_(std::move(progress)),
      format_(options_.format) {
  sink_ = std::make_unique<Sink>(
      memories_, options_, std::move(memory), [this] { ReportProgress(); },
      [this]() -> uint64_t { return reader_ ? reader_->stats().units_seen : 0; }, resume_after);
}

Importer::~Importer() = default;

void Importer::ReportProgress() {
  if (progress_) progress_(counts());
}

ImportCounts Importer::counts() const {
  ImportCounts c = sink_->counts();
  if (reader_) {
    c.bytes = reader_->stats().bytes;
    c.units_read = reader_->stats().units_seen;
  }
  return c;
}

absl::Status Importer::Feed(std::string_view bytes) {
  if (!fatal_.ok()) return fatal_;
  if (bytes.empty()) return absl::OkStatus();
  got_bytes_ = true;
  if (!reader_) {
    if (!format_) {
      absl::StatusOr<formats::FileFormat> detected = formats::DetectFileFormat(options_.file_name, bytes);
      if (!detected.ok()) {
        fatal_ = detected.status();
        return fatal_;
      }
      format_ = *detected;
    }
    if (*format_ == formats::FileFormat::kTmx &&
        (reader_options_.file_source_language || reader_options_.file_target_language)) {
      fatal_ = absl::InvalidArgumentError(kLangsNotForTmx);
      return fatal_;
    }
    reader_ = formats::NewUnitReader(*format_, reader_options_, sink_.get());
  }
  fatal_ = reader_->Feed(bytes);
  if (!fatal_.ok()) return fatal_;
  ReportProgress();
  return absl::OkStatus();
}

absl::StatusOr<ImportReport> Importer::Finish() {
  if (fatal_.ok()) {
    if (!got_bytes_) {
      fatal_ = absl::InvalidArgumentError("the file is empty");
    } else {
      fatal_ = reader_->Finish();
    }
  }
  // Whole units read before a fatal error or a stop are committed too
  // (after a storage error nothing more is: Flush only collects).
  absl::Status flushed = sink_->Flush();
  if (flushed.ok()) flushed = sink_->Collect();
  if (sink_->storage_error().ok()) {
    if (fatal_.ok() && !flushed.ok()) fatal_ = flushed;    // stop_on_error in the last batch
    if (fatal_.ok()) sink_->MarkComplete().IgnoreError();  // its error is the report's
  } else {
    flushed = sink_->Collect();  // a batch still in flight after the failed one (not stored)
  }

  ImportReport report;
  report.counts = counts();
  report.problems = std::move(sink_->problems());
  report.problems_omitted = sink_->problems_omitted();
  if (!fatal_.ok()) {
    report.fatal_error = !sink_->stopped().empty() ? sink_->stopped() : std::string(fatal_.message());
  }
  report.dry_run = options_.dry_run;
  report.format = format_;
  report.error = sink_->storage_error();
  if (!report.error.ok() && report.fatal_error.empty()) {
    report.fatal_error = absl::StrCat("storing failed: ", report.error.message());
  }
  return report;
}

}  // namespace qantara::tm
