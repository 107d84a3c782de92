// qantara.v1.ImportExportService handlers: streaming TMX/XLIFF imports into
// tm::Importer with progress and report, and streaming TMX or PO exports out.
#include "service/rpc/import_service.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "service/rpc/auth.h"
#include "service/rpc/call_admission.h"
#include "service/rpc/enum_check.h"
#include "service/rpc/grpc_status.h"
#include "service/rpc/idempotency.h"
#include "service/rpc/memory_convert.h"
#include "service/tm/exporter.h"
#include "service/tm/importer.h"

namespace qantara::rpc {

namespace v1 = qantara::v1;

namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kProgressEvery = std::chrono::milliseconds(200);

// GetImportFigures(): relaxed atomics, bumped once a batch.
std::atomic<uint64_t> g_running{0}, g_started{0}, g_units_stored{0}, g_bytes_read{0};

// Counts one running import and what it stores, as it goes.
class ImportCounter {
 public:
  explicit ImportCounter(bool dry_run) : dry_run_(dry_run) {
    g_started.fetch_add(1, std::memory_order_relaxed);
    g_running.fetch_add(1, std::memory_order_relaxed);
  }
  ~ImportCounter() { g_running.fetch_sub(1, std::memory_order_relaxed); }
  ImportCounter(const ImportCounter&) = delete;
  ImportCounter& operator=(const ImportCounter&) = delete;
  // The import's counts so far: adds what is new since the last call.
  void Note(const tm::ImportCounts& counts) {
    const uint64_t stored = dry_run_ ? 0 : counts.units_added + counts.units_updated;
    if (stored > stored_) g_units_stored.fetch_add(stored - stored_, std::memory_order_relaxed);
    if (counts.bytes > bytes_) g_bytes_read.fetch_add(counts.bytes - bytes_, std::memory_order_relaxed);
    stored_ = std::max(stored_, stored);
    bytes_ = std::max(bytes_, counts.bytes);
  }

 private:
  const bool dry_run_;
  uint64_t stored_ = 0, bytes_ = 0;
};

tm::ImportOptions FromProto(const v1::ImportStart& in) {
  tm::ImportOptions out;
  out.memory = in.memory();
  if (in.format() == v1::FILE_FORMAT_TMX) out.format = formats::FileFormat::kTmx;
  if (in.format() == v1::FILE_FORMAT_XLIFF) out.format = formats::FileFormat::kXliff;
  if (in.format() == v1::FILE_FORMAT_PO) out.format = formats::FileFormat::kPo;
  if (in.format() == v1::FILE_FORMAT_CSV) out.format = formats::FileFormat::kCsv;
  out.file_name = in.file_name();
  out.dry_run = in.dry_run();
  out.policy = rpc::FromProto(in.on_duplicate());
  out.defaults.project = in.defaults().project();
  out.defaults.domain = in.defaults().domain();
  out.defaults.client = in.defaults().client();
  out.stop_on_error = in.stop_on_error();
  out.xliff_only_final = in.xliff_only_final();
  out.po_include_fuzzy = in.include_fuzzy();
  out.file_source_lang = in.source_lang();
  out.file_target_lang = in.target_lang();
  out.batch_size = in.batch_size();
  out.max_problems = in.max_problems();
  out.preserve_ids = in.preserve_ids();
  out.resume_key = in.resume_key();
  out.resume = in.resume();
  return out;
}

void ToProto(const tm::ImportCounts& in, v1::ImportCounts* out) {
  out->set_bytes(in.bytes);
  out->set_units_read(in.units_read);
  out->set_units_added(in.units_added);
  out->set_units_updated(in.units_updated);
  out->set_units_skipped(in.units_skipped);
  out->set_units_failed(in.units_failed);
  out->set_warnings(in.warnings);
  out->set_duplicates(in.duplicates);
  out->set_units_resumed(in.units_resumed);
}

v1::FileFormat ToProto(formats::FileFormat f) {
  switch (f) {
    case formats::FileFormat::kTmx: return v1::FILE_FORMAT_TMX;
    case formats::FileFormat::kXliff: return v1::FILE_FORMAT_XLIFF;
    case formats::FileFormat::kPo: return v1::FILE_FORMAT_PO;
    case formats::FileFormat::kCsv: return v1::FILE_FORMAT_CSV;
  }
  return v1::FILE_FORMAT_UNSPECIFIED;
}

void ToProto(const tm::ImportReport& in, v1::ImportReport* out) {
  ToProto(in.counts, out->mutable_counts());
  for (const tm::ImportProblem& p : in.problems) {
    v1::ImportProblem* o = out->add_problems();
    o->set_severity(std::string(formats::SeverityName(p.severity)));
    o->set_line(p.line);
    o->set_unit_id(p.unit_id);
    o->set_reason(p.reason);
  }
  out->set_problems_omitted(in.problems_omitted);
  out->set_fatal_error(in.fatal_error);
  out->set_dry_run(in.dry_run);
  if (in.format) out->set_format(ToProto(*in.format));
}

}  // namespace

ImportFigures GetImportFigures() {
  return ImportFigures{.running = g_running.load(std::memory_order_relaxed),
                       .started = g_started.load(std::memory_order_relaxed),
                       .units_stored = g_units_stored.load(std::memory_order_relaxed),
                       .bytes_read = g_bytes_read.load(std::memory_order_relaxed)};
}

grpc::Status ImportExportServiceImpl::Import(
    grpc::ServerContext* context, grpc::ServerReaderWriter<v1::ImportResponse, v1::ImportRequest>* stream) {
  AuditedCall audit(context, "Import");
  absl::StatusOr<tm::Principal> who = Caller(context);
  if (!who.ok()) return audit.Done(ToGrpcStatus(who.status()));
  audit.set_who(*who);
  absl::StatusOr<CallSlot> slot = Admit(context, CallKind::kStream, "Import");
  if (!slot.ok()) return audit.Done(ToGrpcStatus(slot.status()));
  const Clock::time_point t0 = Clock::now();
  v1::ImportRequest req;
  if (!slot->Read(*stream, &req) || !req.has_start()) {
    return audit.Done(
        grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the first Import message must be `start`"));
  }
  audit.set_memory(req.start().memory());
  const bool dry_run = req.start().dry_run();
  if (dry_run) audit.set_detail("dry run");
  if (absl::Status s = tm::NeedMemory(*who, req.start().memory(), tm::Role::kTranslator, "import"); !s.ok()) {
    return audit.Done(ToGrpcStatus(s));
  }
  if (absl::Status s = CheckEnums(req); !s.ok()) return audit.Done(ToGrpcStatus(s));
  // A repeat of an import that completed (same request id): read the file
  // again, store nothing, answer with the first import's report. A dry run
  // stores nothing anyway: it is not remembered.
  OnceCall once(*who, dry_run ? std::string() : req.start().request_id(), "Import");
  {
    v1::ImportResponse first;
    absl::StatusOr<bool> repeat = once.Begin(req, &first);
    if (!repeat.ok()) return audit.Done(ToGrpcStatus(repeat.status()));
    if (*repeat) {
      while (slot->Read(*stream, &req)) {
      }
      audit.set_detail("repeat of an import by request_id: nothing stored");
      stream->Write(first);
      return audit.Done(grpc::Status::OK);
    }
  }
  const uint64_t total_bytes = req.start().total_bytes();
  Clock::time_point last_progress = t0;
  ImportCounter counter(dry_run);
  auto send_progress = [&](const tm::ImportCounts& counts) {
    counter.Note(counts);
    const Clock::time_point now = Clock::now();
    if (now - last_progress < kProgressEvery) return;
    last_progress = now;
    v1::ImportResponse resp;
    ToProto(counts, resp.mutable_progress()->mutable_counts());
    resp.mutable_progress()->set_total_bytes(total_bytes);
    stream->Write(resp);  // a gone client shows up as a cancelled context
  };
  tm::ImportOptions options = FromProto(req.start());
  options.cancelled = [context] { return context->IsCancelled(); };
  options.stamp = [principal = *who](match::Unit& u) { tm::StampIdentity(principal, u); };
  absl::StatusOr<std::unique_ptr<tm::Importer>> importer =
      tm::Importer::Start(store_, std::move(options), send_progress);
  if (!importer.ok()) return audit.Done(ToGrpcStatus(importer.status()));

  while (slot->Read(*stream, &req)) {
    if (!req.has_chunk()) {
      return audit.Done(
          grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "only the first Import message may hold `start`"));
    }
    if (!(*importer)->Feed(req.chunk()).ok()) break;  // the report says why
  }
  if (context->IsCancelled()) {
    return audit.Done(
        grpc::Status(grpc::StatusCode::CANCELLED, "import cancelled; only whole batches were stored"));
  }
  absl::StatusOr<tm::ImportReport> report = (*importer)->Finish();
  if (!report.ok()) return audit.Done(ToGrpcStatus(report.status()));
  counter.Note(report->counts);

  v1::ImportResponse resp;
  ToProto(*report, resp.mutable_report());
  ToDuration(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count(),
             resp.mutable_report()->mutable_elapsed());
  // Remembered only when the import ran to its end (a fatal error or a
  // storage error: a retry imports again, resume_key skips what was stored).
  if (report->error.ok() && report->fatal_error.empty()) once.End(&resp);
  stream->Write(resp);
  if (!dry_run) audit.add_units(report->counts.units_added + report->counts.units_updated);
  return audit.Done(ToGrpcStatus(report->error));  // after the report: what was stored is counted
}

grpc::Status ImportExportServiceImpl::Export(grpc::ServerContext* context, const v1::ExportRequest* req,
                                             grpc::ServerWriter<v1::ExportResponse>* writer) {
  AuditedCall audit(context, "Export");
  audit.set_memory(req->memory());
  absl::StatusOr<tm::Principal> who = AllowMemory(context, req->memory(), tm::Role::kReader, "export");
  if (!who.ok()) return audit.Done(ToGrpcStatus(who.status()));
  audit.set_who(*who);
  if (absl::Status s = CheckEnums(*req); !s.ok()) return audit.Done(ToGrpcStatus(s));
  absl::StatusOr<CallSlot> slot = Admit(context, CallKind::kStream, "Export");
  if (!slot.ok()) return audit.Done(ToGrpcStatus(slot.status()));
  tm::ExportOptions options;
  options.memory = req->memory();
  absl::StatusOr<match::UnitFilter> filter = FromProto(req->filter());
  if (!filter.ok()) return audit.Done(ToGrpcStatus(filter.status()));
  options.filter = *std::move(filter);
  options.min_confidence = req->min_confidence();
  switch (req->format()) {
    case v1::FILE_FORMAT_UNSPECIFIED:
    case v1::FILE_FORMAT_TMX: options.format = formats::FileFormat::kTmx; break;
    case v1::FILE_FORMAT_PO: options.format = formats::FileFormat::kPo; break;
    default:
      return audit.Done(ToGrpcStatus(absl::InvalidArgumentError(
          absl::StrCat("format: ", v1::FileFormat_Name(req->format()), " is not exported (TMX or PO)"))));
  }
  uint64_t exported = 0;
  absl::Status s = tm::Export(
      store_, options,
      [&](std::string_view bytes, const tm::ExportCounts& counts) -> absl::Status {
        v1::ExportResponse resp;
        resp.set_chunk(std::string(bytes));
        resp.set_units(counts.units);
        resp.set_units_unwritable(counts.unwritable);
        resp.set_units_damaged(counts.damaged);
        exported = counts.units;
        if (!writer->Write(resp)) return absl::CancelledError("the client went away");
        return absl::OkStatus();
      },
      [context] { return context->IsCancelled(); });
  audit.add_units(exported);
  return audit.Done(ToGrpcStatus(s));
}

}  // namespace qantara::rpc
