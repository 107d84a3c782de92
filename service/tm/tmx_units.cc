// Mapping between the file formats' TranslationUnit and the memory's Unit: native
// codes in the text, exact TMX markup kept as attributes, dates and ids carried.
#include "service/tm/tmx_units.h"

#include <map>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "service/formats/segment_markup.h"

namespace qantara::tm {
namespace {

constexpr int64_t kMicros = 1000000;

void Append(std::map<std::string, std::string>& extra, const std::string& key, const std::string& value) {
  auto [it, inserted] = extra.emplace(key, value);
  if (!inserted) absl::StrAppend(&it->second, "\n", value);
}

// Sets one side of `out` from the stored text and, when present and still
// consistent with the text, the stored markup.
absl::Status ToSegment(const std::string& text, const match::Unit& unit, std::string_view markup_key,
                       text::Language language, std::string_view tag, formats::Segment* out) {
  auto markup = unit.attributes.extra.find(std::string(markup_key));
  if (markup != unit.attributes.extra.end()) {
    formats::Segment seg;
    seg.language = language;
    if (formats::ParseSegmentMarkup(markup->second, &seg).ok() && NativeText(seg) == text) {
      seg.lang_tag = std::string(tag);
      *out = std::move(seg);
      return absl::OkStatus();
    }
    // The text was changed after the import: export the text as it is now.
  }
  if (absl::Status s = formats::MakePlainSegment(language, text, out); !s.ok()) return s;
  out->lang_tag = std::string(tag);
  return absl::OkStatus();
}

// Reads one x-qantara prop into `u`: false when its type is not one of ours
// (it is then kept as a free attribute).
absl::StatusOr<bool> TakeQantaraProp(formats::Property& p, match::Unit& u) {
  auto bad = [&p]() {
    return absl::InvalidArgumentError(
        absl::StrCat("<prop type=\"", p.type, "\">: unreadable value '", p.value, "'"));
  };
  if (p.type == kIdProp) {
    if (!absl::SimpleAtoi(p.value, &u.id) || u.id == 0) return bad();
  } else if (p.type == kOriginProp) {
    absl::StatusOr<match::Origin> origin = match::ParseOrigin(p.value);
    if (!origin.ok()) return bad();
    u.origin = *origin;
  } else if (p.type == kConfidenceProp) {
    if (!absl::SimpleAtod(p.value, &u.alignment_confidence) || !(u.alignment_confidence >= 0) ||
        u.alignment_confidence > 1) {
      return bad();
    }
  } else if (p.type == kCreatedUsProp) {
    if (!absl::SimpleAtoi(p.value, &u.created_at_us)) return bad();
  } else if (p.type == kChangedUsProp) {
    if (!absl::SimpleAtoi(p.value, &u.changed_at_us)) return bad();
  } else if (p.type == kContextPrevProp) {
    u.context.prev = std::move(p.value);
  } else if (p.type == kContextNextProp) {
    u.context.next = std::move(p.value);
  } else {
    return false;
  }
  return true;
}

}  // namespace

std::string NativeText(const formats::Segment& segment) {
  if (segment.codes.empty()) return segment.text;
  std::string out;
  out.reserve(segment.text.size() + 16 * segment.codes.size());
  size_t pos = 0;
  for (const formats::InlineCode& code : segment.codes) {
    if (code.text_offset < pos || code.text_offset > segment.text.size()) continue;
    out.append(segment.text, pos, code.text_offset - pos);
    out.append(code.native);
    pos = code.text_offset + formats::kStandalonePlaceholderUtf8.size();  // every placeholder is 3 bytes
  }
  if (pos < segment.text.size()) out.append(segment.text, pos, std::string::npos);
  return out;
}

absl::StatusOr<match::Unit> ToMemoryUnit(formats::TranslationUnit&& tu, const match::Attributes& defaults) {
  match::Unit u;
  u.source = NativeText(tu.source);
  u.target = NativeText(tu.target);
  if (tu.source.has_codes()) u.attributes.extra[std::string(kSourceMarkupKey)] = std::move(tu.source.markup);
  if (tu.target.has_codes()) u.attributes.extra[std::string(kTargetMarkupKey)] = std::move(tu.target.markup);
  if (tu.creation_date) u.created_at_us = *tu.creation_date * kMicros;
  if (tu.change_date) u.changed_at_us = *tu.change_date * kMicros;  // x-qantara-*-us props below win
  u.created_by = std::move(tu.creation_id);
  u.changed_by = std::move(tu.change_id);
  if (tu.usage_count && *tu.usage_count > 0) u.usage_count = static_cast<uint64_t>(*tu.usage_count);
  u.context.id = std::move(tu.id);
  u.origin = match::Origin::kImport;
  for (formats::Property& p : tu.props) {
    if (p.type.rfind("x-qantara-", 0) == 0) {
      absl::StatusOr<bool> taken = TakeQantaraProp(p, u);
      if (!taken.ok()) return taken.status();
      if (*taken) continue;
    }
    if (p.type == "x-project" || p.type == "project") {
      u.attributes.project = std::move(p.value);
    } else if (p.type == "x-domain" || p.type == "domain") {
      u.attributes.domain = std::move(p.value);
    } else if (p.type == "x-client" || p.type == "client") {
      u.attributes.client = std::move(p.value);
    } else if (!p.type.empty() && p.type.rfind("tmx:", 0) != 0) {
      Append(u.attributes.extra, p.type, p.value);
    }
  }
  for (const std::string& note : tu.notes) Append(u.attributes.extra, std::string(kNoteKey), note);
  if (u.attributes.project.empty()) u.attributes.project = defaults.project;
  if (u.attributes.domain.empty()) u.attributes.domain = defaults.domain;
  if (u.attributes.client.empty()) u.attributes.client = defaults.client;
  return u;
}

absl::StatusOr<formats::TranslationUnit> ToFileUnit(const match::Unit& unit, text::Language source_language,
                                                    std::string_view source_tag,
                                                    text::Language target_language,
                                                    std::string_view target_tag) {
  formats::TranslationUnit tu;
  if (absl::Status s =
          ToSegment(unit.source, unit, kSourceMarkupKey, source_language, source_tag, &tu.source);
      !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("source: ", std::string(s.message())));
  }
  if (absl::Status s =
          ToSegment(unit.target, unit, kTargetMarkupKey, target_language, target_tag, &tu.target);
      !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("target: ", std::string(s.message())));
  }
  tu.id = unit.context.id;
  if (unit.created_at_us > 0) tu.creation_date = unit.created_at_us / kMicros;
  if (unit.changed_at_us > 0) tu.change_date = unit.changed_at_us / kMicros;
  tu.creation_id = unit.created_by;
  tu.change_id = unit.changed_by;
  if (unit.usage_count > 0) tu.usage_count = static_cast<int64_t>(unit.usage_count);
  const match::Attributes& a = unit.attributes;
  if (!a.project.empty()) tu.props.push_back({"x-project", a.project});
  if (!a.domain.empty()) tu.props.push_back({"x-domain", a.domain});
  if (!a.client.empty()) tu.props.push_back({"x-client", a.client});
  // What TMX has no attribute for (tmx_units.h).
  tu.props.push_back({std::string(kIdProp), absl::StrCat(unit.id)});
  tu.props.push_back({std::string(kOriginProp), std::string(match::OriginName(unit.origin))});
  if (unit.origin == match::Origin::kAlignment || unit.alignment_confidence != 0) {
    tu.props.push_back({std::string(kConfidenceProp), absl::StrFormat("%.17g", unit.alignment_confidence)});
  }
  if (unit.created_at_us != (tu.creation_date ? *tu.creation_date * kMicros : 0)) {
    tu.props.push_back({std::string(kCreatedUsProp), absl::StrCat(unit.created_at_us)});
  }
  if (unit.changed_at_us != (tu.change_date ? *tu.change_date * kMicros : 0)) {
    tu.props.push_back({std::string(kChangedUsProp), absl::StrCat(unit.changed_at_us)});
  }
  if (!unit.context.prev.empty()) tu.props.push_back({std::string(kContextPrevProp), unit.context.prev});
  if (!unit.context.next.empty()) tu.props.push_back({std::string(kContextNextProp), unit.context.next});
  for (const auto& [key, value] : a.extra) {
    if (key == kSourceMarkupKey || key == kTargetMarkupKey) continue;
    std::vector<std::string>* notes = key == kNoteKey ? &tu.notes : nullptr;
    size_t start = 0;
    while (true) {
      const size_t nl = value.find('\n', start);
      std::string part = value.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
      if (notes)
        notes->push_back(std::move(part));
      else
        tu.props.push_back({key, std::move(part)});
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
  }
  return tu;
}

}  // namespace qantara::tm
