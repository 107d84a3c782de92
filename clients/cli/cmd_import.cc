// `qantara import`: a TMX, XLIFF or CSV/TSV file streamed to the server in chunks, with
// a progress bar (or plain progress lines when stderr is not a terminal), a
// summary and an optional JSON report. `qantara export`: a memory as TMX.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "clients/cli/commands.h"
#include "clients/cli/idle_watchdog.h"
#include "clients/cli/policy_text.h"
#include "clients/cli/render_backup.h"
#include "google/protobuf/util/time_util.h"
#include "nlohmann/json.hpp"
#include "openssl/evp.h"
#include "qantara/v1/import.grpc.pb.h"

namespace qantara::cli {
namespace {

namespace v1 = qantara::v1;
using Clock = std::chrono::steady_clock;

constexpr size_t kChunkBytes = 256 * 1024;

std::string Duration(double seconds) {
  if (seconds < 0 || seconds > 360000) return "--:--";
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

// Draws the progress of an import on stderr.
class ProgressView {
 public:
  ProgressView(uint64_t total_bytes, bool tty)
      : total_(total_bytes), tty_(tty), t0_(Clock::now()), last_(t0_ - std::chrono::hours(1)) {}

  void Update(const v1::ImportCounts& c, bool force = false) {
    const Clock::time_point now = Clock::now();
    const auto every = tty_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(2000);
    if (!force && now - last_ < every) return;
    last_ = now;
    const double secs = std::chrono::duration<double>(now - t0_).count();
    const double rate = secs > 0 ? c.units_read() / secs : 0;
    const double frac = total_ > 0 ? std::min(1.0, double(c.bytes()) / double(total_)) : 0;
    const double eta = frac > 0.001 ? secs * (1 - frac) / frac : -1;
    char mb[64];
    std::snprintf(mb, sizeof mb, "%.1f/%.1f MB", c.bytes() / 1e6, total_ / 1e6);
    const std::string units = Thousands(c.units_read()) + " units";
    const std::string tail = std::string(mb) + ", " + Thousands(static_cast<uint64_t>(rate)) +
                             " units/s, ETA " + Duration(eta) +
                             (c.units_failed() ? ", " + Thousands(c.units_failed()) + " failed" : "");
    if (tty_) {
      constexpr int kWidth = 30;
      const int filled = static_cast<int>(frac * kWidth);
      std::string bar(filled, '#');
      bar.append(kWidth - filled, '.');
      std::fprintf(stderr, "\r[%s] %3d%% %s, %s\033[K", bar.c_str(), static_cast<int>(frac * 100),
                   units.c_str(), tail.c_str());
      drawn_ = true;
    } else {
      std::fprintf(stderr, "progress: %3d%% %s, %s\n", static_cast<int>(frac * 100), units.c_str(),
                   tail.c_str());
    }
    std::fflush(stderr);
  }

  void Done() {
    if (tty_ && drawn_) std::fprintf(stderr, "\r\033[K");
  }

 private:
  uint64_t total_;
  bool tty_;
  Clock::time_point t0_, last_;
  bool drawn_ = false;
};

nlohmann::ordered_json CountsJson(const v1::ImportCounts& c) {
  nlohmann::ordered_json j;
  j["bytes"] = c.bytes();
  j["units_read"] = c.units_read();
  j["units_added"] = c.units_added();
  j["units_updated"] = c.units_updated();
  j["units_skipped"] = c.units_skipped();
  j["duplicates"] = c.duplicates();
  j["units_failed"] = c.units_failed();
  j["warnings"] = c.warnings();
  j["units_resumed"] = c.units_resumed();
  return j;
}

// "sha256:" and the SHA-256 of the file in hex (the import's resume key),
// or empty when the file cannot be read.
std::string FileResumeKey(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (ctx == nullptr || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) return "";
  std::string buf(1 << 20, '\0');
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const std::streamsize n = in.gcount();
    if (n <= 0) break;
    if (EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<size_t>(n)) != 1) return "";
  }
  if (in.bad()) return "";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx.get(), digest, &len) != 1) return "";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string key = "sha256:";
  for (unsigned int i = 0; i < len; ++i) {
    key.push_back(kHex[digest[i] >> 4]);
    key.push_back(kHex[digest[i] & 15]);
  }
  return key;
}

const char* FormatName(v1::FileFormat f) {
  switch (f) {
    case v1::FILE_FORMAT_TMX: return "tmx";
    case v1::FILE_FORMAT_XLIFF: return "xliff";
    case v1::FILE_FORMAT_PO: return "po";
    case v1::FILE_FORMAT_CSV: return "csv";
    default: return "";
  }
}

// Waits up to the --timeout for the server; false (and the error printed,
// *exit_code set) when it cannot be reached. Streams then run without a
// deadline of their own (big files take long).
bool WaitForServer(const std::shared_ptr<grpc::Channel>& channel, const GlobalOptions& options,
                   const char* what, int* exit_code) {
  const auto deadline = std::chrono::system_clock::now() +
                        std::chrono::milliseconds(static_cast<int64_t>(options.timeout_seconds * 1000));
  if (channel->WaitForConnected(deadline)) return true;
  *exit_code =
      ReportRpcError(options, what, grpc::Status(grpc::StatusCode::UNAVAILABLE, "failed to connect"));
  return false;
}

}  // namespace

int RunImportCommand(const GlobalOptions& options, const ImportArgs& parsed) {
  // The body returns early on errors; the exit code is where it left it.
  int exit_code_value = kExitOk;
  int* const exit_code = &exit_code_value;
  const ImportArgs* const args = &parsed;
  [&] {
    v1::ImportStart start;
    v1::DuplicatePolicy policy;
    if (!ParsePolicy(args->on_duplicate, &policy)) {
      *exit_code = ReportError("import: --on-duplicate must be skip, overwrite or keep", kExitUsage);
      return;
    }
    if (args->format == "tmx")
      start.set_format(v1::FILE_FORMAT_TMX);
    else if (args->format == "xliff" || args->format == "xlf")
      start.set_format(v1::FILE_FORMAT_XLIFF);
    else if (args->format == "po" || args->format == "pot")
      start.set_format(v1::FILE_FORMAT_PO);
    else if (args->format == "csv" || args->format == "tsv")
      start.set_format(v1::FILE_FORMAT_CSV);
    else if (!args->format.empty()) {
      *exit_code = ReportError("import: --format must be tmx, xliff, po or csv", kExitUsage);
      return;
    }
    std::ifstream file;
    std::istream* in = &std::cin;
    uint64_t total = 0;
    if (args->resume && args->file == "-") {
      *exit_code =
          ReportError("import: --resume needs a file (it is known by its SHA-256), not stdin", kExitUsage);
      return;
    }
    if (args->file != "-") {
      std::error_code ec;
      if (std::filesystem::is_directory(args->file, ec)) {
        *exit_code = ReportError("import: " + args->file + " is a directory", kExitUsage);
        return;
      }
      file.open(args->file, std::ios::binary);
      if (!file) {
        *exit_code = ReportError("import: cannot open " + args->file, kExitUsage);
        return;
      }
      total = std::filesystem::file_size(args->file, ec);
      if (ec) total = 0;
      in = &file;
    }
    start.set_memory(args->memory);
    start.set_file_name(std::filesystem::path(args->file).filename().string());
    start.set_dry_run(args->dry_run);
    start.set_on_duplicate(policy);
    start.mutable_defaults()->set_project(args->project);
    start.mutable_defaults()->set_domain(args->domain);
    start.mutable_defaults()->set_client(args->client);
    start.set_stop_on_error(args->stop_on_error);
    start.set_xliff_only_final(args->only_final);
    start.set_include_fuzzy(args->include_fuzzy);
    start.set_source_lang(args->source_lang);
    start.set_target_lang(args->target_lang);
    start.set_preserve_ids(args->preserve_ids);
    start.set_total_bytes(total);
    start.set_batch_size(args->batch_size);
    if (args->file != "-" && !args->dry_run) {
      // Every import of a file can be resumed: the server keeps, with the
      // units of each batch, how far into the file they reach.
      const std::string key = FileResumeKey(args->file);
      if (key.empty()) {
        *exit_code = ReportError("import: cannot read " + args->file, kExitUsage);
        return;
      }
      start.set_resume_key(key);
      start.set_resume(args->resume);
    } else if (args->resume) {
      start.set_resume_key(FileResumeKey(args->file));  // a dry run of the rest
      start.set_resume(true);
    }

    auto channel = Connect(options);
    if (!WaitForServer(channel, options, "import", exit_code)) return;
    auto stub = v1::ImportExportService::NewStub(channel);
    grpc::ClientContext ctx;
    AddToken(ctx, options);
    // No deadline for the whole import (a big file takes long), but one for
    // quiet: nothing sent or received for --timeout seconds ends it.
    IdleWatchdog watchdog(&ctx, options.timeout_seconds);
    auto stream = stub->Import(&ctx);
    // The file is sent on its own thread while this one reads the answers.
    std::atomic<bool> read_error{false};
    std::thread sender([&] {
      v1::ImportRequest req;
      *req.mutable_start() = start;
      req.mutable_start()->set_request_id(NewRequestId());
      if (!stream->Write(req)) return;
      std::string buf(kChunkBytes, '\0');
      while (*in) {
        in->read(buf.data(), static_cast<std::streamsize>(buf.size()));
        const std::streamsize n = in->gcount();
        if (n <= 0) break;
        req.set_chunk(buf.data(), static_cast<size_t>(n));
        if (!stream->Write(req)) return;  // the server ended the call (its answer says why)
        watchdog.Touch();
      }
      if (in->bad()) {
        read_error = true;
        ctx.TryCancel();
        return;
      }
      stream->WritesDone();
    });
    ProgressView view(total, isatty(STDERR_FILENO) == 1);
    v1::ImportResponse resp;
    v1::ImportReport report;
    bool have_report = false;
    while (stream->Read(&resp)) {
      watchdog.Touch();
      if (resp.has_progress()) {
        if (!args->quiet) view.Update(resp.progress().counts());
      } else if (resp.has_report()) {
        report = resp.report();
        have_report = true;
      }
    }
    sender.join();
    grpc::Status st = stream->Finish();
    if (watchdog.fired()) st = grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "no answer");
    if (!args->quiet) view.Done();
    if (read_error) {
      *exit_code = ReportError("import: error reading " + args->file, kExitFailed);
      return;
    }
    // How to go on after a failure that stored part of the file.
    const std::string resume_hint =
        start.resume_key().empty() || args->dry_run
            ? std::string()
            : " (run the same command with --resume to go on after the units stored)";
    if (!st.ok() && !have_report) {
      *exit_code = ReportRpcError(options, "import", st);
      if (st.error_code() != grpc::StatusCode::NOT_FOUND &&
          st.error_code() != grpc::StatusCode::INVALID_ARGUMENT &&
          st.error_code() != grpc::StatusCode::FAILED_PRECONDITION && !resume_hint.empty()) {
        std::fprintf(stderr, "import: stopped%s\n", resume_hint.c_str());
      }
      return;
    }
    if (!have_report) {
      *exit_code = ReportError("import: the server sent no report", kExitFailed);
      return;
    }
    const v1::ImportCounts& c = report.counts();
    if (!args->report.empty()) {
      nlohmann::ordered_json j;
      j["file"] = args->file;
      j["memory"] = args->memory;
      j["format"] = FormatName(report.format());
      j["dry_run"] = report.dry_run();
      j["counts"] = CountsJson(c);
      j["fatal_error"] = report.fatal_error();
      j["elapsed_ms"] = Millis(report.elapsed());
      j["problems"] = nlohmann::ordered_json::array();
      for (const v1::ImportProblem& p : report.problems()) {
        nlohmann::ordered_json pj;
        pj["severity"] = p.severity();
        pj["line"] = p.line();
        pj["unit_id"] = p.unit_id();
        pj["reason"] = p.reason();
        j["problems"].push_back(std::move(pj));
      }
      j["problems_omitted"] = report.problems_omitted();
      std::ofstream out(args->report, std::ios::binary | std::ios::trunc);
      out << j.dump(2) << "\n";
      if (!out) {
        *exit_code = ReportError("import: cannot write the report to " + args->report, kExitFailed);
        return;
      }
    }
    // The summary: problems first (errors, then a few others), then totals.
    int shown = 0;
    for (const v1::ImportProblem& p : report.problems()) {
      if (p.severity() != "error" || shown >= 20) continue;
      std::printf("  %s: line %lld%s: %s\n", p.severity().c_str(), static_cast<long long>(p.line()),
                  p.unit_id().empty() ? "" : (" (id " + p.unit_id() + ")").c_str(), p.reason().c_str());
      ++shown;
    }
    if (c.units_failed() > static_cast<uint64_t>(shown)) {
      std::printf("  ... %s more failed units%s\n", Thousands(c.units_failed() - shown).c_str(),
                  args->report.empty() ? " (see --report FILE.json)" : "");
    }
    const double secs = Millis(report.elapsed()) / 1000.0;
    const std::string resumed = c.units_resumed() == 0
                                    ? std::string()
                                    : Thousands(c.units_resumed()) + " already imported by an earlier run, ";
    std::printf(
        "%s %s%s into %s: %s units read, %s%s %s, %s updated, %s skipped (%s duplicates), "
        "%s failed, %s warnings; %.1f MB in %.1f s (%s units/s)\n",
        report.dry_run() ? "dry run of" : "imported", args->file.c_str(),
        *FormatName(report.format()) ? (std::string(" (") + FormatName(report.format()) + ")").c_str() : "",
        args->memory.c_str(), Thousands(c.units_read()).c_str(), resumed.c_str(),
        Thousands(c.units_added()).c_str(), report.dry_run() ? "would be added" : "added",
        Thousands(c.units_updated()).c_str(), Thousands(c.units_skipped()).c_str(),
        Thousands(c.duplicates()).c_str(), Thousands(c.units_failed()).c_str(),
        Thousands(c.warnings()).c_str(), c.bytes() / 1e6, secs,
        Thousands(secs > 0 ? static_cast<uint64_t>(c.units_read() / secs) : 0).c_str());
    std::fflush(stdout);
    if (!st.ok()) {  // storing failed: the report counts what was stored before
      *exit_code = ReportRpcError(options, "import", st);
      if (!resume_hint.empty()) std::fprintf(stderr, "import: stopped%s\n", resume_hint.c_str());
      return;
    }
    if (!report.fatal_error().empty()) {
      *exit_code = ReportError("import: " + args->file + ": " + report.fatal_error() +
                                   (report.dry_run() ? "" : " (only whole units before it were stored)"),
                               kExitFailed);
      return;
    }
    *exit_code = c.units_failed() == 0 ? kExitOk : kExitFailed;
  }();
  return exit_code_value;
}

int RunExportCommand(const GlobalOptions& options, const ExportArgs& parsed) {
  // The body returns early on errors; the exit code is where it left it.
  int exit_code_value = kExitOk;
  int* const exit_code = &exit_code_value;
  const ExportArgs* const args = &parsed;
  [&] {
    const bool to_stdout = args->output == "-";
    const std::string tmp = args->output + ".part";
    std::ofstream file;
    if (!to_stdout) {
      file.open(tmp, std::ios::binary | std::ios::trunc);
      if (!file) {
        *exit_code = ReportError("export: cannot write " + tmp, kExitUsage);
        return;
      }
    }
    std::ostream& out = to_stdout ? std::cout : file;
    v1::ExportRequest req;
    req.set_memory(args->memory);
    std::string format = args->format;
    if (format.empty()) {
      const std::string& o = args->output;
      const bool po_name = o.size() > 3 && (o.compare(o.size() - 3, 3, ".po") == 0 ||
                                            (o.size() > 4 && o.compare(o.size() - 4, 4, ".pot") == 0));
      format = po_name ? "po" : "tmx";
    }
    if (format == "po" || format == "pot") {
      req.set_format(v1::FILE_FORMAT_PO);
    } else if (format == "tmx") {
      req.set_format(v1::FILE_FORMAT_TMX);
    } else {
      if (!to_stdout) std::filesystem::remove(tmp);
      *exit_code = ReportError("export: --format must be tmx or po", kExitUsage);
      return;
    }
    req.mutable_filter()->set_project(args->project);
    req.mutable_filter()->set_domain(args->domain);
    req.mutable_filter()->set_client(args->client);
    if (args->changed_after_us != 0) {
      *req.mutable_filter()->mutable_changed_after() =
          google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(args->changed_after_us);
    }
    req.set_min_confidence(args->min_confidence);
    auto channel = Connect(options);
    if (!WaitForServer(channel, options, "export", exit_code)) {
      if (!to_stdout) std::filesystem::remove(tmp);
      return;
    }
    auto stub = v1::ImportExportService::NewStub(channel);
    grpc::ClientContext ctx;
    AddToken(ctx, options);
    IdleWatchdog watchdog(&ctx, options.timeout_seconds);  // ends an export gone quiet
    auto reader = stub->Export(&ctx, req);
    v1::ExportResponse resp;
    uint64_t units = 0, unwritable = 0, damaged = 0;
    while (reader->Read(&resp)) {
      watchdog.Touch();
      out.write(resp.chunk().data(), static_cast<std::streamsize>(resp.chunk().size()));
      units = resp.units();
      unwritable = resp.units_unwritable();
      damaged = resp.units_damaged();
    }
    grpc::Status st = reader->Finish();
    if (watchdog.fired()) st = grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "no answer");
    out.flush();
    if (!st.ok()) {
      if (!to_stdout) std::filesystem::remove(tmp);
      *exit_code = ReportRpcError(options, "export", st);
      return;
    }
    if (!out) {
      *exit_code =
          ReportError("export: cannot write " + (to_stdout ? std::string("stdout") : tmp), kExitFailed);
      return;
    }
    if (!to_stdout) {
      file.close();
      std::error_code ec;
      std::filesystem::rename(tmp, args->output, ec);
      if (ec) {
        *exit_code = ReportError("export: cannot rename " + tmp + ": " + ec.message(), kExitFailed);
        return;
      }
    }
    std::fprintf(stderr, "exported %s units from %s%s%s\n", Thousands(units).c_str(), args->memory.c_str(),
                 to_stdout ? "" : (" to " + args->output).c_str(),
                 unwritable ? (", left out " + Thousands(unwritable) + " units whose text " +
                               (req.format() == v1::FILE_FORMAT_PO ? "a PO file" : "XML") + " cannot hold")
                                  .c_str()
                            : "");
    if (damaged != 0) {
      std::fprintf(stderr,
                   "export: left out %s damaged units (their stored records do not decode; "
                   "run qantara-server --check)\n",
                   Thousands(damaged).c_str());
    }
    *exit_code = kExitOk;
  }();
  return exit_code_value;
}

}  // namespace qantara::cli
