#include "service/formats/xliff_reader.h"

#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "service/formats/reader_core.h"
#include "service/formats/segment_builder.h"
#include "service/formats/xml_escape.h"

namespace qantara::formats {
namespace {

using internal::Attr;
using internal::AttrOr;
using internal::FindAttr;
using text::Language;

constexpr std::string_view kXmlLang = "http://www.w3.org/XML/1998/namespace|lang";

std::string_view Local(const char* name) {
  const char* bar = std::strrchr(name, '|');
  return bar != nullptr ? std::string_view(bar + 1) : std::string_view(name);
}

bool InXliffNamespace(const char* name) {
  const char* bar = std::strrchr(name, '|');
  if (bar == nullptr) return true;
  return std::string_view(name, static_cast<size_t>(bar - name))
             .rfind("urn:oasis:names:tc:xliff:document:", 0) == 0;
}

// The XLIFF element as it was written, e.g. <g id="1" ctype="bold"> (or with
// "/>" when `empty`): the native code of a mapped inline element.
std::string NativeTag(std::string_view local, const char** attrs, bool empty) {
  std::string out = "<";
  out.append(local);
  for (const char** a = attrs; *a != nullptr; a += 2) {
    out.push_back(' ');
    std::string_view n = a[0];
    if (n == kXmlLang) n = "xml:lang";
    else if (size_t bar = n.rfind('|'); bar != std::string_view::npos) n = n.substr(bar + 1);
    out.append(n);
    out.append("=\"");
    AppendEscapedAttribute(a[1], &out);
    out.push_back('"');
  }
  out.append(empty ? "/>" : ">");
  return out;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

enum class Ctx {
  kContainer,  // xliff, file, body, group: may hold units
  kSkip,       // ignored with everything inside
  kUnit,       // 1.2 trans-unit, 2.x unit
  kSegment,    // 2.x segment
  kNotes,      // 2.x notes
  kNote,
  kOrigData,   // 2.x originalData
  kData,       // 2.x data
  kSeg,        // source or target
  kCode,       // an inline element mapped onto a builder code (ends with EndCode)
  kPaired,     // g / pc: content is segment text; ends by emitting an ept
  kTransparent,  // mrk: content is segment text
  kEmpty,      // handled at start (x, bx, ex, ph/sc/ec in 2.x, cp, sm, em)
};

constexpr size_t kEntryOverhead = 64;  // bytes charged per note/data besides its text

struct Node {
  Node(Ctx c, int i = 0, std::string close = {}) : ctx(c), pair_i(i), close_native(std::move(close)) {}
  Ctx ctx;
  int pair_i;                // kPaired: i of the bpt to close
  std::string close_native;  // kPaired: native code of the closing tag
};

// XliffReader's parser: the XLIFF 1.2 and 2.x element handlers.
class XliffParser final : public internal::ReaderCore {
 public:
  XliffParser(const ReaderOptions& options, UnitSink* sink)
      : ReaderCore(options, sink, /*namespaces=*/true) {}

  absl::Status Finish() override { return FinishStream(in_unit_ ? "unit" : "", unit_line_); }
  void StartElement(const char* name, const char** attrs) override;
  void EndElement(const char* name) override;
  void Text(std::string_view text) override;

  int version() const { return version_; }

 private:
  void StartInline(const char* name, std::string_view local, const char** attrs);
  void StartUnit(const char** attrs);
  void StartSide(bool target, const char** attrs);
  void EndSide();
  void EndUnitOrSegment(std::string id, int64_t line, const std::string& state, bool approved,
                        bool translate_no);
  // i for a bx/ex or sc/ec key in the current segment; 0 when unknown and !create.
  int PairNumber(const std::string& key, bool create) {
    for (const auto& [k, n] : pair_keys_) {
      if (k == key) return n;
    }
    if (!create) return 0;
    pair_keys_.emplace_back(key, ++pair_counter_);
    return pair_counter_;
  }
  std::string DataRef(const char** attrs, std::string_view attr) {
    const char* ref = FindAttr(attrs, attr);
    if (ref == nullptr) return std::string();
    for (const auto& [k, v] : data_) {
      if (k == ref) return v;
    }
    return std::string();
  }
  void Code(InlineCode::Element e, std::vector<Attr> attrs, const std::string& native) {
    builder_.StartCode(e, attrs);
    builder_.Text(native);
    builder_.EndCode();
  }

  int version_ = 0;
  std::vector<Node> stack_;

  // Languages of the current <file> (1.2) or document (2.x).
  std::string src_lang_;
  std::string tgt_lang_;
  std::string file_original_;

  // The unit being read.
  bool in_unit_ = false;
  int64_t unit_line_ = 0;
  std::string unit_id_;
  std::string unit_state_;    // 1.2: <target state>
  bool unit_approved_ = false;
  bool unit_translate_no_ = false;
  std::vector<std::string> notes_;
  std::vector<std::pair<std::string, std::string>> data_;  // 2.x originalData
  UnitState unit_level_;  // 2.x: the unit's state before its current segment
  // The 2.x segment being read.
  std::string seg_id_;
  std::string seg_state_;
  int64_t seg_line_ = 0;
  // Both sides of the current unit / segment.
  Segment source_;
  Segment target_;
  bool has_source_ = false;
  bool has_target_ = false;
  std::string target_lang_override_;
  // The side being read.
  bool side_is_target_ = false;
  internal::SegmentBuilder builder_;
  int pair_counter_ = 0;
  std::vector<std::pair<std::string, int>> pair_keys_;
  std::string data_id_;  // the <data> being read (its text is value())
};

}  // namespace

void XliffParser::StartElement(const char* name, const char** attrs) {
  const std::string_view local = Local(name);
  if (stack_.empty()) {
    if (local != "xliff") {
      stream().Abort(absl::StrCat("the root element is <", std::string(local),
                                 ">, expected <xliff> (not an XLIFF file)"));
      return;
    }
    const std::string version = AttrOr(attrs, "version");
    if (version.rfind("1.", 0) == 0) {
      version_ = 1;
    } else if (version.rfind("2.", 0) == 0) {
      version_ = 2;
      src_lang_ = AttrOr(attrs, "srcLang");
      tgt_lang_ = AttrOr(attrs, "trgLang");
    } else {
      stream().Abort(absl::StrCat("unsupported XLIFF version '", version.substr(0, 20),
                                 "' (1.x and 2.x are read)"));
      return;
    }
    stack_.push_back({Ctx::kContainer});
    return;
  }
  const Ctx ctx = stack_.back().ctx;
  switch (ctx) {
    case Ctx::kSeg:
    case Ctx::kCode:
    case Ctx::kPaired:
    case Ctx::kTransparent:
      StartInline(name, local, attrs);
      return;
    case Ctx::kContainer:
      if (!InXliffNamespace(name)) break;
      if (local == "file") {
        if (version_ == 1) {
          src_lang_ = AttrOr(attrs, "source-language");
          tgt_lang_ = AttrOr(attrs, "target-language");
          file_original_ = AttrOr(attrs, "original");
        }
        stack_.push_back({Ctx::kContainer});
        return;
      }
      if (local == "body" || local == "group") {
        stack_.push_back({Ctx::kContainer});
        return;
      }
      if ((version_ == 1 && local == "trans-unit") || (version_ == 2 && local == "unit")) {
        StartUnit(attrs);
        stack_.push_back({Ctx::kUnit});
        return;
      }
      break;
    case Ctx::kUnit:
      if (!InXliffNamespace(name)) break;
      if (version_ == 1) {
        if (local == "source" || local == "target") {
          StartSide(local == "target", attrs);
          stack_.push_back({Ctx::kSeg});
          return;
        }
        if (local == "note") {
          StartValue();
          stack_.push_back({Ctx::kNote});
          return;
        }
      } else {
        if (local == "notes") {
          stack_.push_back({Ctx::kNotes});
          return;
        }
        if (local == "originalData") {
          stack_.push_back({Ctx::kOrigData});
          return;
        }
        if (local == "segment") {
          seg_id_ = AttrOr(attrs, "id");
          seg_state_ = AttrOr(attrs, "state");
          seg_line_ = stream().line();
          unit_level_ = unit_state();
          source_ = Segment();
          target_ = Segment();
          has_source_ = has_target_ = false;
          target_lang_override_.clear();
          stack_.push_back({Ctx::kSegment});
          return;
        }
      }
      break;
    case Ctx::kSegment:
      if (InXliffNamespace(name) && (local == "source" || local == "target")) {
        StartSide(local == "target", attrs);
        stack_.push_back({Ctx::kSeg});
        return;
      }
      break;
    case Ctx::kNotes:
      if (InXliffNamespace(name) && local == "note") {
        StartValue();
        stack_.push_back({Ctx::kNote});
        return;
      }
      break;
    case Ctx::kOrigData:
      if (InXliffNamespace(name) && local == "data") {
        StartValue();
        data_id_ = AttrOr(attrs, "id");
        stack_.push_back({Ctx::kData});
        return;
      }
      break;
    case Ctx::kData:
      if (local == "cp") {
        const char* hex = FindAttr(attrs, "hex");
        uint32_t cp = 0;
        if (hex != nullptr && absl::SimpleHexAtoi(hex, &cp) && cp <= 0x10FFFF) AppendUtf8(cp, &value());
        stack_.push_back({Ctx::kEmpty});
        return;
      }
      break;
    default:
      break;
  }
  stack_.push_back({Ctx::kSkip});
}

void XliffParser::StartUnit(const char** attrs) {
  in_unit_ = true;
  unit_line_ = stream().line();
  unit_id_ = AttrOr(attrs, "id");
  unit_approved_ = version_ == 1 && AttrOr(attrs, "approved") == "yes";
  unit_translate_no_ = AttrOr(attrs, "translate") == "no";
  unit_state_.clear();
  notes_.clear();
  data_.clear();
  ReaderCore::StartUnit();
  source_ = Segment();
  target_ = Segment();
  has_source_ = has_target_ = false;
  target_lang_override_.clear();
}

void XliffParser::StartSide(bool target, const char** attrs) {
  side_is_target_ = target;
  if ((target && has_target_) || (!target && has_source_)) {
    UnitError(absl::StrCat("more than one <", target ? "target" : "source", ">"));
  }
  if (target) {
    if (version_ == 1) unit_state_ = AttrOr(attrs, "state");
    if (const char* lang = FindAttr(attrs, kXmlLang)) target_lang_override_ = lang;
  }
  builder_.Reset(options().max_segment_bytes);
  pair_counter_ = 0;
  pair_keys_.clear();
}

void XliffParser::EndSide() {
  Segment& seg = side_is_target_ ? target_ : source_;
  if (!builder_.Finish(&seg)) {
    UnitError(absl::StrCat(side_is_target_ ? "target: " : "source: ", builder_.error()));
  } else {
    Charge(seg.markup.size() + seg.text.size());
  }
  (side_is_target_ ? has_target_ : has_source_) = true;
}

void XliffParser::StartInline(const char* name, std::string_view local, const char** attrs) {
  using E = InlineCode::Element;
  const bool in_code = stack_.back().ctx == Ctx::kCode;
  if (in_code) {
    if (local == "sub") {
      builder_.StartTmxElement("sub", {});
      stack_.push_back({Ctx::kCode});
    } else {
      builder_.Fail(absl::StrCat("<", std::string(local), "> is not allowed inside an inline code"));
      stack_.push_back({Ctx::kSkip});
    }
    return;
  }
  const std::string id = AttrOr(attrs, "id");
  std::vector<Attr> x_attr;
  if (AllDigits(id)) x_attr.emplace_back("x", id);
  auto with_x = [&](std::vector<Attr> a) {
    a.insert(a.end(), x_attr.begin(), x_attr.end());
    return a;
  };
  if (!InXliffNamespace(name)) {
    builder_.Fail(absl::StrCat("unexpected element <", std::string(local), "> in a segment"));
    stack_.push_back({Ctx::kSkip});
    return;
  }
  if (local == "mrk") {
    stack_.push_back({Ctx::kTransparent});
    return;
  }
  if (version_ == 1) {
    if (local == "g") {
      const int i = ++pair_counter_;
      const std::string is = std::to_string(i);
      Code(E::kBpt, with_x({{"i", is}}), NativeTag("g", attrs, false));
      stack_.push_back({Ctx::kPaired, i, "</g>"});
      return;
    }
    if (local == "x") {
      Code(E::kPh, x_attr, NativeTag("x", attrs, true));
      stack_.push_back({Ctx::kEmpty});
      return;
    }
    if (local == "bx" || local == "ex") {
      const char* rid = FindAttr(attrs, "rid");
      const std::string key = rid != nullptr ? rid : id;
      const bool open = local == "bx";
      const int i = PairNumber(key, open);
      if (i == 0) {
        builder_.Fail(absl::StrCat("unbalanced inline codes: <ex rid=\"", key, "\"> without <bx>"));
      } else {
        const std::string is = std::to_string(i);
        Code(open ? E::kBpt : E::kEpt, {{"i", is}}, NativeTag(local, attrs, true));
      }
      stack_.push_back({Ctx::kEmpty});
      return;
    }
    if (local == "bpt" || local == "ept") {
      const char* rid = FindAttr(attrs, "rid");
      const std::string key = rid != nullptr ? rid : id;
      const bool open = local == "bpt";
      const int i = PairNumber(key, open);
      if (i == 0) {
        builder_.Fail(absl::StrCat("unbalanced inline codes: <ept id=\"", key, "\"> without <bpt>"));
        stack_.push_back({Ctx::kSkip});
        return;
      }
      const std::string is = std::to_string(i);
      builder_.StartCode(open ? E::kBpt : E::kEpt, {{"i", is}});
      stack_.push_back({Ctx::kCode});
      return;
    }
    if (local == "ph") {
      builder_.StartCode(E::kPh, x_attr);
      stack_.push_back({Ctx::kCode});
      return;
    }
    if (local == "it") {
      const std::string pos = AttrOr(attrs, "pos");
      builder_.StartCode(E::kIt, with_x({{"pos", pos == "open" ? "begin" : pos == "close" ? "end" : pos}}));
      stack_.push_back({Ctx::kCode});
      return;
    }
  } else {
    if (local == "pc") {
      const int i = ++pair_counter_;
      const std::string is = std::to_string(i);
      std::string open = DataRef(attrs, "dataRefStart");
      if (open.empty()) open = NativeTag("pc", attrs, false);
      std::string close = DataRef(attrs, "dataRefEnd");
      if (close.empty()) close = "</pc>";
      Code(E::kBpt, with_x({{"i", is}}), open);
      stack_.push_back({Ctx::kPaired, i, std::move(close)});
      return;
    }
    if (local == "ph" || local == "sc" || local == "ec") {
      std::string native = DataRef(attrs, "dataRef");
      if (native.empty()) native = NativeTag(local, attrs, true);
      const bool isolated = AttrOr(attrs, "isolated") == "yes";
      if (local == "ph") {
        Code(E::kPh, x_attr, native);
      } else if (isolated) {
        Code(E::kIt, with_x({{"pos", local == "sc" ? "begin" : "end"}}), native);
      } else if (local == "sc") {
        const std::string is = std::to_string(PairNumber(id, true));
        Code(E::kBpt, with_x({{"i", is}}), native);
      } else {
        const std::string key = AttrOr(attrs, "startRef");
        const int i = PairNumber(key, false);
        if (i == 0) {
          builder_.Fail(absl::StrCat("unbalanced inline codes: <ec startRef=\"", key,
                                     "\"> without <sc id=\"", key, "\">"));
        } else {
          const std::string is = std::to_string(i);
          Code(E::kEpt, {{"i", is}}, native);
        }
      }
      stack_.push_back({Ctx::kEmpty});
      return;
    }
    if (local == "sm" || local == "em") {
      stack_.push_back({Ctx::kEmpty});
      return;
    }
    if (local == "cp") {
      const char* hex = FindAttr(attrs, "hex");
      uint32_t cp = 0;
      std::string ch;
      if (hex != nullptr && absl::SimpleHexAtoi(hex, &cp) && cp <= 0x10FFFF) AppendUtf8(cp, &ch);
      if (ch.empty() || !CheckXmlText(ch).ok()) {
        builder_.Fail(absl::StrCat("<cp hex=\"", hex == nullptr ? "" : hex,
                                   "\"> is a character TMX cannot hold"));
      } else {
        builder_.Text(ch);
      }
      stack_.push_back({Ctx::kEmpty});
      return;
    }
  }
  builder_.Fail(absl::StrCat("unexpected element <", std::string(local), "> in a segment"));
  stack_.push_back({Ctx::kSkip});
}

void XliffParser::Text(std::string_view text) {
  if (stack_.empty()) return;
  switch (stack_.back().ctx) {
    case Ctx::kSeg:
    case Ctx::kCode:
    case Ctx::kPaired:
    case Ctx::kTransparent:
      builder_.Text(text);
      return;
    case Ctx::kNote:
    case Ctx::kData:
      if (!AppendValue(text)) {
        UnitError(absl::StrCat("a <note> or <data> is longer than ", options().max_segment_bytes,
                               " bytes (max_segment_bytes)"));
      }
      return;
    default:
      return;
  }
}

void XliffParser::EndElement(const char* name) {
  if (stack_.empty()) return;
  Node node = std::move(stack_.back());
  stack_.pop_back();
  switch (node.ctx) {
    case Ctx::kCode:
      builder_.EndCode();
      return;
    case Ctx::kPaired: {
      const std::string is = std::to_string(node.pair_i);
      Code(InlineCode::Element::kEpt, {{"i", is}}, node.close_native);
      return;
    }
    case Ctx::kSeg:
      EndSide();
      return;
    case Ctx::kNote:
      if (!value_overflow() && in_unit_ && Charge(value().size() + kEntryOverhead)) {
        notes_.push_back(std::move(value()));
      }
      return;
    case Ctx::kData:
      if (!value_overflow() && Charge(value().size() + data_id_.size() + kEntryOverhead)) {
        data_.emplace_back(std::move(data_id_), std::move(value()));
      }
      return;
    case Ctx::kSegment: {
      std::string id = seg_id_.empty() ? unit_id_ : absl::StrCat(unit_id_, "/", seg_id_);
      EndUnitOrSegment(std::move(id), seg_line_, seg_state_, false, unit_translate_no_);
      set_unit_state(unit_level_);
      return;
    }
    case Ctx::kUnit:
      if (version_ == 1) {
        EndUnitOrSegment(unit_id_, unit_line_, unit_state_, unit_approved_, unit_translate_no_);
      }
      in_unit_ = false;
      return;
    default:
      return;
  }
}

void XliffParser::EndUnitOrSegment(std::string id, int64_t line, const std::string& state,
                                         bool approved, bool translate_no) {
  CountUnitSeen();
  using S = Problem::Severity;
  if (!unit_error().empty()) {
    Deliver(S::kError, line, id, unit_error());
    if (version_ == 1) ReaderCore::StartUnit();
    return;
  }
  if (translate_no) return Deliver(S::kSkipped, line, id, "translate=\"no\"");
  if (!has_source_) return Deliver(S::kError, line, id, "no <source>");
  if (!has_target_ || target_.text.empty()) return Deliver(S::kSkipped, line, id, "not translated (no target)");
  if (source_.text.empty()) return Deliver(S::kSkipped, line, id, "the source is empty");
  if (state == "new" || state == "needs-translation" || state == "initial") {
    return Deliver(S::kSkipped, line, id, absl::StrCat("not translated (state=\"", state, "\")"));
  }
  if (options().xliff_only_final) {
    const bool final = version_ == 1 ? (approved || state == "final" || state == "signed-off")
                                     : state == "final";
    if (!final) {
      return Deliver(S::kSkipped, line, id,
                     absl::StrCat("not confirmed (state=\"", state.empty() ? "none" : state, "\"",
                                  version_ == 1 ? ", not approved" : "", ")"));
    }
  }
  const std::string& tgt_tag = target_lang_override_.empty() ? tgt_lang_ : target_lang_override_;
  absl::StatusOr<Language> src = text::ParseLanguage(src_lang_);
  absl::StatusOr<Language> tgt = text::ParseLanguage(tgt_tag);
  bool swap;
  if (src.ok() && tgt.ok() && *src == options().source_language && *tgt == options().target_language) {
    swap = false;
  } else if (src.ok() && tgt.ok() && *src == options().target_language &&
             *tgt == options().source_language) {
    swap = true;
  } else {
    return Deliver(S::kError, line, id,
                   absl::StrCat("file languages '", src_lang_.substr(0, 35), "' -> '",
                                tgt_tag.substr(0, 35), "' are not the ",
                                std::string(text::LanguageCode(options().source_language)), "/",
                                std::string(text::LanguageCode(options().target_language)),
                                " pair"));
  }
  TranslationUnit unit;
  unit.id = std::move(id);
  unit.line = line;
  unit.srclang = src_lang_;
  unit.notes = notes_;
  source_.language = *src;
  source_.lang_tag = src_lang_;
  target_.language = *tgt;
  target_.lang_tag = tgt_tag;
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

XliffReader::XliffReader(const ReaderOptions& options, UnitSink* sink)
    : UnitReader(std::make_unique<XliffParser>(options, sink)) {}
int XliffReader::major_version() const { return static_cast<const XliffParser&>(parser()).version(); }

}  // namespace qantara::formats
