// Escaping text and attribute values for the XML qantara writes, and checking
// that a string holds only characters XML 1.0 allows.
#include "service/formats/xml_escape.h"

#include <cstdint>

#include "absl/strings/str_cat.h"

namespace qantara::formats {
namespace {

// Bytes that need escaping: 1 in element content, 2 in attribute values, 3 both.
constexpr unsigned char kNone = 0, kText = 1, kAttr = 2, kBoth = 3;
struct EscapeTable {
  unsigned char v[256];
  constexpr EscapeTable() : v() {
    v[static_cast<unsigned char>('&')] = kBoth;
    v[static_cast<unsigned char>('<')] = kBoth;
    v[static_cast<unsigned char>('>')] = kBoth;
    v[static_cast<unsigned char>('\r')] = kBoth;
    v[static_cast<unsigned char>('"')] = kAttr;
    v[static_cast<unsigned char>('\t')] = kAttr;
    v[static_cast<unsigned char>('\n')] = kAttr;
  }
};
constexpr EscapeTable kEscape;

const char* Replacement(char c) {
  switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\t': return "&#9;";
    case '\n': return "&#10;";
    case '\r': return "&#13;";
  }
  return "";
}

inline void AppendEscaped(std::string_view in, unsigned char mask, std::string* out) {
  const auto* s = reinterpret_cast<const unsigned char*>(in.data());
  const size_t n = in.size();
  size_t start = 0;
  for (size_t i = 0; i < n; ++i) {
    if ((kEscape.v[s[i]] & mask) == kNone) continue;
    out->append(in.data() + start, i - start);
    out->append(Replacement(in[i]));
    start = i + 1;
  }
  out->append(in.data() + start, n - start);
}

}  // namespace

void AppendEscapedText(std::string_view text, std::string* out) { AppendEscaped(text, kText, out); }

void AppendEscapedAttribute(std::string_view value, std::string* out) { AppendEscaped(value, kAttr, out); }

absl::Status CheckXmlText(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c >= 0x20 && c < 0x80) {
      ++i;
      continue;
    }
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        return absl::InvalidArgumentError(absl::StrCat("control character U+", absl::Hex(c, absl::kZeroPad4),
                                                       " at byte ", i, " is not allowed in XML"));
      }
      ++i;
      continue;
    }
    uint32_t cp;
    size_t len;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return absl::InvalidArgumentError(absl::StrCat("invalid UTF-8 at byte ", i));
    }
    if (i + len > n) return absl::InvalidArgumentError(absl::StrCat("truncated UTF-8 at byte ", i));
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) {
        return absl::InvalidArgumentError(absl::StrCat("invalid UTF-8 at byte ", i));
      }
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    const bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return absl::InvalidArgumentError(absl::StrCat("invalid UTF-8 at byte ", i));
    }
    if (cp == 0xFFFE || cp == 0xFFFF) {
      return absl::InvalidArgumentError(
          absl::StrCat("character U+", absl::Hex(cp), " at byte ", i, " is not allowed in XML"));
    }
    i += len;
  }
  return absl::OkStatus();
}

}  // namespace qantara::formats
