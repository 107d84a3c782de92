#include "service/formats/xml_escape.h"

#include <cstdint>

#include "absl/strings/str_cat.h"

namespace qantara::formats {
namespace {

// Appends the run text[start, i) then `replacement`.
inline void Flush(std::string_view text, size_t start, size_t i, std::string* out) {
  if (i > start) out->append(text.data() + start, i - start);
}

}  // namespace

void AppendEscapedText(std::string_view text, std::string* out) {
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char* rep;
    switch (text[i]) {
      case '&': rep = "&amp;"; break;
      case '<': rep = "&lt;"; break;
      case '>': rep = "&gt;"; break;
      case '\r': rep = "&#13;"; break;
      default: continue;
    }
    Flush(text, start, i, out);
    out->append(rep);
    start = i + 1;
  }
  Flush(text, start, text.size(), out);
}

void AppendEscapedAttribute(std::string_view value, std::string* out) {
  size_t start = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    const char* rep;
    switch (value[i]) {
      case '&': rep = "&amp;"; break;
      case '<': rep = "&lt;"; break;
      case '>': rep = "&gt;"; break;
      case '"': rep = "&quot;"; break;
      case '\t': rep = "&#9;"; break;
      case '\n': rep = "&#10;"; break;
      case '\r': rep = "&#13;"; break;
      default: continue;
    }
    Flush(value, start, i, out);
    out->append(rep);
    start = i + 1;
  }
  Flush(value, start, value.size(), out);
}

absl::Status CheckXmlText(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        return absl::InvalidArgumentError(absl::StrCat(
            "control character U+", absl::Hex(c, absl::kZeroPad4), " at byte ", i,
            " is not allowed in XML"));
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
      return absl::InvalidArgumentError(absl::StrCat(
          "character U+", absl::Hex(cp), " at byte ", i, " is not allowed in XML"));
    }
    i += len;
  }
  return absl::OkStatus();
}

}  // namespace qantara::formats
