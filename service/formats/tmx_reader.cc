// The TMX element handlers: <header>, <tu>, <tuv>, <prop>, <note> and <seg>
// read into TranslationUnits of the memory's language pair, problems reported
// per unit.
#include "service/formats/tmx_reader.h"

#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "service/formats/reader_core.h"
#include "service/formats/segment_builder.h"
#include "service/formats/tmx_date.h"

namespace qantara::formats {
namespace {

using internal::Attr;
using internal::AttrOr;
using internal::FindAttr;
using text::Language;

enum class Ctx {
  kTmx,
  kHeader,
  kBody,
  kTu,
  kTuv,
  kSeg,
  kInline,
  kProp,
  kNote,
  kSkip,
};

constexpr size_t kMaxLanguagesListed = 8;
constexpr size_t kMaxWarnings = 8;
constexpr size_t kEntryOverhead = 64;  // bytes charged per prop/note besides its text
constexpr std::string_view kUnitName = "<tu>";

// TmxReader's parser: the TMX element handlers.
class TmxParser final : public internal::ReaderCore {
 public:
  TmxParser(const ReaderOptions& options, UnitSink* sink) : ReaderCore(options, sink, /*namespaces=*/false) {
    header_ = TmxHeader{};
    header_.creation_tool.clear();
    header_.creation_tool_version.clear();
    header_.segtype.clear();
    header_.o_tmf.clear();
    header_.adminlang.clear();
    header_.srclang.clear();
    header_.datatype.clear();
  }

  absl::Status Finish() override {
    return FinishStream(in_tu_ && stream().root_seen() ? kUnitName : "", unit_.line);
  }
  void StartElement(const char* name, const char** attrs) override;
  void EndElement(const char* name) override;
  void Text(std::string_view text) override;

  bool has_header() const { return has_header_; }
  const TmxHeader& header() const { return header_; }

 private:
  Ctx top() const { return stack_.back(); }
  void StartTu(const char** attrs);
  void EndTu();
  void StartTuv(const char** attrs);
  void EndTuv();
  void Warn(std::string reason) {
    if (warnings_.size() < kMaxWarnings) warnings_.push_back(std::move(reason));
  }
  // Reports a problem of the current <tu>.
  void Deliver(Problem::Severity severity, std::string reason) {
    ReaderCore::Deliver(severity, unit_.line, unit_.id, std::move(reason));
  }
  std::optional<int64_t> Date(const char** attrs, const char* name);

  TmxHeader header_;
  bool has_header_ = false;
  std::vector<Ctx> stack_;

  // The <tu> being read.
  bool in_tu_ = false;
  TranslationUnit unit_;
  std::vector<std::string> warnings_;
  std::string languages_;  // languages seen, for error messages
  size_t languages_listed_ = 0;
  bool have_source_ = false;
  bool have_target_ = false;
  // The <tuv> being read.
  Segment* tuv_ = nullptr;  // &unit_.source / &unit_.target, or null when dropped
  bool tuv_is_source_ = false;
  bool tuv_has_seg_ = false;
  internal::SegmentBuilder builder_;
  std::vector<Attr> attr_buf_;
  // The <prop>/<note> being read (its text is value()).
  std::string prop_type_;
};

}  // namespace

std::optional<int64_t> TmxParser::Date(const char** attrs, const char* name) {
  const char* v = FindAttr(attrs, name);
  if (v == nullptr) return std::nullopt;
  absl::StatusOr<int64_t> d = ParseTmxDate(v);
  if (!d.ok()) {
    Warn(absl::StrCat(name, ": ", std::string(d.status().message()), "; dropped"));
    return std::nullopt;
  }
  return *d;
}

void TmxParser::StartElement(const char* name, const char** attrs) {
  if (stack_.empty()) {
    if (std::strcmp(name, "tmx") != 0) {
      stream().Abort(absl::StrCat("the root element is <", name, ">, expected <tmx> (not a TMX file)"));
      return;
    }
    stack_.push_back(Ctx::kTmx);
    return;
  }
  const Ctx ctx = top();
  switch (ctx) {
    case Ctx::kSeg:
    case Ctx::kInline:
      if (tuv_ != nullptr) {
        attr_buf_.clear();
        for (const char** a = attrs; *a != nullptr; a += 2) attr_buf_.emplace_back(a[0], a[1]);
        builder_.StartTmxElement(name, attr_buf_);
      }
      stack_.push_back(Ctx::kInline);
      return;
    case Ctx::kTmx:
      if (std::strcmp(name, "header") == 0) {
        header_.creation_tool = AttrOr(attrs, "creationtool");
        header_.creation_tool_version = AttrOr(attrs, "creationtoolversion");
        header_.segtype = AttrOr(attrs, "segtype");
        header_.o_tmf = AttrOr(attrs, "o-tmf");
        header_.adminlang = AttrOr(attrs, "adminlang");
        header_.srclang = AttrOr(attrs, "srclang");
        header_.datatype = AttrOr(attrs, "datatype");
        header_.creation_id = AttrOr(attrs, "creationid");
        header_.change_id = AttrOr(attrs, "changeid");
        if (const char* v = FindAttr(attrs, "creationdate")) {
          if (auto d = ParseTmxDate(v); d.ok()) header_.creation_date = *d;
        }
        if (const char* v = FindAttr(attrs, "changedate")) {
          if (auto d = ParseTmxDate(v); d.ok()) header_.change_date = *d;
        }
        StartUnit();  // header props and notes count against max_unit_bytes
        stack_.push_back(Ctx::kHeader);
      } else if (std::strcmp(name, "body") == 0) {
        stack_.push_back(Ctx::kBody);
      } else {
        stack_.push_back(Ctx::kSkip);
      }
      return;
    case Ctx::kBody:
      if (std::strcmp(name, "tu") == 0) {
        StartTu(attrs);
        stack_.push_back(Ctx::kTu);
      } else {
        stack_.push_back(Ctx::kSkip);
      }
      return;
    case Ctx::kHeader:
    case Ctx::kTu:
    case Ctx::kTuv:
      if (std::strcmp(name, "prop") == 0 || std::strcmp(name, "note") == 0) {
        StartValue();
        prop_type_ = name[0] == 'p' ? AttrOr(attrs, "type") : std::string();
        stack_.push_back(name[0] == 'p' ? Ctx::kProp : Ctx::kNote);
        return;
      }
      if (ctx == Ctx::kTu && std::strcmp(name, "tuv") == 0) {
        StartTuv(attrs);
        stack_.push_back(Ctx::kTuv);
        return;
      }
      if (ctx == Ctx::kTuv && std::strcmp(name, "seg") == 0) {
        if (tuv_has_seg_) UnitError("a <tuv> holds more than one <seg>");
        tuv_has_seg_ = true;
        if (tuv_ != nullptr) builder_.Reset(options().max_segment_bytes);
        stack_.push_back(Ctx::kSeg);
        return;
      }
      stack_.push_back(Ctx::kSkip);
      return;
    default: stack_.push_back(Ctx::kSkip); return;
  }
}

void TmxParser::Text(std::string_view text) {
  if (stack_.empty()) return;
  switch (top()) {
    case Ctx::kSeg:
    case Ctx::kInline:
      if (tuv_ != nullptr) {
        builder_.Text(text);
      } else if (in_tu_) {
        Charge(text.size());  // a dropped language still counts towards the unit limit
      }
      return;
    case Ctx::kProp:
    case Ctx::kNote:
      if (!AppendValue(text)) {
        if (in_tu_) {
          UnitError(absl::StrCat("a <prop> or <note> is longer than ", options().max_segment_bytes,
                                 " bytes (max_segment_bytes)"));
        } else {
          stream().Abort(absl::StrCat("a header <prop> or <note> is longer than ",
                                      options().max_segment_bytes, " bytes (max_segment_bytes)"));
        }
      }
      return;
    default: return;
  }
}

void TmxParser::EndElement(const char* name) {
  if (stack_.empty()) return;
  const Ctx ctx = top();
  stack_.pop_back();
  switch (ctx) {
    case Ctx::kInline:
      if (tuv_ != nullptr) builder_.EndTmxElement();
      return;
    case Ctx::kSeg:
      if (tuv_ != nullptr) {
        if (!builder_.Finish(tuv_)) {
          UnitError(builder_.error());
        } else if (!Charge(tuv_->markup.size() + tuv_->text.size())) {
          tuv_->markup.clear();
          tuv_->text.clear();
        }
      }
      return;
    case Ctx::kProp:
    case Ctx::kNote: {
      if (value_overflow()) return;
      std::string& text = value();
      const Ctx parent = top();
      if (parent == Ctx::kHeader) {
        if (!Charge(text.size() + prop_type_.size() + kEntryOverhead)) {
          stream().Abort(absl::StrCat("the <header> is larger than ", options().max_unit_bytes,
                                      " bytes (max_unit_bytes)"));
          return;
        }
        if (ctx == Ctx::kProp)
          header_.props.push_back(Property{prop_type_, std::move(text)});
        else
          header_.notes.push_back(std::move(text));
      } else if (parent == Ctx::kTu || (parent == Ctx::kTuv && tuv_ != nullptr)) {
        if (!Charge(text.size() + prop_type_.size() + kEntryOverhead)) return;
        std::vector<Property>& props = parent == Ctx::kTu ? unit_.props : tuv_->props;
        std::vector<std::string>& notes = parent == Ctx::kTu ? unit_.notes : tuv_->notes;
        if (ctx == Ctx::kProp)
          props.push_back(Property{prop_type_, std::move(text)});
        else
          notes.push_back(std::move(text));
      }
      text.clear();
      return;
    }
    case Ctx::kHeader: has_header_ = true; return;
    case Ctx::kTuv: EndTuv(); return;
    case Ctx::kTu: EndTu(); return;
    default: return;
  }
}

void TmxParser::StartTu(const char** attrs) {
  in_tu_ = true;
  StartUnit();
  warnings_.clear();
  unit_ = TranslationUnit();
  unit_.line = stream().line();
  unit_.id = AttrOr(attrs, "tuid");
  const char* srclang = FindAttr(attrs, "srclang");
  unit_.srclang = srclang != nullptr ? std::string(srclang) : header_.srclang;
  unit_.creation_id = AttrOr(attrs, "creationid");
  unit_.change_id = AttrOr(attrs, "changeid");
  unit_.creation_date = Date(attrs, "creationdate");
  unit_.change_date = Date(attrs, "changedate");
  unit_.last_usage_date = Date(attrs, "lastusagedate");
  if (const char* v = FindAttr(attrs, "usagecount")) {
    int64_t n;
    if (absl::SimpleAtoi(v, &n) && n >= 0) {
      unit_.usage_count = n;
    } else {
      Warn(absl::StrCat("usagecount: '", std::string(v).substr(0, 40), "' is not a count; dropped"));
    }
  }
  languages_.clear();
  languages_listed_ = 0;
  have_source_ = have_target_ = false;
  tuv_ = nullptr;
}

void TmxParser::StartTuv(const char** attrs) {
  tuv_ = nullptr;
  tuv_has_seg_ = false;
  const char* lang = FindAttr(attrs, "xml:lang");
  if (lang == nullptr) lang = FindAttr(attrs, "lang");
  if (lang == nullptr || *lang == '\0') {
    UnitError("a <tuv> has no xml:lang (or lang) attribute");
    return;
  }
  if (languages_listed_ < kMaxLanguagesListed) {
    if (!languages_.empty()) languages_.append(", ");
    languages_.append(std::string(lang).substr(0, 35));
    ++languages_listed_;
  }
  absl::StatusOr<Language> parsed = text::ParseLanguage(lang);
  if (!parsed.ok()) return;  // another language: dropped
  if (*parsed == options().source_language && !have_source_) {
    tuv_ = &unit_.source;
    tuv_is_source_ = true;
  } else if (*parsed == options().target_language && !have_target_) {
    tuv_ = &unit_.target;
    tuv_is_source_ = false;
  } else {
    return;  // a second variant of a language already read: dropped
  }
  tuv_->language = *parsed;
  tuv_->lang_tag = lang;
}

void TmxParser::EndTuv() {
  if (tuv_ != nullptr) {
    if (!tuv_has_seg_) UnitError(absl::StrCat("the <tuv xml:lang=\"", tuv_->lang_tag, "\"> has no <seg>"));
    (tuv_is_source_ ? have_source_ : have_target_) = true;
  }
  tuv_ = nullptr;
}

void TmxParser::EndTu() {
  in_tu_ = false;
  CountUnitSeen();
  const std::string_view src = text::LanguageCode(options().source_language);
  const std::string_view tgt = text::LanguageCode(options().target_language);
  if (unit_error().empty() && !(have_source_ && have_target_)) {
    if (languages_listed_ == 0) {
      UnitError("the unit has no <tuv>");
    } else {
      UnitError(absl::StrCat("the unit has no ", std::string(have_source_ ? tgt : src),
                             " variant (languages: ", languages_, ")"));
    }
  }
  if (!unit_error().empty()) {
    Deliver(Problem::Severity::kError, unit_error());
    return;
  }
  if (unit_.source.text.empty() || unit_.target.text.empty()) {
    Deliver(Problem::Severity::kSkipped,
            absl::StrCat("the ", std::string(unit_.source.text.empty() ? src : tgt), " segment is empty"));
    return;
  }
  for (std::string& w : warnings_) {
    Deliver(Problem::Severity::kWarning, std::move(w));
    if (stream().aborted()) return;
  }
  DeliverUnit(std::move(unit_));
}

TmxReader::TmxReader(const ReaderOptions& options, UnitSink* sink)
    : UnitReader(std::make_unique<TmxParser>(options, sink)) {}
bool TmxReader::has_header() const { return static_cast<const TmxParser&>(parser()).has_header(); }
const TmxHeader& TmxReader::header() const { return static_cast<const TmxParser&>(parser()).header(); }

}  // namespace qantara::formats
