// qantara-server --check [--repair]: the data dir checked (and repaired)
// instead of served.
#include "service/server/check.h"

#include <cstdio>
#include <memory>

#include "absl/strings/str_cat.h"
#include "service/match/analyzer.h"
#include "service/tm/unit_keys.h"
#include "storage/check.h"
#include "storage/store.h"

namespace qantara::server {
namespace {

void Print(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

int Error(const std::string& message) {
  std::fprintf(stderr, "qantara-server --check: %s\n", message.c_str());
  return kCheckFailed;
}

}  // namespace

void AddCheckFlags(CLI::App& app, CheckFlags* flags) {
  CLI::Option* check =
      app.add_flag(
             "--check", flags->check,
             "check the --data-dir instead of serving it (SST checksums, units, unit keys, index entries, "
             "memory records), print a report and exit: 0 clean, 3 problems found, 1 the check could not run")
          ->excludes("--restore-from");
  app.add_flag("--repair", flags->repair,
               "with --check: rebuild what is damaged from the units (index entries, unit keys, counts; "
               "units that do not decode are deleted), then check again: exit 0 when clean after it")
      ->needs(check);
}

int RunCheck(const CheckFlags& flags, const std::string& data_dir) {
  absl::StatusOr<std::unique_ptr<storage::Store>> store =
      storage::Store::Open(data_dir, storage::StoreOptions{.create_if_missing = false});
  if (!store.ok()) return Error(std::string(store.status().message()));
  storage::CheckOptions options;
  options.repair = flags.repair;
  std::unique_ptr<match::Analyzer> analyzer;
  if (flags.repair) {
    absl::StatusOr<std::unique_ptr<match::Analyzer>> made = match::CreateTextAnalyzer();
    if (!made.ok()) return Error(std::string(made.status().message()));
    analyzer = *std::move(made);
    options.rekey = tm::UnitRekeyer(*analyzer);
  }
  Print(absl::StrCat(flags.repair ? "checking and repairing " : "checking ", data_dir, "\n"));
  absl::StatusOr<storage::CheckReport> report = storage::CheckStore(**store, options);
  if (!report.ok()) return Error(std::string(report.status().message()));
  Print(report->ToText());
  bool clean = report->clean();
  if (flags.repair) {
    Print("checking again after the repair\n");
    absl::StatusOr<storage::CheckReport> again = storage::CheckStore(**store);
    if (!again.ok()) return Error(std::string(again.status().message()));
    Print(again->ToText());
    clean = again->clean();
  }
  if (absl::Status closed = (*store)->Close(); !closed.ok()) {
    // With damage found, RocksDB may refuse to write (a background
    // compaction that met a corrupt file): the problems are the result.
    const int code = Error(absl::StrCat("closing the data dir: ", closed.message()));
    if (clean) return code;
  }
  Print(clean ? "clean\n" : "PROBLEMS FOUND\n");
  return clean ? kCheckClean : kCheckProblems;
}

}  // namespace qantara::server
