// Helpers of the shared unit model: plain segments without inline codes, content
// comparison of two units, problem severity names and reports, file text as
// messages show it.
#include "service/formats/translation_unit.h"

#include "absl/strings/escaping.h"
#include "service/formats/xml_escape.h"

namespace qantara::formats {

absl::Status MakePlainSegment(text::Language language, std::string_view text, Segment* out) {
  if (absl::Status s = CheckXmlText(text); !s.ok()) return s;
  if (text.find(kOpeningPlaceholderUtf8) != std::string_view::npos ||
      text.find(kClosingPlaceholderUtf8) != std::string_view::npos ||
      text.find(kStandalonePlaceholderUtf8) != std::string_view::npos) {
    return absl::InvalidArgumentError("the text holds a reserved private-use character (U+E001..U+E003)");
  }
  *out = Segment();
  out->language = language;
  out->lang_tag = std::string(text::LanguageCode(language));
  out->text = std::string(text);
  AppendEscapedText(text, &out->markup);
  return absl::OkStatus();
}

bool TranslationUnit::SameContent(const TranslationUnit& o) const {
  return source == o.source && target == o.target && id == o.id && srclang == o.srclang &&
         creation_date == o.creation_date && change_date == o.change_date &&
         last_usage_date == o.last_usage_date && creation_id == o.creation_id && change_id == o.change_id &&
         usage_count == o.usage_count && props == o.props && notes == o.notes;
}

absl::Status ReportProblem(Problem::Severity severity, int64_t line, std::string unit_id, std::string reason,
                           ReadStats* stats, UnitSink* sink) {
  switch (severity) {
    case Problem::Severity::kError: ++stats->units_failed; break;
    case Problem::Severity::kSkipped: ++stats->units_skipped; break;
    case Problem::Severity::kWarning: ++stats->warnings; break;
  }
  Problem p;
  p.severity = severity;
  p.line = line;
  p.unit_id = std::move(unit_id);
  p.reason = std::move(reason);
  return sink->OnProblem(p);
}

std::string_view SeverityName(Problem::Severity severity) {
  switch (severity) {
    case Problem::Severity::kError: return "error";
    case Problem::Severity::kWarning: return "warning";
    case Problem::Severity::kSkipped: return "skipped";
  }
  return "error";
}

std::string ShownInMessage(std::string_view text, size_t max_bytes) {
  std::string out = absl::CHexEscape(std::string(text.substr(0, max_bytes)));
  if (text.size() > max_bytes) out += "...";
  return out;
}

}  // namespace qantara::formats
