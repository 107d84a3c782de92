// UTF-8 validation, encoding and decoding shared by the text engine and the
// rest of the server (the one copy of the bit twiddling).
#ifndef QANTARA_SERVICE_TEXT_UTF8_H_
#define QANTARA_SERVICE_TEXT_UTF8_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace qantara::text {

// Returns OK when `text` is well-formed UTF-8 (no overlongs, surrogates or
// code points above U+10FFFF). Otherwise InvalidArgument naming the byte
// offset of the first bad sequence.
absl::Status ValidateUtf8(std::string_view text);

// Number of code points in well-formed UTF-8 `text`.
// REQUIRES: ValidateUtf8(text).ok()
size_t CountCodePoints(std::string_view text);

// Number of bytes AppendUtf8 writes for `cp`: 1 to 4.
inline size_t Utf8Length(char32_t cp) { return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4; }

// Appends the UTF-8 form of `cp` to `out`.
// REQUIRES: cp <= 0x10FFFF. Not checked: a surrogate (U+D800-U+DFFF) comes
// out as the 3 bytes its value gives, which is not valid UTF-8, so callers
// that take code points from outside check them first.
inline void AppendUtf8(char32_t cp, std::string* out) {
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

// What DecodeUtf8 returns for an ill-formed sequence (no code point has it).
inline constexpr char32_t kInvalidUtf8 = 0xFFFFFFFF;

// Decodes the code point that starts at byte `*pos` of `text` and moves
// `*pos` past it. Meant for valid UTF-8 (see ValidateUtf8).
// On an ill-formed sequence (the same ValidateUtf8 rejects: a byte that
// cannot start one, a missing or wrong continuation byte, a sequence cut off
// by the end of `text`, an overlong form, a surrogate, a value above
// U+10FFFF) it returns kInvalidUtf8 and moves `*pos` one byte only, so the
// caller may reject the text, skip the byte or keep it as it is.
// REQUIRES: *pos < text.size()
inline char32_t DecodeUtf8(std::string_view text, size_t* pos) {
  const size_t i = *pos;
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) {
    *pos = i + 1;
    return c;
  }
  // Length and the smallest code point of that length (below it: overlong).
  size_t len;
  char32_t cp, min;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2, cp = c & 0x1F, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3, cp = c & 0x0F, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4, cp = c & 0x07, min = 0x10000;
  } else {
    *pos = i + 1;
    return kInvalidUtf8;
  }
  if (text.size() - i < len) {
    *pos = i + 1;
    return kInvalidUtf8;
  }
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      *pos = i + 1;
      return kInvalidUtf8;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    *pos = i + 1;
    return kInvalidUtf8;
  }
  *pos = i + len;
  return cp;
}

}  // namespace qantara::text

#endif  // QANTARA_SERVICE_TEXT_UTF8_H_
