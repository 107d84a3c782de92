// Finding Arabic/English document pairs among files by their names (for
// `qantara import-docs`). Plain C++: no gRPC.
//
// A file is one side of a document pair when its name (without directory) is
//
//     NAME SEP LANG [. EXT]      or      LANG [. EXT]
//
// where SEP is one of `.` `_` `-`; LANG is `ar`, `ara`, `arb` or `arabic`
// (Arabic) or `en`, `eng` or `english` (English), in any case; EXT is `txt`
// or `text` (plain UTF-8 text) or `html` or `htm` (HTML), in any case, or
// absent (plain text). So `report.ar.txt`, `report.ar`, `report_ar.txt`,
// `report-AR.html` and `report.english` are recognised; `report.txt`,
// `report.ar.pdf`, `reportar.txt` and `report.ar-SA.txt` are not. Two files
// form a pair when they are in the same directory, have the same NAME (case
// matters) and one is Arabic and the other English; the second form (a file
// named `ar.txt`, `en.txt`...) pairs the two such files of a directory.
// Files whose name starts with `.` are ignored.
#ifndef QANTARA_CLIENTS_CLI_DOC_PAIRS_H_
#define QANTARA_CLIENTS_CLI_DOC_PAIRS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace qantara::cli {

enum class DocFormat { kText, kHtml };

// What a file name says about a document.
struct DocFileName {
  std::string name;  // NAME ("" for the LANG[.EXT] form)
  bool arabic = false;
  DocFormat format = DocFormat::kText;
};

// Parses a file name (no directory part) as above; nullopt when it is not
// one side of a document pair.
std::optional<DocFileName> ParseDocFileName(std::string_view filename);

// The format a file's extension says: kHtml for .html / .htm (any case),
// kText otherwise.
DocFormat FormatOfPath(std::string_view path);

struct DocPair {
  std::string name;     // the pair's display name: directory (relative) + NAME
  std::string arabic;   // path
  std::string english;  // path
  DocFormat arabic_format = DocFormat::kText;
  DocFormat english_format = DocFormat::kText;
};

struct UnpairedFile {
  std::string path;
  std::string reason;
};

struct DocPairing {
  std::vector<DocPair> pairs;          // sorted by name
  std::vector<UnpairedFile> unpaired;  // sorted by path
};

// Pairs `files` (paths of regular files) by name. `base` (may be empty) is
// stripped from the front of pair names. Files that are not a side of a pair,
// or whose NAME has no counterpart or several files of one language, are
// unpaired with a reason.
DocPairing PairDocumentFiles(const std::vector<std::string>& files, const std::string& base = "");

// Collects the files of `inputs` (directories, listed non-recursively unless
// `recursive`, and files given by path), skipping `exclude` (e.g. the report
// file), and pairs them. When a single directory is given, pair names are
// relative to it. InvalidArgument when an input does not exist.
absl::StatusOr<DocPairing> CollectDocumentPairs(const std::vector<std::string>& inputs, bool recursive,
                                                const std::string& exclude = "");

}  // namespace qantara::cli

#endif  // QANTARA_CLIENTS_CLI_DOC_PAIRS_H_
