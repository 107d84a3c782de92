// The CLI11 declarations of every qantara command: argv -> CommandLine.
//
// How `--` works with CLI11 2.1: in a subcommand it makes the rest
// positional as long as a positional still lacks its minimum count; when
// none does, CLI11 hands the rest back to the parent, which rejects it. So
// every positional has a minimum (add takes exactly 2 texts, or none with
// --tsv). And a repeatable option (a vector) would swallow a following `--`
// unless it takes one value per occurrence (allow_extra_args(false)).
#include "clients/cli/args.h"

#include <algorithm>

namespace qantara::cli {
namespace {

void DeclareHealth(CLI::App& app, HealthArgs* a) {
  CLI::App* cmd =
      app.add_subcommand("health",
                         "Ask the server whether it is serving: prints SERVING and exits 0 when it is, then "
                         "`writes: SERVING` or `writes: NOT_SERVING` (a full disk: reads still served)");
  cmd->add_option("--service", a->service,
                  "service name to check, e.g. qantara.v1.writes (default: the whole server)");
}

void DeclareServerInfo(CLI::App& app, ServerInfoArgs* a) {
  CLI::App* cmd = app.add_subcommand(
      "server-info",
      "Print the server's version, storage format, request limits and the gRPC service config its "
      "clients use (each rpc's timeout and whether it is retried)");
  cmd->add_flag("--json", a->json, "print one JSON object, the service config in it as JSON");
}

void DeclareSegment(CLI::App& app, SegmentArgs* a) {
  CLI::App* cmd = app.add_subcommand("segment", "Split a document into sentences, one per line on stdout");
  cmd->add_option("--lang,-l", a->lang, "language of the document: ar or en")->required();
  cmd->add_option("--srx", a->srx, "SRX 2.0 rules file (UTF-8) whose rules for the language apply too");
  cmd->add_option("--srx-mode", a->srx_mode,
                  "extend: the file's rules first, then qantara's; replace: the file's only")
      ->check(CLI::IsMember({"extend", "replace"}))
      ->capture_default_str();
  cmd->add_flag("--keep-empty", a->keep_empty,
                "print an empty line for every blank line of the document (keeps paragraphs)");
  cmd->add_option("file", a->file, "document to split; - or nothing reads stdin");
}

void DeclareNormalize(CLI::App& app, NormalizeArgs* a) {
  CLI::App* cmd = app.add_subcommand(
      "normalize", "Print the normalised matching key of a text (as the server compares it)");
  cmd->add_option("--lang,-l", a->lang, "language of the text: ar or en (optional)");
  cmd->add_flag("--show-rules", a->show_rules,
                "also print the rules applied, as a second line 'rules: a,b,...'");
  cmd->add_flag("--offsets", a->offsets,
                "also print, as a line 'offsets: N N ...', the byte offset in the input of "
                "every key byte, plus the input length");
  AddRuleOptions(cmd, &a->rules);
  cmd->add_option("text", a->text, "the text; - or nothing reads stdin");
}

void DeclareTokenize(CLI::App& app, TokenizeArgs* a) {
  CLI::App* cmd =
      app.add_subcommand("tokenize",
                         "Print the tokens of a text: one a line (TEXT, CLASS, NORM[, STEM][, CLITICS] "
                         "tab-separated) or --json");
  cmd->add_option("--lang,-l", a->lang, "language of the text: ar or en")->required();
  cmd->add_flag("--json", a->json,
                "print one JSON object: language, rules and tokens with class, byte and "
                "code-point offsets, norm, stem, proclitics, base");
  cmd->add_flag("--clitics", a->clitics, "split Arabic proclitics (و ف ب ك ل + ال), conservatively");
  cmd->add_flag("--stem", a->stem, "add each word's Snowball stem");
  AddRuleOptions(cmd, &a->rules);
  cmd->add_option("file", a->file, "text to tokenize; - or nothing reads stdin");
}

void DeclareAlign(CLI::App& app, AlignArgs* a) {
  CLI::App* cmd = app.add_subcommand(
      "align", "Align the sentences of an Arabic document with those of its English counterpart");
  cmd->add_option("arabic", a->ar_file, "Arabic document (file, or - for stdin)")->required();
  cmd->add_option("english", a->en_file, "English document (file, or - for stdin)")->required();
  cmd->add_flag("--sentences", a->sentences, "the files hold one sentence per line (no segmentation)");
  cmd->add_option("--format,-f", a->format, "output: beads, tsv or tmx")
      ->check(CLI::IsMember({"beads", "tsv", "tmx"}))
      ->capture_default_str();
  cmd->add_option("--memory,-m", a->memory,
                  "also use the lexicon this memory learned from its units (stores nothing)");
}

void DeclareMemory(CLI::App& app, MemoryArgs* a) {
  CLI::App* cmd = app.add_subcommand("memory", "Create, list, show and delete translation memories");
  cmd->require_subcommand(1);
  CLI::App* create = cmd->add_subcommand("create", "Create an empty memory");
  create->add_option("name", a->name, "memory name")->required();
  create->add_option("--source", a->source, "source language: ar or en (ar-SA... kept)")->required();
  create->add_option("--target", a->target, "target language: en or ar")->required();
  create->add_option("--description", a->description, "free description");
  CLI::App* list = cmd->add_subcommand("list", "List memories: name, languages, units");
  list->add_flag("--json", a->json, "print JSON");
  CLI::App* show = cmd->add_subcommand("show", "Show one memory");
  show->add_option("name", a->name, "memory name")->required();
  show->add_flag("--json", a->json, "print JSON (name, source_lang, target_lang, units, ...)");
  CLI::App* del = cmd->add_subcommand("delete", "Delete a memory and all its units");
  del->add_option("name", a->name, "memory name")->required();
}

void DeclareAdd(CLI::App& app, AddArgs* a) {
  CLI::App* cmd = app.add_subcommand(
      "add", "Add a unit (SOURCE TARGET), or many from a TSV file (source TAB target a line)");
  cmd->add_option("--memory,-m", a->memory, "memory name")->required();
  cmd->add_option("--tsv", a->tsv, "TSV file of units (source TAB target), - for stdin");
  cmd->add_option("--policy", a->policy,
                  "duplicates: skip (an identical pair, default), overwrite (the target of the "
                  "same source), keep (several translations)")
      ->capture_default_str();
  cmd->add_option("--user", a->user, "user name recorded on the units");
  cmd->add_option("--origin", a->origin, "manual (default for one unit) or import (default for --tsv)");
  // Exactly two (a minimum, so that `--` keeps them positional); none with --tsv.
  cmd->add_option("texts", a->texts, "SOURCE TARGET")->expected(2);
}

void DeclareLookup(CLI::App& app, LookupArgs* a) {
  CLI::App* cmd = app.add_subcommand("lookup", "Fuzzy matches for a segment, best first");
  cmd->add_option("--memory,-m", a->memories, "memory name (repeat for several)")
      ->required()
      ->allow_extra_args(false);
  cmd->add_option("--threshold", a->threshold, "minimum score, 1-100")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 100.0));
  cmd->add_option("--max", a->max, "most matches")->capture_default_str()->check(CLI::Range(1, 1000));
  cmd->add_flag("--reverse", a->reverse, "the text is in the target language (compare with targets)");
  cmd->add_flag("--exhaustive", a->exhaustive, "score every unit instead of using the index");
  cmd->add_flag("--json", a->json, "print JSON");
  cmd->add_option("text", a->text, "the segment; - reads stdin")->required();
}

void DeclareConcordance(CLI::App& app, ConcordanceArgs* a) {
  CLI::App* cmd =
      app.add_subcommand("concordance", "Find a word or phrase in a memory's sources (or targets)");
  cmd->add_option("--memory,-m", a->memory, "memory name")->required();
  cmd->add_flag("--target", a->target, "search the targets");
  cmd->add_flag("--json", a->json, "print JSON");
  cmd->add_option("--page-size", a->page_size, "hits per page")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--page-token", a->page_token, "next_page_token of the previous page");
  cmd->add_option("text", a->text, "word or phrase")->required();
}

void DeclareFragments(CLI::App& app, FragmentsArgs* a) {
  CLI::App* cmd = app.add_subcommand(
      "fragments",
      "The pieces of a segment the memory knows (2+ words in a row), with proposed translations");
  cmd->add_option("--memory,-m", a->memory, "memory name")->required();
  cmd->add_flag("--json", a->json, "print JSON");
  cmd->add_option("--max", a->max, "most fragments")->capture_default_str()->check(CLI::Range(1, 100));
  cmd->add_option("--min-confidence", a->min_confidence, "leave out fragments below this confidence")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("text", a->text, "the segment, in the memory's source language; - reads stdin")->required();
}

void DeclareImport(CLI::App& app, ImportArgs* a) {
  CLI::App* cmd = app.add_subcommand(
      "import", "Import a TMX, XLIFF or CSV/TSV file into a memory (streamed; progress, summary, report)");
  cmd->add_option("--memory,-m", a->memory, "memory name")->required();
  cmd->add_option("file", a->file, "FILE.tmx, FILE.xlf, FILE.po, FILE.csv or FILE.tsv (- for stdin)")
      ->required();
  cmd->add_flag("--dry-run", a->dry_run, "read and check the file and count its units; store nothing");
  cmd->add_option("--on-duplicate", a->on_duplicate,
                  "a unit whose source is in the memory: skip (when the pair is identical, "
                  "default), overwrite (the target), keep (add it too)")
      ->capture_default_str();
  cmd->add_option("--report", a->report, "write the per-unit report as JSON to this file");
  cmd->add_option("--format", a->format,
                  "tmx, xliff, po or csv (csv also for TSV; default: from the file name or content)");
  cmd->add_option("--project", a->project, "project for units whose file gives none");
  cmd->add_option("--domain", a->domain, "domain for units whose file gives none");
  cmd->add_option("--client", a->client, "client for units whose file gives none");
  cmd->add_flag("--stop-on-error", a->stop_on_error, "stop at the first unit that fails");
  cmd->add_flag("--only-final", a->only_final, "XLIFF: only confirmed (final/approved) units");
  cmd->add_flag("--include-fuzzy", a->include_fuzzy, "PO: fuzzy entries too (skipped otherwise)");
  cmd->add_option(
      "--source-lang", a->source_lang,
      "XLIFF, PO, CSV: the language of the file's source side (ar, en, en-US...), whatever the file says");
  cmd->add_option("--target-lang", a->target_lang,
                  "XLIFF, PO, CSV: the language of the file's target side, whatever the file says");
  cmd->add_flag("--preserve-ids", a->preserve_ids,
                "a qantara export into an EMPTY memory: keep each unit's id (x-qantara-id) and add "
                "every unit, giving back the exported memory");
  cmd->add_flag("--resume", a->resume,
                "go on with an import of this file into this memory that stopped (server crash, "
                "disk full, cancelled): the units it stored are skipped, none is stored twice "
                "(files only, not stdin)");
  cmd->add_option("--batch-size", a->batch_size,
                  "units committed together, 1-10000 (default 5000); each batch is atomic")
      ->check(CLI::Range(1, 10000));
  cmd->add_flag("--quiet,-q", a->quiet, "no progress output");
}

void DeclareExport(CLI::App& app, ExportArgs* a) {
  CLI::App* cmd = app.add_subcommand("export", "Export a memory as a TMX 1.4b or gettext PO file");
  cmd->add_option("--memory,-m", a->memory, "memory name")->required();
  cmd->add_option("--output,-o,output", a->output, "output file FILE.tmx or FILE.po (default: stdout)");
  cmd->add_option("--format", a->format, "tmx or po (default: po for a .po/.pot output file, else tmx)");
  cmd->add_option("--project", a->project, "only units of this project");
  cmd->add_option("--domain", a->domain, "only units of this domain");
  cmd->add_option("--client", a->client, "only units of this client");
  cmd->add_option("--changed-after-us", a->changed_after_us,
                  "only units changed at or after this time (microseconds since the epoch)");
  cmd->add_option("--min-confidence", a->min_confidence,
                  "leave out aligned units below this confidence (0..1)")
      ->check(CLI::Range(0.0, 1.0));
}

void DeclareBackup(CLI::App& app, BackupArgs* a) {
  CLI::App* cmd = app.add_subcommand("backup", "Back up the server's data (online), list backups");
  cmd->require_subcommand(1);
  CLI::App* create = cmd->add_subcommand(
      "create", "Back up every memory into DIR (incremental; the server keeps serving and writing)");
  create
      ->add_option("dir", a->dir,
                   "absolute path of the backup directory ON THE SERVER's machine, outside its "
                   "data dir (created if missing)")
      ->required();
  CLI::App* list = cmd->add_subcommand("list", "List the backups in DIR (on the server's machine)");
  list->add_option("dir", a->dir, "absolute path of the backup directory on the server's machine")
      ->required();
  list->add_flag("--json", a->json, "print JSON");
}

void DeclareToken(CLI::App& app, TokenArgs* a) {
  CLI::App* cmd =
      app.add_subcommand("token", "API tokens of a server started with --auth (admin token needed)");
  cmd->require_subcommand(1);
  CLI::App* create =
      cmd->add_subcommand("create", "Make a token and print its secret (shown only this once)");
  create->add_option("name", a->name, "the token's name: who uses it (letters, digits, . _ - @ /)")
      ->required();
  create->add_option("--role", a->role, "reader, translator, manager or admin")
      ->required()
      ->check(CLI::IsMember({"reader", "translator", "manager", "admin"}));
  create->add_option("--memory,-m", a->memories,
                     "a memory it reaches: a name, a prefix ending in * (acme/*), or *; repeat for more "
                     "(not needed for admin)");
  create->add_option("--expires", a->expires_days, "days until it expires (0: never)")
      ->check(CLI::Range(0, 3650));
  create->add_flag("--json", a->json, "print JSON");
  CLI::App* list = cmd->add_subcommand("list", "List the tokens (never their secrets)");
  list->add_flag("--json", a->json, "print JSON");
  CLI::App* revoke = cmd->add_subcommand("revoke", "Revoke a token at once");
  revoke->add_option("name", a->name, "the token's name")->required();
}

void DeclareUnit(CLI::App& app, UnitArgs* a) {
  CLI::App* cmd = app.add_subcommand("unit", "Show or change one unit (with its revision)");
  cmd->require_subcommand(1);
  CLI::App* show = cmd->add_subcommand("show", "Show a unit and its revision");
  show->add_option("memory", a->memory, "memory name")->required();
  show->add_option("unit_id", a->unit_id, "unit id")->required();
  show->add_flag("--json", a->json, "print JSON");
  CLI::App* update = cmd->add_subcommand(
      "update", "Change some fields of a unit; the others stay as stored (another user's edits included)");
  update->add_option("memory", a->memory, "memory name")->required();
  update->add_option("unit_id", a->unit_id, "unit id")->required();
  update->add_option("--revision", a->revision,
                     "the revision you read (unit show): the update fails, writing nothing, if the unit "
                     "has changed since");
  update->add_option("--source", a->source, "new source text");
  update->add_option("--target", a->target, "new target text");
  update->add_option("--project", a->project, "new project");
  update->add_option("--domain", a->domain, "new domain");
  update->add_option("--client", a->client, "new client");
  update->add_option("--attr", a->attrs, "KEY=VALUE free attribute (KEY= removes it); repeatable");
  update->add_flag("--json", a->json, "print the updated unit as JSON");
}

void DeclareAudit(CLI::App& app, AuditArgs* a) {
  CLI::App* cmd = app.add_subcommand(
      "audit",
      "Show the audit trail: writes, deletes, imports, exports, backups, token changes (oldest first)");
  cmd->add_option("--memory,-m", a->memory, "only events of this memory");
  cmd->add_option(
      "--since", a->since,
      "only events from then on: a date (2026-12-01), a UTC time (2026-12-01T09:30:00Z) or a time "
      "back from now (30m, 24h, 7d)");
  cmd->add_option("--limit", a->limit, "show at most this many events")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 40));
  cmd->add_flag("--json", a->json, "print JSON");
}

void DeclareStoreOptions(CLI::App* cmd, StoreOptions* o) {
  cmd->add_option("--memory,-m", o->memory, "memory to store the pairs in")->required();
  cmd->add_option("--threshold,-t", o->threshold,
                  "store pairs whose confidence is at or above this, 0..1 (default: the "
                  "server's auto-accept threshold, 0.9)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_flag("--include-many", o->include_many,
                "also store 2-1, 1-2, 2-2, 1-3 and 3-1 pairs (sentences joined by a space)");
  cmd->add_option("--on-duplicate", o->on_duplicate,
                  "a pair whose source is in the memory: skip (when identical, default), "
                  "overwrite (the target), keep (add it too)")
      ->check(CLI::IsMember({"skip", "overwrite", "keep"}))
      ->capture_default_str();
  cmd->add_option("--project", o->project, "project attribute of the stored units");
  cmd->add_option("--domain", o->domain, "domain attribute of the stored units");
  cmd->add_option("--client", o->client, "client attribute of the stored units");
  cmd->add_option("--user", o->user, "created_by of the stored units");
  cmd->add_flag("--dry-run", o->dry_run, "align and count; store nothing");
  cmd->add_flag("--no-memory-lexicon", o->no_memory_lexicon,
                "do not use the lexicon the memory learned from its units");
  cmd->add_option("--min-parallel-share", o->min_parallel_share,
                  "store nothing from a pair whose share of sentences in confident pairs is below "
                  "this, 0..1: the documents are not translations of each other (default: the "
                  "server's, 0.1; 0: never skip)")
      ->check(CLI::Range(0.0, 1.0));
}

void DeclareAlignToMemory(CLI::App& app, AlignToMemoryArgs* a) {
  CLI::App* cmd = app.add_subcommand(
      "align-to-memory",
      "Align one Arabic document with its English counterpart and store the confident pairs "
      "in a memory");
  DeclareStoreOptions(cmd, &a->store);
  cmd->add_option("arabic", a->ar_file, "Arabic document (file, or - for stdin)")->required();
  cmd->add_option("english", a->en_file, "English document (file, or - for stdin)")->required();
  cmd->add_flag("--sentences", a->sentences, "the files hold one sentence per line (no segmentation)");
  cmd->add_option("--document", a->document,
                  "name of the document pair, stored as the units' \"document\" attribute");
  cmd->add_flag("--json", a->json, "print the counts as JSON");
}

void DeclareImportDocs(CLI::App& app, ImportDocsArgs* a) {
  CLI::App* cmd = app.add_subcommand(
      "import-docs",
      "Align a folder (or list) of Arabic/English document pairs into a memory. Pairs are "
      "found by name: NAME.ar.txt + NAME.en.txt, NAME.ar + NAME.en, NAME_ar.txt + NAME_en.txt, "
      "NAME-ar.html + NAME-en.html (language ar/ara/arb/arabic, en/eng/english; extension "
      "txt/text/html/htm or none; same directory)");
  DeclareStoreOptions(cmd, &a->store);
  cmd->add_option("inputs", a->inputs, "directories and/or document files")->required();
  cmd->add_flag("--recursive,-r", a->recursive, "also look in subdirectories");
  cmd->add_option("--report", a->report,
                  "write a JSON report (per pair: counts or the error; unpaired files)");
  cmd->add_flag("--quiet,-q", a->quiet, "no progress lines");
}

}  // namespace

void DeclareCommandLine(CLI::App& app, CommandLine* line) {
  app.require_subcommand(1);
  app.set_version_flag("--version", "qantara 0.1.0");
  app.add_option("--server", line->global.server,
                 "server HOST:PORT (default: $QANTARA_SERVER, else 127.0.0.1:50051)")
      ->capture_default_str();
  app.add_option("--timeout", line->global.timeout_seconds, "seconds to wait for each call")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  TlsOptions& tls = line->global.tls;
  app.add_flag("--tls", tls.requested,
               "speak TLS to the server, trusting the system's certificate authorities");
  app.add_option("--tls-ca", tls.ca_file,
                 "PEM file of the CA that signed the server's certificate (implies --tls; default: "
                 "$QANTARA_TLS_CA)")
      ->envname("QANTARA_TLS_CA");
  app.add_option("--tls-cert", tls.cert_file,
                 "PEM file of this client's certificate, for servers that require one (mutual TLS; "
                 "implies --tls; default: $QANTARA_TLS_CERT)")
      ->envname("QANTARA_TLS_CERT");
  app.add_option("--tls-key", tls.key_file,
                 "PEM file of the private key of --tls-cert (default: $QANTARA_TLS_KEY)")
      ->envname("QANTARA_TLS_KEY");
  app.add_option("--token", line->global.token,
                 "API token of a server started with --auth (visible to other users in `ps`: prefer "
                 "--token-file or $QANTARA_TOKEN)");
  app.add_option("--token-file", line->global.token_file, "file whose first line is the API token");
  DeclareHealth(app, &line->health);
  DeclareServerInfo(app, &line->server_info);
  DeclareToken(app, &line->token);
  DeclareAudit(app, &line->audit);
  DeclareUnit(app, &line->unit);
  DeclareSegment(app, &line->segment);
  DeclareMemory(app, &line->memory);
  DeclareAdd(app, &line->add);
  DeclareLookup(app, &line->lookup);
  DeclareConcordance(app, &line->concordance);
  DeclareFragments(app, &line->fragments);
  DeclareAlign(app, &line->align);
  DeclareNormalize(app, &line->normalize);
  DeclareTokenize(app, &line->tokenize);
  DeclareImport(app, &line->import);
  DeclareExport(app, &line->export_);
  DeclareImportDocs(app, &line->import_docs);
  DeclareAlignToMemory(app, &line->align_to_memory);
  DeclareBackup(app, &line->backup);
}

std::string ParsedCommandName(const CLI::App& app) {
  std::string name;
  const CLI::App* at = &app;
  while (true) {
    const std::vector<CLI::App*> subs = at->get_subcommands();
    if (subs.empty()) break;
    at = subs.front();
    if (!name.empty()) name += ' ';
    name += at->get_name();
  }
  return name;
}

absl::StatusOr<std::unique_ptr<CommandLine>> ParseCommandLine(const std::vector<std::string>& args) {
  auto line = std::make_unique<CommandLine>();
  CLI::App app{"qantara"};
  DeclareCommandLine(app, line.get());
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 pops from the back
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    return absl::FailedPreconditionError("--help");
  } catch (const CLI::CallForAllHelp&) {
    return absl::FailedPreconditionError("--help-all");
  } catch (const CLI::CallForVersion&) {
    return absl::FailedPreconditionError("--version");
  } catch (const CLI::ParseError& e) {
    return absl::InvalidArgumentError(e.what());
  }
  line->command = ParsedCommandName(app);
  return line;
}

}  // namespace qantara::cli
