// Properties of single code points (Latin script, upper case) behind a plain
// C++ interface, so the engines above the text engine need not call ICU.
#include "service/text/char_props.h"

#include "unicode/uchar.h"
#include "unicode/uscript.h"
#include "unicode/utf8.h"

namespace qantara::text {

int32_t FirstCodePoint(std::string_view s) {
  if (s.empty()) return -1;
  int32_t i = 0;
  UChar32 c;
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, static_cast<int32_t>(s.size()), c);
  return c;
}

namespace {

// Hebrew, Arabic, Syriac, Thaana, NKo: no Latin letters, no case (the
// common non-ASCII range here, answered without ICU).
bool InRightToLeftBlocks(int32_t c) { return c >= 0x0590 && c < 0x0800; }

}  // namespace

bool IsLatinScript(int32_t c) {
  if (c < 0) return false;
  if (c < 0x80) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  if (InRightToLeftBlocks(c)) return false;
  return u_getIntPropertyValue(c, UCHAR_SCRIPT) == USCRIPT_LATIN;
}

bool IsUppercase(int32_t c) {
  if (c < 0) return false;
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  if (InRightToLeftBlocks(c)) return false;
  return u_isupper(c);
}

}  // namespace qantara::text
