// XLIFF inline elements of a segment mapped onto TMX codes: 1.2 g, x, bx/ex,
// bpt/ept, ph, it and 2.x pc, ph, sc/ec, sm/em, cp (mrk is transparent), with
// the XLIFF element (or its 2.x originalData) as the native code.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "service/formats/xliff_parser.h"
#include "service/formats/xml_escape.h"
#include "service/text/utf8.h"

namespace qantara::formats::xliff_internal {
namespace {

// The XLIFF element as it was written, e.g. <g id="1" ctype="bold"> (or with
// "/>" when `empty`): the native code of a mapped inline element.
std::string NativeTag(std::string_view local, const char** attrs, bool empty) {
  std::string out = "<";
  out.append(local);
  for (const char** a = attrs; *a != nullptr; a += 2) {
    out.push_back(' ');
    std::string_view n = a[0];
    if (n == kXmlLang)
      n = "xml:lang";
    else if (size_t bar = n.rfind('|'); bar != std::string_view::npos)
      n = n.substr(bar + 1);
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

}  // namespace

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
    const std::string mtype = AttrOr(attrs, "mtype");
    if (mtype == "x-sdl-deleted") {  // Trados track changes: deleted text is not the segment's
      stack_.push_back({Ctx::kSkip});
    } else if (mtype == "seg" && version_ == 1 && !in_seg_mrk_ &&
               (side_is_seg_source_ || (side_is_target_ && !seg_sources_.empty()))) {
      StartSegMrk(attrs);
      stack_.push_back({Ctx::kSegMrk});
    } else {
      stack_.push_back({Ctx::kTransparent});
    }
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
          builder_.Fail(absl::StrCat("unbalanced inline codes: <ec startRef=\"", key, "\"> without <sc id=\"",
                                     key, "\">"));
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
      if (hex != nullptr && absl::SimpleHexAtoi(hex, &cp) && cp <= 0x10FFFF) text::AppendUtf8(cp, &ch);
      if (ch.empty() || !CheckXmlText(ch).ok()) {
        builder_.Fail(
            absl::StrCat("<cp hex=\"", hex == nullptr ? "" : hex, "\"> is a character TMX cannot hold"));
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

}  // namespace qantara::formats::xliff_internal
