#include "service/rpc/import_service.h"

#include <chrono>
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
#include "service/formats/tmx_writer.h"
#include "service/formats/unit_reader.h"
#include "service/rpc/grpc_status.h"
#include "service/rpc/memory_convert.h"
#include "service/rpc/tmx_units.h"
#include "service/text/language.h"

namespace qantara::rpc {

namespace v1 = qantara::v1;

namespace {

using Clock = std::chrono::steady_clock;

constexpr uint32_t kDefaultBatch = 5000;
constexpr uint32_t kMaxBatch = 10000;
constexpr uint32_t kDefaultMaxProblems = 10000;
constexpr auto kProgressEvery = std::chrono::milliseconds(200);

struct Languages {
  text::Language source, target;
};

absl::StatusOr<Languages> MemoryLanguages(const tm::MemoryInfo& info) {
  auto s = text::ParseLanguage(info.source_lang);
  if (!s.ok()) return s.status();
  auto t = text::ParseLanguage(info.target_lang);
  if (!t.ok()) return t.status();
  return Languages{*s, *t};
}

// Receives the reader's units and problems; commits units in batches.
class ImportSink final : public formats::UnitSink {
 public:
  using Progress = std::function<void(bool force)>;

  ImportSink(tm::Memories& store, const v1::ImportStart& start, Progress progress)
      : store_(store),
        start_(start),
        policy_(FromProto(start.on_duplicate())),
        batch_size_(start.batch_size() == 0 ? kDefaultBatch : start.batch_size()),
        max_problems_(start.max_problems() == 0 ? kDefaultMaxProblems : start.max_problems()),
        progress_(std::move(progress)) {
    defaults_.project = start.defaults().project();
    defaults_.domain = start.defaults().domain();
    defaults_.client = start.defaults().client();
    units_.reserve(batch_size_);
  }

  absl::Status OnUnit(formats::TranslationUnit&& unit) override {
    lines_.push_back(unit.line);
    ids_.push_back(unit.id);
    units_.push_back(ToMemoryUnit(std::move(unit), defaults_));
    if (units_.size() >= batch_size_) return Flush();
    return absl::OkStatus();
  }

  absl::Status OnProblem(const formats::Problem& p) override {
    switch (p.severity) {
      case formats::Problem::Severity::kError: counts_.set_units_failed(counts_.units_failed() + 1); break;
      case formats::Problem::Severity::kWarning: counts_.set_warnings(counts_.warnings() + 1); break;
      case formats::Problem::Severity::kSkipped: counts_.set_units_skipped(counts_.units_skipped() + 1); break;
    }
    AddProblem(std::string(formats::SeverityName(p.severity)), p.line, p.unit_id, p.reason);
    if (p.severity == formats::Problem::Severity::kError && start_.stop_on_error()) {
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
    const size_t max_in_flight = start_.stop_on_error() ? 1 : 2;
    absl::Status result = CollectUntil(max_in_flight - 1);
    if (!result.ok()) {  // nothing read after a stop or a storage error is stored
      units_.clear();
      lines_.clear();
      ids_.clear();
      return result;
    }
    if (units_.empty()) return result;
    Batch batch;
    batch.units.swap(units_);
    batch.lines.swap(lines_);
    batch.ids.swap(ids_);
    units_.reserve(batch_size_);
    if (start_.dry_run()) {
      for (size_t i = 0; i < batch.units.size(); ++i) {
        const match::Unit& u = batch.units[i];
        if (policy_ != tm::DuplicatePolicy::kKeepAll &&
            !seen_.insert(std::hash<std::string>()(absl::StrCat(u.source, std::string(1, '\0'), u.target)))
                 .second) {
          Outcome(tm::AddOutcome{tm::AddOutcome::kSkipped, 0}, batch.lines[i], batch.ids[i]);
        } else {
          counts_.set_units_added(counts_.units_added() + 1);
        }
      }
      progress_(false);
      return absl::OkStatus();
    }
    if (!in_flight_.empty()) in_flight_.back().ordered->WaitForNotification();
    auto ordered = std::make_shared<absl::Notification>();
    // Both notifications come from the committer thread, one after the other.
    auto notify = [ordered] {
      if (!ordered->HasBeenNotified()) ordered->Notify();
    };
    std::future<Batch> done = std::async(std::launch::async, [this, b = std::move(batch), notify]() mutable {
      Commit(b, notify);
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
      counts_.set_units_failed(counts_.units_failed() + 1);
      AddProblem("error", b.lines[i], b.ids[i], b.failures[i]);
      if (start_.stop_on_error()) {
        stopped_ = absl::StrCat("stopped at the first failed unit (line ", b.lines[i], "): ", b.failures[i]);
        result = absl::AbortedError(stopped_);
      }
    }
    if (!b.storage_error.ok()) {
      storage_error_ = b.storage_error;
      result = storage_error_;
    }
    progress_(false);
    return result;
  }

  const v1::ImportCounts& counts() const { return counts_; }
  v1::ImportCounts& mutable_counts() { return counts_; }
  const std::vector<v1::ImportProblem>& problems() const { return problems_; }
  uint64_t problems_omitted() const { return omitted_; }
  const absl::Status& storage_error() const { return storage_error_; }
  const std::string& stopped() const { return stopped_; }

 private:
  void Outcome(const tm::AddOutcome& o, int64_t line, const std::string& id) {
    switch (o.kind) {
      case tm::AddOutcome::kAdded: counts_.set_units_added(counts_.units_added() + 1); break;
      case tm::AddOutcome::kOverwritten: counts_.set_units_updated(counts_.units_updated() + 1); break;
      case tm::AddOutcome::kSkipped:
        counts_.set_units_skipped(counts_.units_skipped() + 1);
        counts_.set_duplicates(counts_.duplicates() + 1);
        AddProblem("skipped", line, id,
                   o.id != 0 ? absl::StrCat("duplicate: the same source and target as unit ", o.id)
                             : std::string("duplicate: the same source and target as an earlier unit"));
        break;
    }
  }

  void AddProblem(std::string severity, int64_t line, const std::string& id, std::string reason) {
    if (problems_.size() >= max_problems_) {
      ++omitted_;
      return;
    }
    v1::ImportProblem& p = problems_.emplace_back();
    p.set_severity(std::move(severity));
    p.set_line(line);
    p.set_unit_id(id);
    p.set_reason(std::move(reason));
  }

  // A batch on its way to the store and what became of each unit.
  struct Batch {
    std::vector<match::Unit> units;
    std::vector<int64_t> lines;
    std::vector<std::string> ids;
    std::vector<tm::AddOutcome> outcomes;  // per unit, when stored or skipped
    std::vector<std::string> failures;          // per unit: why it was refused, or empty
    size_t done = 0;                            // units [0, done) have an outcome or failure
    absl::Status storage_error;
  };

  struct InFlight {
    std::future<Batch> done;
    std::shared_ptr<absl::Notification> ordered;  // notified once the batch's place in the write order is taken
  };

  // Runs on a committer thread; touches nothing but `b` and the store.
  // Units the store would refuse (tm::ValidateUnit) fail on their own;
  // the others are handed to the store in one call, moved (not copied).
  // `on_ordered` as for AddUnits.
  void Commit(Batch& b, const std::function<void()>& on_ordered) {
    const size_t n = b.units.size();
    b.outcomes.resize(n);
    b.failures.resize(n);
    std::vector<size_t> valid;  // indexes of the units stored
    valid.reserve(n);
    size_t end = n;             // units [0, end) are considered
    for (size_t i = 0; i < n; ++i) {
      if (absl::Status s = tm::ValidateUnit(b.units[i]); !s.ok()) {
        b.failures[i] = std::string(s.message());
        if (b.failures[i].empty()) b.failures[i] = "invalid unit";
        if (start_.stop_on_error()) {
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
    if (!units.empty()) {
      auto out = store_.AddUnits(start_.memory(), std::move(units), policy_, on_ordered);
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

  tm::Memories& store_;
  const v1::ImportStart& start_;
  const tm::DuplicatePolicy policy_;
  const size_t batch_size_;
  const size_t max_problems_;
  Progress progress_;
  match::Attributes defaults_;
  std::vector<match::Unit> units_;
  std::vector<int64_t> lines_;
  std::vector<std::string> ids_;
  absl::flat_hash_set<size_t> seen_;  // dry run: hashes of the pairs read
  v1::ImportCounts counts_;
  std::vector<v1::ImportProblem> problems_;
  uint64_t omitted_ = 0;
  absl::Status storage_error_;
  std::string stopped_;
  std::deque<InFlight> in_flight_;  // oldest first; their futures' destructors wait for them
};

v1::FileFormat ToProto(formats::FileFormat f) {
  return f == formats::FileFormat::kTmx ? v1::FILE_FORMAT_TMX : v1::FILE_FORMAT_XLIFF;
}

}  // namespace

grpc::Status ImportExportServiceImpl::Import(
    grpc::ServerContext* context, grpc::ServerReaderWriter<v1::ImportResponse, v1::ImportRequest>* stream) {
  const Clock::time_point t0 = Clock::now();
  v1::ImportRequest req;
  if (!stream->Read(&req) || !req.has_start()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the first Import message must be `start`");
  }
  const v1::ImportStart start = req.start();
  if (start.batch_size() > kMaxBatch) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        absl::StrCat("batch_size must be 1 to ", kMaxBatch));
  }
  auto info = store_.GetMemory(start.memory());
  if (!info.ok()) return ToGrpcStatus(info.status());
  auto langs = MemoryLanguages(*info);
  if (!langs.ok()) return ToGrpcStatus(langs.status());

  formats::ReaderOptions options;
  options.source_language = langs->source;
  options.target_language = langs->target;
  options.xliff_only_final = start.xliff_only_final();

  std::unique_ptr<formats::UnitReader> reader;
  std::optional<formats::FileFormat> format;
  if (start.format() == v1::FILE_FORMAT_TMX) format = formats::FileFormat::kTmx;
  if (start.format() == v1::FILE_FORMAT_XLIFF) format = formats::FileFormat::kXliff;

  Clock::time_point last_progress = t0;
  ImportSink* sink_ptr = nullptr;
  auto send_progress = [&](bool force) {
    const Clock::time_point now = Clock::now();
    if (!force && now - last_progress < kProgressEvery) return;
    last_progress = now;
    v1::ImportResponse resp;
    v1::ImportProgress* p = resp.mutable_progress();
    *p->mutable_counts() = sink_ptr->counts();
    if (reader) {
      p->mutable_counts()->set_bytes(reader->stats().bytes);
      p->mutable_counts()->set_units_read(reader->stats().units_seen);
    }
    p->set_total_bytes(start.total_bytes());
    stream->Write(resp);  // a gone client shows up as a cancelled context
  };
  ImportSink sink(store_, start, send_progress);
  sink_ptr = &sink;

  absl::Status fatal = absl::OkStatus();
  bool got_bytes = false;
  while (stream->Read(&req)) {
    if (!req.has_chunk()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "only the first Import message may hold `start`");
    }
    if (req.chunk().empty()) continue;
    got_bytes = true;
    if (!reader) {
      if (!format) {
        auto detected = formats::DetectFileFormat(start.file_name(), req.chunk());
        if (!detected.ok()) {
          fatal = detected.status();
          break;
        }
        format = *detected;
      }
      reader = formats::NewUnitReader(*format, options, &sink);
    }
    fatal = reader->Feed(req.chunk());
    if (!fatal.ok()) break;
    send_progress(false);
  }
  if (context->IsCancelled()) {
    return grpc::Status(grpc::StatusCode::CANCELLED, "import cancelled; only whole batches were stored");
  }
  if (fatal.ok()) {
    if (!got_bytes) {
      fatal = absl::InvalidArgumentError("the file is empty");
    } else {
      fatal = reader->Finish();
    }
  }
  if (!sink.storage_error().ok()) return ToGrpcStatus(sink.storage_error());
  // Whole units read before a fatal error or a stop are committed too.
  absl::Status flushed = sink.Flush();
  if (flushed.ok()) flushed = sink.Collect();
  if (!sink.storage_error().ok()) return ToGrpcStatus(sink.storage_error());
  if (fatal.ok() && !flushed.ok()) fatal = flushed;  // stop_on_error in the last batch

  v1::ImportResponse resp;
  v1::ImportReport* report = resp.mutable_report();
  *report->mutable_counts() = sink.counts();
  if (reader) {
    report->mutable_counts()->set_bytes(reader->stats().bytes);
    report->mutable_counts()->set_units_read(reader->stats().units_seen);
  }
  for (const v1::ImportProblem& p : sink.problems()) *report->add_problems() = p;
  report->set_problems_omitted(sink.problems_omitted());
  if (!fatal.ok()) {
    report->set_fatal_error(!sink.stopped().empty() ? sink.stopped() : std::string(fatal.message()));
  }
  report->set_dry_run(start.dry_run());
  if (format) report->set_format(ToProto(*format));
  report->set_elapsed_ms(static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count()));
  stream->Write(resp);
  return grpc::Status::OK;
}

grpc::Status ImportExportServiceImpl::Export(grpc::ServerContext* context, const v1::ExportRequest* req,
                                             grpc::ServerWriter<v1::ExportResponse>* writer) {
  auto info = store_.GetMemory(req->memory());
  if (!info.ok()) return ToGrpcStatus(info.status());
  auto langs = MemoryLanguages(*info);
  if (!langs.ok()) return ToGrpcStatus(langs.status());
  match::UnitFilter filter = FromProto(req->filter());
  if (req->changed_after_us() != 0) filter.changed_after_us = req->changed_after_us();
  if (req->min_confidence() < 0 || req->min_confidence() > 1 ||
      filter.min_alignment_confidence < 0 || filter.min_alignment_confidence > 1) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the minimum confidence must be 0 to 1");
  }
  if (req->min_confidence() != 0) filter.min_alignment_confidence = req->min_confidence();
  const bool filtered = !filter.empty();

  formats::TmxWriterOptions options;
  options.header.srclang = info->source_lang;
  options.header.creation_date =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  options.header.props.push_back({"x-qantara-memory", info->name});
  uint64_t units = 0, unwritable = 0;
  formats::TmxWriter tmx(std::move(options), [&](std::string_view bytes) -> absl::Status {
    v1::ExportResponse resp;
    resp.set_chunk(std::string(bytes));
    resp.set_units(units);
    resp.set_units_unwritable(unwritable);
    if (!writer->Write(resp)) return absl::CancelledError("the client went away");
    return absl::OkStatus();
  });
  absl::Status s = store_.ScanUnits(req->memory(), 0, [&](const match::Unit& u) -> absl::Status {
    if (filtered && !filter.Matches(u)) return absl::OkStatus();
    auto tu = ToFileUnit(u, langs->source, info->source_lang, langs->target, info->target_lang);
    if (!tu.ok()) {
      ++unwritable;
      return absl::OkStatus();
    }
    absl::Status w = tmx.Write(*tu);
    if (absl::IsInvalidArgument(w)) {
      ++unwritable;
      return absl::OkStatus();
    }
    if (w.ok()) ++units;
    if (w.ok() && (units & 1023) == 0 && context->IsCancelled()) {
      return absl::CancelledError("export cancelled");
    }
    return w;
  });
  if (!s.ok()) return ToGrpcStatus(s);
  if (absl::Status f = tmx.Finish(); !f.ok()) return ToGrpcStatus(f);
  return grpc::Status::OK;
}

}  // namespace qantara::rpc
