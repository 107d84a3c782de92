// The XLIFF element tree of 1.2 and 2.x: the root (version, 2.x languages),
// containers, units, segments, their sources and targets, notes and 2.x
// originalData, and where text goes; inline elements go to StartInline.
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "service/formats/xliff_parser.h"
#include "service/text/utf8.h"

namespace qantara::formats::xliff_internal {
namespace {

constexpr size_t kEntryOverhead = 64;  // bytes charged per note/data besides its text

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
      if (!StartFile()) return;
    } else {
      stream().Abort(
          absl::StrCat("unsupported XLIFF version '", version.substr(0, 20), "' (1.x and 2.x are read)"));
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
    case Ctx::kSegMrk: StartInline(name, local, attrs); return;
    case Ctx::kContainer: {
      if (!InXliffNamespace(name)) break;
      // translate="no" of a file, group (or unit) holds for what is inside.
      const std::string translate = AttrOr(attrs, "translate");
      const bool no_translate = translate == "no" || (translate != "yes" && stack_.back().no_translate);
      if (local == "file") {
        if (version_ == 1) {
          src_lang_ = AttrOr(attrs, "source-language");
          tgt_lang_ = AttrOr(attrs, "target-language");
          file_original_ = AttrOr(attrs, "original");
          if (!StartFile()) return;
        }
        stack_.push_back({Ctx::kContainer});
        stack_.back().no_translate = no_translate;
        return;
      }
      if (local == "body" || local == "group") {
        stack_.push_back({Ctx::kContainer});
        stack_.back().no_translate = no_translate;
        return;
      }
      if ((version_ == 1 && local == "trans-unit") || (version_ == 2 && local == "unit")) {
        StartUnit(attrs);
        unit_translate_no_ = no_translate;
        stack_.push_back({Ctx::kUnit});
        return;
      }
      break;
    }
    case Ctx::kUnit:
      if (version_ == 1 && std::string_view(name) == kSdlSegDefs) {
        stack_.push_back({Ctx::kSdlSegDefs});
        return;
      }
      if (!InXliffNamespace(name)) break;
      if (version_ == 1) {
        if (local == "source" || local == "target" || local == "seg-source") {
          side_is_seg_source_ = local == "seg-source";
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
    case Ctx::kSdlSegDefs:
      if (std::string_view(name) == kSdlSeg) {
        std::string id = AttrOr(attrs, "id");
        if (Charge(id.size() + kEntryOverhead))
          sdl_confs_.emplace_back(std::move(id), AttrOr(attrs, "conf").substr(0, 100));
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
        if (hex != nullptr && absl::SimpleHexAtoi(hex, &cp) && cp <= 0x10FFFF) text::AppendUtf8(cp, &value());
        stack_.push_back({Ctx::kEmpty});
        return;
      }
      break;
    default: break;
  }
  stack_.push_back({Ctx::kSkip});
}

bool XliffParser::StartFile() {
  absl::StatusOr<FileLanguages> langs = ResolveFileLanguages(src_lang_, tgt_lang_, options());
  if (!langs.ok()) {
    stream().Abort(std::string(langs.status().message()));
    return false;
  }
  file_src_ = langs->source;
  file_tgt_ = langs->target;
  if (!langs->inferred.empty()) {
    Deliver(Problem::Severity::kWarning, stream().line(), "",
            file_original_.empty()
                ? langs->inferred
                : absl::StrCat("<file original=\"", file_original_.substr(0, 100), "\">: ", langs->inferred));
  }
  return true;
}

void XliffParser::StartUnit(const char** attrs) {
  in_unit_ = true;
  unit_line_ = stream().line();
  unit_id_ = AttrOr(attrs, "id");
  unit_header_ = version_ == 1 && AttrOr(attrs, "restype") == "x-gettext-domain-header";
  unit_approved_ = version_ == 1 && AttrOr(attrs, "approved") == "yes";
  unit_state_.clear();
  mq_status_.reset();
  m_confirmed_.reset();
  if (version_ == 1) {
    if (const char* v = FindAttr(attrs, kMemoqStatus)) mq_status_ = std::string(v).substr(0, 100);
    if (const char* v = FindAttr(attrs, kPhraseConfirmed)) m_confirmed_ = std::string(v).substr(0, 100);
  }
  sdl_confs_.clear();
  seg_sources_.clear();
  seg_targets_.clear();
  target_has_mrks_ = false;
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
  if (side_is_seg_source_ ? !seg_sources_.empty() : (target && has_target_) || (!target && has_source_)) {
    UnitError(absl::StrCat("more than one <",
                           side_is_seg_source_ ? "seg-source"
                           : target            ? "target"
                                               : "source",
                           ">"));
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
  // A segmented side: its segments were taken at each <mrk mtype="seg">;
  // what lies between them (spaces, codes around segments) is left out.
  if (side_is_seg_source_) return;
  if (side_is_target_ && target_has_mrks_) {
    has_target_ = true;
    return;
  }
  Segment& seg = side_is_target_ ? target_ : source_;
  if (!builder_.Finish(&seg)) {
    UnitError(absl::StrCat(side_is_target_ ? "target: " : "source: ", builder_.error()));
  } else {
    Charge(seg.markup.size() + seg.text.size());
  }
  (side_is_target_ ? has_target_ : has_source_) = true;
}

void XliffParser::Text(std::string_view text) {
  if (stack_.empty()) return;
  switch (stack_.back().ctx) {
    case Ctx::kSeg:
    case Ctx::kCode:
    case Ctx::kPaired:
    case Ctx::kTransparent:
    case Ctx::kSegMrk: builder_.Text(text); return;
    case Ctx::kNote:
    case Ctx::kData:
      if (!AppendValue(text)) {
        UnitError(absl::StrCat("a <note> or <data> is longer than ", options().max_segment_bytes,
                               " bytes (max_segment_bytes)"));
      }
      return;
    default: return;
  }
}

void XliffParser::EndElement(const char* name) {
  if (stack_.empty()) return;
  Node node = std::move(stack_.back());
  stack_.pop_back();
  switch (node.ctx) {
    case Ctx::kCode: builder_.EndCode(); return;
    case Ctx::kPaired: {
      const std::string is = std::to_string(node.pair_i);
      Code(InlineCode::Element::kEpt, {{"i", is}}, node.close_native);
      return;
    }
    case Ctx::kSeg:
      EndSide();
      side_is_seg_source_ = false;
      return;
    case Ctx::kSegMrk: EndSegMrk(); return;
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
      UnitStatus status;
      status.version = 2;
      status.state = seg_state_;
      EndUnitOrSegment(std::move(id), seg_line_, status, unit_translate_no_);
      set_unit_state(unit_level_);
      return;
    }
    case Ctx::kUnit:
      if (version_ == 1) {
        if (!seg_sources_.empty() && (!has_target_ || target_has_mrks_)) {
          EndSegmentedUnit();
        } else {
          UnitStatus status;
          status.state = unit_state_;
          status.approved = unit_approved_;
          status.mq_status = mq_status_;
          status.m_confirmed = m_confirmed_;
          EndUnitOrSegment(unit_id_, unit_line_, status, unit_translate_no_);
        }
      }
      in_unit_ = false;
      return;
    default: return;
  }
}

}  // namespace qantara::formats::xliff_internal
