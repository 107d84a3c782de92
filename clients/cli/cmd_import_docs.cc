// `qantara import-docs`: aligns a folder (or list) of Arabic/English document
// pairs into a memory, one AlignService/AlignToMemory call per pair, with
// progress lines, a summary and an optional JSON report.
//
//   qantara import-docs --memory M [options] DIR|FILE...
//
// `qantara align-to-memory`: the same for one pair given explicitly.
//
//   qantara align-to-memory --memory M [options] AR_DOC EN_DOC
//
// (any file names; .html / .htm files are read as HTML).
// Pairing rules: clients/cli/doc_pairs.h. Plain-text files must be UTF-8 (a
// byte order mark is dropped); HTML files (.html, .htm) are reduced to the
// text of their block elements, one paragraph each (clients/cli/html_text.h).
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>

#include "absl/strings/str_cat.h"
#include "clients/cli/args.h"
#include "clients/cli/commands.h"
#include "clients/cli/doc_pairs.h"
#include "clients/cli/html_text.h"
#include "clients/cli/input.h"
#include "clients/cli/policy_text.h"
#include "clients/cli/render_backup.h"
#include "nlohmann/json.hpp"
#include "qantara/v1/align.grpc.pb.h"

namespace qantara::cli {
namespace {

namespace v1 = qantara::v1;
using Clock = std::chrono::steady_clock;

void FillRequest(const StoreOptions& o, v1::AlignToMemoryRequest* req) {
  req->set_memory(o.memory);
  req->set_request_id(NewRequestId());
  if (o.threshold) req->set_min_confidence(*o.threshold);
  req->set_include_many(o.include_many);
  v1::DuplicatePolicy policy = v1::DUPLICATE_POLICY_SKIP_IDENTICAL;
  if (!ParsePolicy(o.on_duplicate, &policy))
    policy = v1::DUPLICATE_POLICY_SKIP_IDENTICAL;  // CLI11 checked it
  req->set_on_duplicate(policy);
  req->mutable_attributes()->set_project(o.project);
  req->mutable_attributes()->set_domain(o.domain);
  req->mutable_attributes()->set_client(o.client);
  req->set_user(o.user);
  req->set_dry_run(o.dry_run);
  req->set_no_memory_lexicon(o.no_memory_lexicon);
  if (o.min_parallel_share) req->set_min_parallel_share(*o.min_parallel_share);
}

// The text of a document file: UTF-8 text (BOM dropped), or HTML's text.
absl::StatusOr<std::string> ReadDocument(const std::string& path, DocFormat format) {
  if (format == DocFormat::kHtml) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path, ": ", std::strerror(errno)));
    std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) return absl::DataLossError(absl::StrCat("error reading ", path));
    absl::StatusOr<std::string> text = HtmlToText(html);
    if (!text.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": ", std::string(text.status().message())));
    }
    return text;
  }
  absl::StatusOr<std::string> text = ReadTextInput(path);
  if (text.ok() && text->compare(0, 3, "\xEF\xBB\xBF") == 0) text->erase(0, 3);
  return text;
}

// "24 beads: 20 stored, 1 below threshold, ..." (zero counts left out).
std::string CountsLine(const v1::AlignToMemoryResponse& r, bool dry_run) {
  std::string s = Thousands(r.summary().beads()) + " beads: " + Thousands(r.stored()) +
                  (dry_run ? " would be stored" : " stored");
  auto part = [&s](uint64_t n, const char* what) {
    if (n > 0) s += ", " + Thousands(n) + " " + what;
  };
  part(r.overwritten(), "overwritten");
  part(r.skipped_duplicates(), "duplicates skipped");
  part(r.below_threshold(), "below threshold");
  part(r.many_not_stored(), "n-m not stored");
  part(r.one_sided(), "one-sided");
  part(r.not_parallel(), "not stored (pair not parallel)");
  return s;
}

// "; parallel share 0.93", and the skip reason when the pair was skipped.
std::string ShareText(const v1::AlignToMemoryResponse& r) {
  char share[64];
  std::snprintf(share, sizeof(share), "; parallel share %.2f", r.parallel_share());
  std::string s = share;
  if (!r.skip_reason().empty()) s += "; SKIPPED, " + r.skip_reason();
  return s;
}

nlohmann::ordered_json CountsJson(const v1::AlignToMemoryResponse& r) {
  nlohmann::ordered_json j;
  j["arabic_sentences"] = r.summary().arabic_sentences();
  j["english_sentences"] = r.summary().english_sentences();
  j["beads"] = r.summary().beads();
  j["stored"] = r.stored();
  j["overwritten"] = r.overwritten();
  j["skipped_duplicates"] = r.skipped_duplicates();
  j["below_threshold"] = r.below_threshold();
  j["many_not_stored"] = r.many_not_stored();
  j["one_sided"] = r.one_sided();
  j["not_parallel"] = r.not_parallel();
  j["parallel_share"] = r.parallel_share();
  j["min_parallel_share"] = r.min_parallel_share();
  j["skipped"] = !r.skip_reason().empty();
  if (!r.skip_reason().empty()) j["skip_reason"] = r.skip_reason();
  j["min_confidence"] = r.min_confidence();
  j["lexicon_entries"] = r.lexicon_entries();
  j["lexicon_trained_units"] = r.lexicon_trained_units();
  j["lexicon_training_in_background"] = r.lexicon_training_in_background();
  j["elapsed_ms"] = Millis(r.elapsed());
  return j;
}

// Codes that concern every pair alike: no point in trying the next one.
bool StopsTheRun(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::NOT_FOUND ||
         code == grpc::StatusCode::FAILED_PRECONDITION || code == grpc::StatusCode::UNIMPLEMENTED ||
         code == grpc::StatusCode::UNAUTHENTICATED || code == grpc::StatusCode::PERMISSION_DENIED;
}

const char* CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::INVALID_ARGUMENT: return "invalid argument";
    case grpc::StatusCode::NOT_FOUND: return "not found";
    case grpc::StatusCode::DEADLINE_EXCEEDED: return "deadline exceeded (raise --timeout)";
    case grpc::StatusCode::UNAVAILABLE: return "server unavailable";
    case grpc::StatusCode::FAILED_PRECONDITION: return "failed precondition";
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return "too large";
    default: return "error";
  }
}

}  // namespace

int RunAlignToMemoryCommand(const GlobalOptions& options, const AlignToMemoryArgs& parsed) {
  // The body returns early on errors; the exit code is where it left it.
  int exit_code_value = kExitOk;
  int* const exit_code = &exit_code_value;
  const AlignToMemoryArgs* const args = &parsed;
  [&] {
    if (args->ar_file == "-" && args->en_file == "-") {
      *exit_code =
          ReportError("align-to-memory: only one of the two documents can be read from stdin", kExitUsage);
      return;
    }
    v1::AlignToMemoryRequest req;
    FillRequest(args->store, &req);
    req.set_document(args->document);
    for (int side = 0; side < 2; ++side) {
      const std::string& file = side == 0 ? args->ar_file : args->en_file;
      absl::StatusOr<std::string> text =
          file == "-" ? ReadTextInput(file) : ReadDocument(file, FormatOfPath(file));
      if (!text.ok()) {
        *exit_code = ReportError(
            "align-to-memory: " + std::string(text.status().message()),
            text.status().code() == absl::StatusCode::kInvalidArgument ? kExitUsage : kExitFailed);
        return;
      }
      if (args->sentences) {
        v1::SentenceList* list = side == 0 ? req.mutable_arabic_sentences() : req.mutable_english_sentences();
        for (std::string& line : SplitLines(*text)) list->add_sentences(std::move(line));
      } else if (side == 0) {
        req.set_arabic_text(*std::move(text));
      } else {
        req.set_english_text(*std::move(text));
      }
    }
    auto stub = v1::AlignService::NewStub(Connect(options));
    grpc::ClientContext ctx;
    Prepare(ctx, options);
    v1::AlignToMemoryResponse resp;
    grpc::Status st = stub->AlignToMemory(&ctx, req, &resp);
    if (!st.ok()) {
      *exit_code = ReportRpcError(options, "align-to-memory", st);
      return;
    }
    if (args->json) {
      std::printf("%s\n", CountsJson(resp).dump(2).c_str());
    } else {
      std::printf("%s %s + %s into %s: %s (threshold %.2f)%s\n", args->store.dry_run ? "dry run:" : "aligned",
                  args->ar_file.c_str(), args->en_file.c_str(), args->store.memory.c_str(),
                  CountsLine(resp, args->store.dry_run).c_str(), resp.min_confidence(),
                  ShareText(resp).c_str());
    }
    *exit_code = std::fflush(stdout) == 0 ? kExitOk : kExitFailed;
  }();
  return exit_code_value;
}

int RunImportDocsCommand(const GlobalOptions& options, const ImportDocsArgs& parsed) {
  // The body returns early on errors; the exit code is where it left it.
  int exit_code_value = kExitOk;
  int* const exit_code = &exit_code_value;
  const ImportDocsArgs* const args = &parsed;
  [&] {
    absl::StatusOr<DocPairing> pairing = CollectDocumentPairs(args->inputs, args->recursive, args->report);
    if (!pairing.ok()) {
      *exit_code = ReportError("import-docs: " + std::string(pairing.status().message()), kExitUsage);
      return;
    }
    for (const UnpairedFile& u : pairing->unpaired) {
      std::fprintf(stderr, "qantara: import-docs: left out %s: %s\n", u.path.c_str(), u.reason.c_str());
    }
    if (pairing->pairs.empty()) {
      *exit_code = ReportError(
          "import-docs: no document pairs found (name them like NAME.ar.txt "
          "and NAME.en.txt; see --help)",
          kExitUsage);
      return;
    }
    auto stub = v1::AlignService::NewStub(Connect(options));
    const size_t total = pairing->pairs.size();
    const Clock::time_point t0 = Clock::now();
    nlohmann::ordered_json report_pairs = nlohmann::ordered_json::array();
    uint64_t failed = 0, aligned = 0, skipped = 0;
    v1::AlignToMemoryResponse sum;  // totals (summary.beads, stored, ...)
    std::string stop_error;
    size_t done = 0;
    for (const DocPair& pair : pairing->pairs) {
      ++done;
      nlohmann::ordered_json pj;
      pj["name"] = pair.name;
      pj["arabic"] = pair.arabic;
      pj["english"] = pair.english;
      const Clock::time_point t = Clock::now();
      std::string error;
      v1::AlignToMemoryResponse resp;
      if (!stop_error.empty()) {
        error = "not tried: " + stop_error;
      } else {
        v1::AlignToMemoryRequest req;
        FillRequest(args->store, &req);
        req.set_document(pair.name);
        absl::StatusOr<std::string> ar = ReadDocument(pair.arabic, pair.arabic_format);
        absl::StatusOr<std::string> en =
            ar.ok() ? ReadDocument(pair.english, pair.english_format) : absl::StatusOr<std::string>("");
        if (!ar.ok() || !en.ok()) {
          error = std::string((ar.ok() ? en : ar).status().message());
        } else {
          req.set_arabic_text(*std::move(ar));
          req.set_english_text(*std::move(en));
          grpc::ClientContext ctx;
          Prepare(ctx, options);
          grpc::Status st = stub->AlignToMemory(&ctx, req, &resp);
          if (!st.ok()) {
            error = std::string(CodeName(st.error_code())) + ": " + st.error_message();
            if (StopsTheRun(st.error_code())) stop_error = error;
          }
        }
      }
      const double secs = std::chrono::duration<double>(Clock::now() - t).count();
      if (error.empty()) {
        ++aligned;
        pj["ok"] = true;
        pj["counts"] = CountsJson(resp);
        sum.mutable_summary()->set_beads(sum.summary().beads() + resp.summary().beads());
        sum.set_stored(sum.stored() + resp.stored());
        sum.set_overwritten(sum.overwritten() + resp.overwritten());
        sum.set_skipped_duplicates(sum.skipped_duplicates() + resp.skipped_duplicates());
        sum.set_below_threshold(sum.below_threshold() + resp.below_threshold());
        sum.set_many_not_stored(sum.many_not_stored() + resp.many_not_stored());
        sum.set_one_sided(sum.one_sided() + resp.one_sided());
        sum.set_not_parallel(sum.not_parallel() + resp.not_parallel());
        sum.set_min_confidence(resp.min_confidence());
        sum.set_min_parallel_share(resp.min_parallel_share());
        if (!resp.skip_reason().empty()) ++skipped;
        if (!args->quiet) {
          std::fprintf(stderr, "[%zu/%zu] %s: %s%s (%.1f s); %s units %s so far\n", done, total,
                       pair.name.c_str(), CountsLine(resp, args->store.dry_run).c_str(),
                       ShareText(resp).c_str(), secs, Thousands(sum.stored()).c_str(),
                       args->store.dry_run ? "would be stored" : "stored");
        }
      } else {
        ++failed;
        pj["ok"] = false;
        pj["error"] = error;
        std::fprintf(stderr, "[%zu/%zu] %s: FAILED: %s\n", done, total, pair.name.c_str(), error.c_str());
      }
      std::fflush(stderr);
      report_pairs.push_back(std::move(pj));
    }
    const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    const std::string skipped_text =
        skipped > 0 ? "; " + Thousands(skipped) + " skipped as not parallel" : std::string();
    std::printf(
        "%s %s pairs into %s: %s aligned, %s failed; %s files left unpaired (%.1f s)%s\n"
        "%s (threshold %.2f, min parallel share %.2f)\n",
        args->store.dry_run ? "dry run of" : "imported", Thousands(total).c_str(), args->store.memory.c_str(),
        Thousands(aligned).c_str(), Thousands(failed).c_str(), Thousands(pairing->unpaired.size()).c_str(),
        secs, skipped_text.c_str(), CountsLine(sum, args->store.dry_run).c_str(), sum.min_confidence(),
        sum.min_parallel_share());
    if (skipped > 0) {
      std::printf("pairs skipped as not parallel (nothing stored):\n");
      for (const auto& pj : report_pairs) {
        if (pj["ok"].get<bool>() && pj["counts"]["skipped"].get<bool>()) {
          std::printf("  %s: %s\n", pj["name"].get<std::string>().c_str(),
                      pj["counts"]["skip_reason"].get<std::string>().c_str());
        }
      }
    }
    if (failed > 0) {
      std::printf("failed pairs:\n");
      for (const auto& pj : report_pairs) {
        if (!pj["ok"].get<bool>()) {
          std::printf("  %s: %s\n", pj["name"].get<std::string>().c_str(),
                      pj["error"].get<std::string>().c_str());
        }
      }
    }
    std::fflush(stdout);
    if (!args->report.empty()) {
      nlohmann::ordered_json j;
      j["memory"] = args->store.memory;
      j["inputs"] = args->inputs;
      j["dry_run"] = args->store.dry_run;
      j["on_duplicate"] = args->store.on_duplicate;
      j["threshold"] = sum.min_confidence();
      j["pairs_total"] = total;
      j["pairs_aligned"] = aligned;
      j["pairs_failed"] = failed;
      j["pairs_skipped_not_parallel"] = skipped;
      nlohmann::ordered_json totals = CountsJson(sum);
      for (const char* k : {"arabic_sentences", "english_sentences", "min_confidence", "lexicon_entries",
                            "lexicon_trained_units", "lexicon_training_in_background", "elapsed_ms",
                            "parallel_share", "min_parallel_share", "skipped"}) {
        totals.erase(k);
      }
      j["totals"] = totals;
      j["elapsed_s"] = secs;
      j["pairs"] = report_pairs;
      j["unpaired"] = nlohmann::ordered_json::array();
      for (const UnpairedFile& u : pairing->unpaired) {
        j["unpaired"].push_back({{"file", u.path}, {"reason", u.reason}});
      }
      std::ofstream out(args->report, std::ios::binary | std::ios::trunc);
      out << j.dump(2) << "\n";
      if (!out) {
        *exit_code = ReportError("import-docs: cannot write the report to " + args->report, kExitFailed);
        return;
      }
    }
    *exit_code = failed == 0 ? kExitOk : kExitFailed;
  }();
  return exit_code_value;
}

}  // namespace qantara::cli
