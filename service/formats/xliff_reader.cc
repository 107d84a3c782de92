// XliffReader, and how a read unit or 2.x segment becomes a TranslationUnit:
// which are taken (translate, state, final) and which are skipped or fail,
// and the file's languages turned to the memory's direction.
#include "service/formats/xliff_reader.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "service/formats/xliff_flavours.h"
#include "service/formats/xliff_parser.h"

namespace qantara::formats {
namespace xliff_internal {

using text::Language;

void XliffParser::EndUnitOrSegment(std::string id, int64_t line, const UnitStatus& status, bool translate_no,
                                   const std::string& seg_error) {
  CountUnitSeen();
  using S = Problem::Severity;
  if (!unit_error().empty() || !seg_error.empty()) {
    Deliver(S::kError, line, id, unit_error().empty() ? seg_error : unit_error());
    if (version_ == 1) ReaderCore::StartUnit();
    return;
  }
  if (translate_no) return Deliver(S::kSkipped, line, id, "translate=\"no\"");
  if (unit_header_)
    return Deliver(S::kSkipped, line, id, "a PO header (restype=\"x-gettext-domain-header\")");
  if (!has_source_) return Deliver(S::kError, line, id, "no <source>");
  if (!has_target_ || target_.text.empty())
    return Deliver(S::kSkipped, line, id, "not translated (no target)");
  if (source_.text.empty()) return Deliver(S::kSkipped, line, id, "the source is empty");
  const StatusVerdict verdict = JudgeStatus(status);
  if (!verdict.taken) return Deliver(S::kSkipped, line, id, verdict.why);
  if (options().xliff_only_final && !verdict.final) return Deliver(S::kSkipped, line, id, verdict.why);
  // The file's languages (StartFile), or a <target xml:lang> of the unit's
  // own unless --target-lang says what the file's targets are.
  const Language src = file_src_;
  Language tgt = file_tgt_;
  std::string tgt_tag = tgt_lang_.empty() ? std::string(text::LanguageCode(tgt)) : tgt_lang_;
  if (!target_lang_override_.empty() && !options().file_target_language.has_value()) {
    absl::StatusOr<Language> own = text::ParseLanguage(target_lang_override_);
    if (!own.ok() || *own == src) {
      return Deliver(S::kError, line, id,
                     absl::StrCat("<target xml:lang=\"", target_lang_override_.substr(0, 35),
                                  "\"> is not the other language of the memory's ",
                                  std::string(text::LanguageCode(options().source_language)), "/",
                                  std::string(text::LanguageCode(options().target_language)), " pair"));
    }
    tgt = *own;
    tgt_tag = target_lang_override_;
  }
  const bool swap = src == options().target_language;
  TranslationUnit unit;
  unit.id = std::move(id);
  unit.line = line;
  unit.srclang = src_lang_;
  unit.notes = notes_;
  source_.language = src;
  source_.lang_tag = src_lang_.empty() ? std::string(text::LanguageCode(src)) : src_lang_;
  target_.language = tgt;
  target_.lang_tag = std::move(tgt_tag);
  if (swap) {
    unit.source = std::move(target_);
    unit.target = std::move(source_);
  } else {
    unit.source = std::move(source_);
    unit.target = std::move(target_);
  }
  source_ = Segment();
  target_ = Segment();
  DeliverUnit(std::move(unit));
}

}  // namespace xliff_internal

using xliff_internal::XliffParser;

XliffReader::XliffReader(const ReaderOptions& options, UnitSink* sink)
    : UnitReader(std::make_unique<XliffParser>(options, sink)) {}
int XliffReader::major_version() const { return static_cast<const XliffParser&>(parser()).version(); }

}  // namespace qantara::formats
