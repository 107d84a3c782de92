// Push parsers that turn a TMX, XLIFF or CSV/TSV byte stream into
// TranslationUnits (CSV: csv_reader.h says how its errors and limits differ).
//
// A reader is fed the file in chunks of any size, in order (e.g. as they
// arrive over a gRPC stream), and calls its UnitSink for every complete unit
// and every problem, so an importer can commit units in batches while the file
// is still arriving. Memory stays bounded whatever the file size: a reader
// holds at most one unit plus one pending XML token, each capped by the
// limits in ReaderOptions.
//
// Errors. Per-unit problems (a unit with one language, unbalanced inline
// codes, an oversized segment, an untranslated XLIFF unit...) go to
// UnitSink::OnProblem and reading continues. A fatal error (not XML, not
// well-formed, truncated, an unsupported or wrong encoding, a DTD entity
// declaration, an undefined entity, an oversized token, elements nested more
// than 1000 deep, wrong root element)
// is returned by Feed()/Finish() as InvalidArgument whose message starts with
// "line L, column C: "; a unit that was open at that point is never delivered.
// After any non-OK return the reader is spent: further calls return the same
// error.
//
// Security: no DTD is loaded, no external entity is resolved, and any entity
// declaration in a DOCTYPE is an error, so XXE and entity expansion bombs are
// impossible; only the five XML built-in entities and character references
// are expanded.
//
// Encodings: UTF-8 and UTF-16 LE/BE, detected from a byte-order mark or the XML
// declaration (as expat does); also US-ASCII and ISO-8859-1 when declared.
#ifndef QANTARA_SERVICE_FORMATS_UNIT_READER_H_
#define QANTARA_SERVICE_FORMATS_UNIT_READER_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "service/formats/translation_unit.h"
#include "service/text/language.h"

namespace qantara::formats {

struct ReaderOptions {
  // The memory direction: which language becomes TranslationUnit::source.
  // REQUIRES: source_language != target_language.
  text::Language source_language = text::Language::kEnglish;
  text::Language target_language = text::Language::kArabic;
  // Largest segment (its canonical TMX markup, plus about 200 bytes per
  // inline code), note or prop value accepted, in UTF-8 bytes. A unit with a larger one fails (a kError
  // problem naming the limit) and reading goes on without buffering the rest of it.
  size_t max_segment_bytes = 4u << 20;
  // Largest total of everything buffered for one unit (all its segments,
  // props, notes and codes, including languages that are dropped; each
  // prop/note also counts 64 bytes of overhead).
  size_t max_unit_bytes = 16u << 20;
  // Largest single XML token expat must hold in memory (a start tag with its
  // attributes, a comment, a processing instruction...). A larger one is a
  // fatal error.
  size_t max_token_bytes = 4u << 20;
  // XLIFF only: take only confirmed units (1.2: approved="yes" or state
  // final/signed-off; 2.x: state final; Trados ApprovedTranslation or
  // ApprovedSignOff, memoQ reviewed or proofread, Phrase confirmed: the table
  // in xliff_reader.h). Otherwise every unit with a non-empty target whose
  // status is not new/untranslated/draft/unconfirmed/rejected.
  bool xliff_only_final = false;
  // XLIFF: the languages of the file's source and target sides, instead of
  // what the file says (file_languages.h); unset: the file's.
  std::optional<text::Language> file_source_language;
  std::optional<text::Language> file_target_language;
  // PO: take fuzzy entries too (otherwise skipped, needing review).
  bool po_include_fuzzy = false;
  // PO: the largest file accepted (gettext parses a whole file at once).
  size_t max_po_bytes = 64u << 20;
};

namespace internal {
// What a UnitReader forwards to: the push parser of one format (ReaderCore for
// the XML formats).
class Parser {
 public:
  virtual ~Parser() = default;
  virtual absl::Status Feed(std::string_view chunk) = 0;
  virtual absl::Status Finish() = 0;
  virtual const ReadStats& stats() const = 0;
};
}  // namespace internal

// A TmxReader, an XliffReader or a CsvReader.
class UnitReader {
 public:
  virtual ~UnitReader();
  UnitReader(const UnitReader&) = delete;
  UnitReader& operator=(const UnitReader&) = delete;

  // Parses the next chunk of the file. May call the sink any number of times.
  // Returns a fatal error (see the file comment) or the first non-OK status
  // returned by the sink.
  absl::Status Feed(std::string_view chunk);

  // Ends the input: reports a truncated or empty file as a fatal error.
  // REQUIRES: not called twice.
  absl::Status Finish();

  // Totals so far; final after Finish().
  const ReadStats& stats() const;

 protected:
  // REQUIRES: `parser` is not null.
  explicit UnitReader(std::unique_ptr<internal::Parser> parser);
  internal::Parser& parser() const { return *parser_; }

 private:
  std::unique_ptr<internal::Parser> parser_;
};

enum class FileFormat { kTmx, kXliff, kPo, kCsv };

// Guesses the format from a file name ending (.tmx; .xlf, .xliff, .sdlxliff,
// .mqxliff, .mxliff; .po, .pot; .csv, .tsv) or, failing that, from the first
// bytes of the file: the root element name, a PO file's first keyword, or a
// first line that is not XML and names CSV columns or holds a tab
// (csv_reader.h: LooksLikeCsv). Returns
// InvalidArgument when neither tells.
absl::StatusOr<FileFormat> DetectFileFormat(std::string_view file_name, std::string_view first_bytes);

// A reader for `format`. `sink` must outlive the reader.
std::unique_ptr<UnitReader> NewUnitReader(FileFormat format, const ReaderOptions& options, UnitSink* sink);

// Feeds the file at `path` to `reader` in chunks of `chunk_bytes`, then calls
// Finish(). Returns NotFound/Internal for I/O errors, else what the reader
// returns.
absl::Status ReadFileInto(const std::string& path, UnitReader* reader, size_t chunk_bytes = 64 * 1024);

}  // namespace qantara::formats

#endif  // QANTARA_SERVICE_FORMATS_UNIT_READER_H_
