// Building one Segment from parse events: canonical TMX markup, plain text with
// placeholders and the inline codes, with code balance and byte limits checked.
#include "service/formats/segment_builder.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "service/formats/xml_escape.h"

namespace qantara::formats::internal {
namespace {

std::string_view ElementName(InlineCode::Element e) {
  switch (e) {
    case InlineCode::Element::kBpt: return "bpt";
    case InlineCode::Element::kEpt: return "ept";
    case InlineCode::Element::kIt: return "it";
    case InlineCode::Element::kPh: return "ph";
    case InlineCode::Element::kHi: return "hi";
    case InlineCode::Element::kUt: return "ut";
  }
  return "ph";
}

bool HasPlaceholder(std::string_view s) {
  for (size_t p = s.find("\xEE\x80"); p != std::string_view::npos; p = s.find("\xEE\x80", p + 1)) {
    if (p + 2 < s.size()) {
      const unsigned char c = static_cast<unsigned char>(s[p + 2]);
      if (c >= 0x81 && c <= 0x83) return true;
    }
  }
  return false;
}

}  // namespace

void SegmentBuilder::Reset(size_t max_bytes) {
  seg_.markup.clear();
  seg_.text.clear();
  seg_.codes.clear();
  stack_.clear();
  open_bpt_.clear();
  native_bytes_ = 0;
  max_bytes_ = max_bytes;
  failed_ = false;
  error_.clear();
}

void SegmentBuilder::Fail(std::string reason) {
  if (failed_) return;
  failed_ = true;
  error_ = std::move(reason);
  seg_.markup = std::string();
  seg_.text = std::string();
  seg_.codes = std::vector<InlineCode>();
  native_bytes_ = 0;
}

void SegmentBuilder::FailTooLong() {
  Fail(absl::StrCat("a segment is longer than ", max_bytes_, " bytes (max_segment_bytes)"));
}

bool SegmentBuilder::CheckLimit() {
  if (seg_.markup.size() + seg_.codes.size() * sizeof(InlineCode) > max_bytes_) {
    FailTooLong();
    return false;
  }
  return true;
}

bool SegmentBuilder::in_native_code() const { return !stack_.empty() && stack_.back().frame != Frame::kHi; }

void SegmentBuilder::CloseStartTag() {
  if (!stack_.empty() && stack_.back().pending) {
    seg_.markup.push_back('>');
    stack_.back().pending = false;
  }
}

void SegmentBuilder::WriteStartTag(std::string_view name, const std::vector<Attr>& attrs) {
  CloseStartTag();
  seg_.markup.push_back('<');
  seg_.markup.append(name);
  for (const auto& [k, v] : attrs) {
    seg_.markup.push_back(' ');
    seg_.markup.append(k);
    seg_.markup.append("=\"");
    AppendEscapedAttribute(v, &seg_.markup);
    seg_.markup.push_back('"');
  }
}

void SegmentBuilder::Text(std::string_view text) {
  if (failed_ || text.empty()) return;
  // Its markup is at least as long as the text: fail before buffering what
  // cannot fit (a huge segment never grows the buffers past the limit).
  if (seg_.markup.size() + text.size() + seg_.codes.size() * sizeof(InlineCode) > max_bytes_) {
    FailTooLong();
    return;
  }
  CloseStartTag();
  AppendEscapedText(text, &seg_.markup);
  if (stack_.empty() || stack_.back().frame == Frame::kHi) {
    if (HasPlaceholder(text)) {
      Fail("the text holds a reserved private-use character (U+E001..U+E003)");
      return;
    }
    seg_.text.append(text);
  } else if (stack_.back().frame == Frame::kCode) {
    seg_.codes[stack_.back().code_index].native.append(text);
    native_bytes_ += text.size();
  }
  CheckLimit();
}

void SegmentBuilder::StartTmxElement(std::string_view name, const std::vector<Attr>& attrs) {
  if (failed_) {
    stack_.push_back(Open{Frame::kNested, {}, 0, false, {}});
    return;
  }
  if (in_native_code()) {
    if (stack_.back().frame == Frame::kCode && name != "sub") {
      Fail(absl::StrCat("<", std::string(name), "> is not allowed inside <", std::string(stack_.back().name),
                        "> (only <sub>)"));
      stack_.push_back(Open{Frame::kNested, {}, 0, false, {}});
      return;
    }
    WriteStartTag(name, attrs);
    stack_.push_back(Open{Frame::kNested, {}, 0, true, std::string(name)});
    CheckLimit();
    return;
  }
  InlineCode::Element e;
  if (name == "bpt")
    e = InlineCode::Element::kBpt;
  else if (name == "ept")
    e = InlineCode::Element::kEpt;
  else if (name == "it")
    e = InlineCode::Element::kIt;
  else if (name == "ph")
    e = InlineCode::Element::kPh;
  else if (name == "hi")
    e = InlineCode::Element::kHi;
  else if (name == "ut")
    e = InlineCode::Element::kUt;
  else {
    Fail(name == "sub" ? std::string("<sub> outside an inline code")
                       : absl::StrCat("unexpected element <", std::string(name), "> in <seg>"));
    stack_.push_back(Open{Frame::kNested, {}, 0, false, {}});
    return;
  }
  StartCode(e, attrs);
}

void SegmentBuilder::StartCode(InlineCode::Element element, const std::vector<Attr>& attrs) {
  if (failed_) {
    stack_.push_back(Open{Frame::kNested, {}, 0, false, {}});
    return;
  }
  auto reject = [this](std::string reason) {
    Fail(std::move(reason));
    stack_.push_back(Open{Frame::kNested, {}, 0, false, {}});
  };
  InlineCode code;
  code.element = element;
  for (const auto& [k, v] : attrs) {
    if (k == "i")
      code.i = std::string(v);
    else if (k == "x")
      code.x = std::string(v);
    else if (k == "type")
      code.type = std::string(v);
    else if (k == "pos")
      code.pos = std::string(v);
  }
  std::string_view placeholder = kStandalonePlaceholderUtf8;
  switch (element) {
    case InlineCode::Element::kBpt:
      if (code.i.empty()) return reject("unbalanced inline codes: <bpt> without its i attribute");
      if (std::find(open_bpt_.begin(), open_bpt_.end(), code.i) != open_bpt_.end()) {
        return reject(absl::StrCat("unbalanced inline codes: two open <bpt i=\"", code.i, "\">"));
      }
      open_bpt_.push_back(code.i);
      code.role = InlineCode::Role::kOpening;
      placeholder = kOpeningPlaceholderUtf8;
      break;
    case InlineCode::Element::kEpt: {
      if (code.i.empty()) return reject("unbalanced inline codes: <ept> without its i attribute");
      auto it = std::find(open_bpt_.begin(), open_bpt_.end(), code.i);
      if (it == open_bpt_.end()) {
        return reject(absl::StrCat("unbalanced inline codes: <ept i=\"", code.i, "\"> without a <bpt i=\"",
                                   code.i, "\"> before it"));
      }
      open_bpt_.erase(it);
      code.role = InlineCode::Role::kClosing;
      placeholder = kClosingPlaceholderUtf8;
      break;
    }
    case InlineCode::Element::kIt:
      if (code.pos == "begin") {
        code.role = InlineCode::Role::kOpening;
        placeholder = kOpeningPlaceholderUtf8;
      } else if (code.pos == "end") {
        code.role = InlineCode::Role::kClosing;
        placeholder = kClosingPlaceholderUtf8;
      } else {
        return reject("<it> needs pos=\"begin\" or pos=\"end\"");
      }
      break;
    case InlineCode::Element::kHi:
      code.role = InlineCode::Role::kOpening;
      placeholder = kOpeningPlaceholderUtf8;
      break;
    case InlineCode::Element::kPh:
    case InlineCode::Element::kUt: code.role = InlineCode::Role::kStandalone; break;
  }
  const std::string_view name = ElementName(element);
  WriteStartTag(name, attrs);
  code.text_offset = seg_.text.size();
  seg_.text.append(placeholder);
  seg_.codes.push_back(std::move(code));
  stack_.push_back(Open{element == InlineCode::Element::kHi ? Frame::kHi : Frame::kCode,
                        name,
                        seg_.codes.size() - 1,
                        true,
                        {}});
  CheckLimit();
}

void SegmentBuilder::EndTmxElement() {
  if (stack_.empty()) return;
  Open top = std::move(stack_.back());
  stack_.pop_back();
  if (failed_) return;
  const std::string_view name = top.frame == Frame::kNested ? std::string_view(top.nested_name) : top.name;
  if (top.pending) {
    seg_.markup.append("/>");
  } else {
    seg_.markup.append("</");
    seg_.markup.append(name);
    seg_.markup.push_back('>');
  }
  if (top.frame == Frame::kHi) {
    InlineCode close = seg_.codes[top.code_index];
    close.role = InlineCode::Role::kClosing;
    close.native.clear();
    close.text_offset = seg_.text.size();
    seg_.text.append(kClosingPlaceholderUtf8);
    seg_.codes.push_back(std::move(close));
  }
  CheckLimit();
}

bool SegmentBuilder::Finish(Segment* out) {
  if (!failed_ && !open_bpt_.empty()) {
    Fail(absl::StrCat("unbalanced inline codes: <bpt i=\"", open_bpt_.front(), "\"> has no <ept i=\"",
                      open_bpt_.front(), "\">"));
  }
  if (failed_) return false;
  out->markup = std::move(seg_.markup);
  out->text = std::move(seg_.text);
  out->codes = std::move(seg_.codes);
  seg_.markup.clear();
  seg_.text.clear();
  seg_.codes.clear();
  return true;
}

}  // namespace qantara::formats::internal
