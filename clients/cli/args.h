// The parsed command line of the qantara CLI: one argument struct per
// command (what the user asked for, nothing run yet) and the parser that
// fills them from argv. Parsing needs no server, so it is unit-tested on its
// own (tests/clients/cli/args_test.cc).
//
// `--` ends the options of every command: what follows is positional even
// when it starts with `-` (e.g. `qantara lookup -m M -- -text`).
#ifndef QANTARA_CLIENTS_CLI_ARGS_H_
#define QANTARA_CLIENTS_CLI_ARGS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "clients/cli/client.h"
#include "clients/cli/rule_options.h"

namespace qantara::cli {

struct HealthArgs {
  std::string service;
};

struct ServerInfoArgs {
  bool json = false;
};

struct SegmentArgs {
  std::string lang, file, srx, srx_mode = "extend";
  bool keep_empty = false;
};

struct NormalizeArgs {
  std::string lang, text;
  RuleArgs rules;
  bool show_rules = false, offsets = false;
};

struct TokenizeArgs {
  std::string lang, file;
  bool json = false, clitics = false, stem = false;
  RuleArgs rules;
};

struct AlignArgs {
  std::string ar_file, en_file, format = "beads", memory;
  bool sentences = false;
};

struct MemoryArgs {  // memory create|list|show|delete
  std::string name, source, target, description;
  bool json = false;
};

struct AddArgs {
  std::string memory, tsv, policy = "skip", user, origin;
  std::vector<std::string> texts;  // SOURCE TARGET, or none with --tsv
};

struct LookupArgs {
  std::vector<std::string> memories;
  double threshold = 70;
  uint32_t max = 5;
  bool reverse = false, exhaustive = false, json = false;
  std::string text;
};

struct ConcordanceArgs {
  std::string memory, text;
  bool target = false, json = false;
  uint32_t page_size = 20;
  std::string page_token;
};

struct FragmentsArgs {
  std::string memory, text;
  bool json = false;
  uint32_t max = 20;
  double min_confidence = 0.6;
};

struct ImportArgs {
  std::string memory, file, on_duplicate = "skip", report, format, project, domain, client;
  std::string source_lang, target_lang;  // XLIFF: the file's languages, instead of what it says
  bool dry_run = false, stop_on_error = false, only_final = false, quiet = false;
  bool include_fuzzy = false;
  bool preserve_ids = false;
  bool resume = false;      // skip what an earlier import of the same file stored
  uint32_t batch_size = 0;  // units a committed batch; 0: the server's default
};

struct ExportArgs {
  std::string memory, output = "-", project, domain, client;
  std::string format;  // tmx or po; "": from the output's ending (.po/.pot), else tmx
  int64_t changed_after_us = 0;
  double min_confidence = 0;
};

struct BackupArgs {   // backup create|list
  std::string dir;    // a directory on the server's machine
  bool json = false;  // backup list: print JSON
};

struct TokenArgs {                    // token create|list|revoke
  std::string name;                   // create, revoke
  std::string role;                   // create: reader, translator, manager, admin
  std::vector<std::string> memories;  // create: memory name patterns
  uint32_t expires_days = 0;          // create: 0 never
  bool json = false;                  // create, list: print JSON
};

struct UnitArgs {  // unit show|update
  std::string memory;
  uint64_t unit_id = 0;
  uint64_t revision = 0;  // update: the revision the change was made from (0: unchecked)
  std::optional<std::string> source, target, project, domain, client;  // update: fields to change
  std::vector<std::string> attrs;                                      // update: KEY=VALUE (KEY=: remove)
  bool json = false;
};

struct AuditArgs {
  std::string memory;     // only this memory's events
  std::string since;      // a date, a UTC time or 30m/24h/7d back
  uint64_t limit = 1000;  // events shown at most
  bool json = false;
};

// Options shared by import-docs and align-to-memory.
struct StoreOptions {
  std::string memory;
  std::optional<double> threshold;
  bool include_many = false;
  std::string on_duplicate = "skip";
  std::string project, domain, client, user;
  bool dry_run = false;
  bool no_memory_lexicon = false;
  std::optional<double> min_parallel_share;  // unset: the server's default
};

struct AlignToMemoryArgs {
  StoreOptions store;
  std::string ar_file, en_file, document;
  bool sentences = false, json = false;
};

struct ImportDocsArgs {
  StoreOptions store;
  std::vector<std::string> inputs;
  std::string report;
  bool recursive = false, quiet = false;
};

// Everything the command line said. `command` names the command that was
// given ("lookup", "memory show", ...); only its struct is meaningful.
// Not copyable: the parser holds pointers into it.
struct CommandLine {
  CommandLine() = default;
  CommandLine(const CommandLine&) = delete;
  CommandLine& operator=(const CommandLine&) = delete;

  GlobalOptions global{DefaultServer(), 30, "", ""};
  std::string command;
  HealthArgs health;
  ServerInfoArgs server_info;
  SegmentArgs segment;
  NormalizeArgs normalize;
  TokenizeArgs tokenize;
  AlignArgs align;
  MemoryArgs memory;
  AddArgs add;
  LookupArgs lookup;
  ConcordanceArgs concordance;
  FragmentsArgs fragments;
  ImportArgs import;
  ExportArgs export_;
  AlignToMemoryArgs align_to_memory;
  ImportDocsArgs import_docs;
  BackupArgs backup;
  TokenArgs token;
  AuditArgs audit;
  UnitArgs unit;
};

// Declares the global options and every command on `app`, storing into
// `*line`. REQUIRES: `line` outlives the parse.
void DeclareCommandLine(CLI::App& app, CommandLine* line);

// The name of the command `app` parsed ("memory show" for a nested one), or
// "" when none was.
std::string ParsedCommandName(const CLI::App& app);

// argv (without the program name) -> the command line. A parse error is
// InvalidArgument with CLI11's message (exit code 2); --help and --version
// are FailedPrecondition (they print, not run).
absl::StatusOr<std::unique_ptr<CommandLine>> ParseCommandLine(const std::vector<std::string>& args);

}  // namespace qantara::cli

#endif  // QANTARA_CLIENTS_CLI_ARGS_H_
