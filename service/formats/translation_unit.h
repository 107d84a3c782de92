// The unit model shared by every reader and writer in qantara_formats.
//
// A TranslationUnit is one source/target segment pair in the caller's memory
// direction (ar->en or en->ar), with the metadata TMX carries. Each Segment
// keeps two views of its content:
//   - `markup`: the segment as TMX 1.4b <seg> content (escaped text plus the
//     inline elements bpt/ept/it/ph/hi/ut/sub with their native code), in a
//     canonical form: TmxWriter writes it verbatim and TmxReader reads it back
//     byte for byte. Store this for a lossless export.
//   - `text`: the plain text for matching: the characters of the segment with
//     every inline code replaced by one placeholder code point (see below);
//     the native code itself never appears in `text`.
#ifndef QANTARA_SERVICE_FORMATS_TRANSLATION_UNIT_H_
#define QANTARA_SERVICE_FORMATS_TRANSLATION_UNIT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "service/text/language.h"

namespace qantara::formats {

// Placeholders in Segment::text, one code point (private use area, 3 bytes in
// UTF-8) per inline code, by role. Matching compares code sequences through
// these, never native code. A segment whose own text contains one of these
// code points is rejected by the readers.
inline constexpr char32_t kOpeningPlaceholder = 0xE001;     // bpt, it pos=begin, <hi>
inline constexpr char32_t kClosingPlaceholder = 0xE002;     // ept, it pos=end, </hi>
inline constexpr char32_t kStandalonePlaceholder = 0xE003;  // ph, ut
inline constexpr std::string_view kOpeningPlaceholderUtf8 = "\xEE\x80\x81";
inline constexpr std::string_view kClosingPlaceholderUtf8 = "\xEE\x80\x82";
inline constexpr std::string_view kStandalonePlaceholderUtf8 = "\xEE\x80\x83";

// One inline code of a segment, in TMX terms.
struct InlineCode {
  enum class Element { kBpt, kEpt, kIt, kPh, kHi, kUt };
  enum class Role { kOpening, kClosing, kStandalone };

  Element element = Element::kPh;
  Role role = Role::kStandalone;
  std::string i;     // bpt/ept pairing id ("" when absent)
  std::string x;     // cross-language link id ("" when absent)
  std::string type;  // e.g. "bold" ("" when absent)
  std::string pos;   // it only: "begin" or "end"
  // The native code with XML escapes decoded, e.g. "<b>"; the text of <sub>
  // elements inside the code is left out. Empty for <hi>.
  std::string native;
  // Byte offset of this code's placeholder in Segment::text.
  size_t text_offset = 0;

  bool operator==(const InlineCode&) const = default;
};

// A TMX <prop type="...">value</prop>.
struct Property {
  std::string type;
  std::string value;
  bool operator==(const Property&) const = default;
};

// One language side of a unit.
struct Segment {
  text::Language language = text::Language::kEnglish;
  std::string lang_tag;            // the tag as written in the file, e.g. "AR-SA"
  std::string markup;              // canonical TMX <seg> content (see the file comment)
  std::string text;                // plain text with placeholders (see the file comment)
  std::vector<InlineCode> codes;   // in document order
  std::vector<Property> props;     // <tuv>-level <prop>
  std::vector<std::string> notes;  // <tuv>-level <note>

  bool has_codes() const { return !codes.empty(); }
  bool operator==(const Segment&) const = default;
};

// Builds a Segment holding plain text without inline codes: `markup` is the
// escaped text. Returns InvalidArgument when `text` is not valid UTF-8, holds a
// character XML 1.0 forbids, or holds a placeholder code point.
absl::Status MakePlainSegment(text::Language language, std::string_view text, Segment* out);

struct TranslationUnit {
  Segment source;       // in the caller's source language
  Segment target;       // in the caller's target language
  std::string id;       // TMX tuid; XLIFF trans-unit id, or "unit/segment" for 2.x
  std::string srclang;  // the file's source language for this unit, as written
  // TMX basic ISO dates, as seconds since the Unix epoch (UTC).
  std::optional<int64_t> creation_date;
  std::optional<int64_t> change_date;
  std::optional<int64_t> last_usage_date;
  std::string creation_id;  // user who created the unit
  std::string change_id;    // user who last changed it
  std::optional<int64_t> usage_count;
  std::vector<Property> props;     // <tu>-level <prop>, in order
  std::vector<std::string> notes;  // <tu>-level <note>, in order
  int64_t line = 0;                // line of the unit's start tag in the file (1-based)

  // Equality ignores `line`.
  bool SameContent(const TranslationUnit& other) const;
};

// Something a reader could not take, or took with a loss.
struct Problem {
  enum class Severity {
    kError,    // the unit was not delivered
    kWarning,  // the unit was delivered; something in it was dropped
    kSkipped,  // the unit was left out on purpose (e.g. untranslated XLIFF)
  };
  Severity severity = Severity::kError;
  int64_t line = 0;     // line of the unit's start tag (1-based)
  std::string unit_id;  // tuid / XLIFF id when the unit has one
  std::string reason;   // one readable sentence
};

std::string_view SeverityName(Problem::Severity severity);

// Receives what a reader finds, in document order. A non-OK status returned
// by a callback stops the reader: Feed()/Finish() return that status.
class UnitSink {
 public:
  virtual ~UnitSink() = default;
  // A complete, valid unit. Called only after the unit's end tag was read.
  virtual absl::Status OnUnit(TranslationUnit&& unit) = 0;
  // A unit that failed, was skipped, or was delivered with a warning (the
  // warning comes before the OnUnit call for that unit).
  virtual absl::Status OnProblem(const Problem& problem) = 0;
};

// Running totals of one read.
struct ReadStats {
  uint64_t bytes = 0;          // input bytes fed so far
  uint64_t units_seen = 0;     // unit elements whose end was reached
  uint64_t units_read = 0;     // delivered through OnUnit
  uint64_t units_failed = 0;   // kError problems
  uint64_t units_skipped = 0;  // kSkipped problems
  uint64_t warnings = 0;       // kWarning problems
};

// What every reader does with a problem: counts it in `stats`
// (units_failed, units_skipped or warnings, by severity) and hands it to
// `sink`. Returns what the sink returns.
absl::Status ReportProblem(Problem::Severity severity, int64_t line, std::string unit_id, std::string reason,
                           ReadStats* stats, UnitSink* sink);

// Text from a file (a name, tag, id or charset) as a message shows it: its
// first `max_bytes` bytes, C-escaped (control bytes and invalid UTF-8 cannot
// reach a log or a terminal), "..." when cut.
std::string ShownInMessage(std::string_view text, size_t max_bytes = 35);

}  // namespace qantara::formats

#endif  // QANTARA_SERVICE_FORMATS_TRANSLATION_UNIT_H_
