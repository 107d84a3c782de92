// FastWordBreaks: a scanner over a per-process table of the Basic
// Multilingual Plane's Word_Break classes (from ICU), reduced to the classes
// the rules below need; characters the reduced rules do not cover map to
// kUnsupported and make the scanner give up.

#include "service/text/word_breaks.h"

#include <cstdint>

#include "unicode/uchar.h"
#include "unicode/uscript.h"

namespace qantara::text {
namespace {

enum Cls : uint8_t {
  kUnsupported = 0,
  kOther,
  kCR,
  kLF,
  kNewline,
  kExFm,    // Extend, Format, ZWJ (WB4: transparent after anything but a hard break)
  kLetter,  // ALetter (alphabetic)
  kNumeric,
  kMidLetter,
  kMidNum,
  kMidNumLet,  // MidNumLet and Single_Quote (UAX #29's MidNumLetQ)
  kSpace,      // WSegSpace
};

constexpr int32_t kStatusNone = 0;      // UBRK_WORD_NONE
constexpr int32_t kStatusNumber = 100;  // UBRK_WORD_NUMBER
constexpr int32_t kStatusLetter = 200;  // UBRK_WORD_LETTER

uint8_t Classify(UChar32 c) {
  if (c >= 0xD800 && c <= 0xDFFF) return kUnsupported;
  if (u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC)) return kUnsupported;
  // East Asian text (ICU chains and segments it by dictionary): the CJK,
  // Hangul and full/half-width blocks, and ideographs wherever they are.
  if ((c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFAFF) ||
      (c >= 0xFE30 && c <= 0xFE4F) || c >= 0xFF00 || u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC)) {
    return kUnsupported;
  }
  // ICU segments these with dictionaries, not with the rules.
  if (u_getIntPropertyValue(c, UCHAR_LINE_BREAK) == U_LB_COMPLEX_CONTEXT) return kUnsupported;
  switch (u_getIntPropertyValue(c, UCHAR_SCRIPT)) {
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_HANGUL: return kUnsupported;
    default: break;
  }
  // ICU's root rules tailor UAX #29: '@' is a letter (ALetter), and the
  // colons are not MidLetter (word.txt; "x:y" is three pieces).
  if (c == '@') return kLetter;
  if (c == ':' || c == 0xFE55 || c == 0xFF1A) return kOther;
  switch (u_getIntPropertyValue(c, UCHAR_WORD_BREAK)) {
    case U_WB_OTHER:
    case U_WB_DOUBLE_QUOTE:  // Double_Quote only matters next to Hebrew letters
      return kOther;
    case U_WB_CR: return kCR;
    case U_WB_LF: return kLF;
    case U_WB_NEWLINE: return kNewline;
    case U_WB_EXTEND:
    case U_WB_FORMAT:
    case U_WB_ZWJ: return kExFm;
    case U_WB_ALETTER: return u_isalpha(c) ? kLetter : kUnsupported;
    case U_WB_NUMERIC: return kNumeric;
    case U_WB_MIDLETTER: return kMidLetter;
    case U_WB_MIDNUM: return kMidNum;
    case U_WB_MIDNUMLET:
    case U_WB_SINGLE_QUOTE: return kMidNumLet;
    case U_WB_WSEGSPACE: return kSpace;
    default:  // Hebrew_Letter, Katakana, ExtendNumLet, Regional_Indicator, ...
      return kUnsupported;
  }
}

const uint8_t* ClassTable() {
  static const uint8_t* const table = [] {
    auto* t = new uint8_t[0x10000];
    for (UChar32 c = 0; c < 0x10000; ++c) t[c] = Classify(c);
    return t;
  }();
  return table;
}

class Scanner {
 public:
  Scanner(std::string_view text)
      : s_(reinterpret_cast<const uint8_t*>(text.data())),
        n_(static_cast<int32_t>(text.size())),
        table_(ClassTable()) {}

  int32_t size() const { return n_; }

  // The class of the code point at byte i; *next is the byte after it.
  uint8_t At(int32_t i, int32_t* next) const {
    const uint8_t b = s_[i];
    if (b < 0x80) {
      *next = i + 1;
      return table_[b];
    }
    if (b < 0xE0) {
      *next = i + 2;
      return table_[((b & 0x1F) << 6) | (s_[i + 1] & 0x3F)];
    }
    if (b < 0xF0) {
      *next = i + 3;
      return table_[((b & 0x0F) << 12) | ((s_[i + 1] & 0x3F) << 6) | (s_[i + 2] & 0x3F)];
    }
    *next = i + 4;
    return kUnsupported;
  }

  // The first byte at or after i that does not start an Extend/Format/ZWJ
  // character.
  int32_t SkipExFm(int32_t i) const {
    while (i < n_) {
      int32_t j;
      if (At(i, &j) != kExFm) break;
      i = j;
    }
    return i;
  }

  // The first byte at or after i that does not start a character of class c.
  int32_t SkipRun(int32_t i, uint8_t c) const {
    while (i < n_) {
      int32_t j;
      if (At(i, &j) != c) break;
      i = j;
    }
    return i;
  }

 private:
  const uint8_t* s_;
  int32_t n_;
  const uint8_t* table_;
};

}  // namespace

bool FastWordBreaks(std::string_view text, std::vector<WordPiece>* out) {
  out->clear();
  const Scanner sc(text);
  const int32_t n = sc.size();
  int32_t i = 0;
  while (i < n) {
    int32_t j;
    const uint8_t c = sc.At(i, &j);
    int32_t status = kStatusNone;
    switch (c) {
      case kUnsupported: return false;
      case kCR:  // WB3: CR × LF; WB3a/3b: break around the rest
        if (j < n && text[j] == '\n') ++j;
        break;
      case kLF:
      case kNewline: break;
      case kExFm:  // only at the start or after a hard break: they group (ICU's ^$ExFm+)
        j = sc.SkipRun(j, kExFm);
        break;
      case kSpace:  // WB3d, then WB4
        j = sc.SkipExFm(sc.SkipRun(j, kSpace));
        break;
      case kLetter:
      case kNumeric: {
        // Each character is read once, except across a Mid character.
        uint8_t last = c;
        while (j < n) {
          int32_t k;
          const uint8_t d = sc.At(j, &k);
          if (d == kExFm) {  // WB4
            j = k;
            continue;
          }
          if (d == kLetter || d == kNumeric) {  // WB5, WB8, WB9, WB10
            last = d;
            j = k;
            continue;
          }
          const bool mid = last == kLetter ? (d == kMidLetter || d == kMidNumLet)  // WB6/7
                                           : (d == kMidNum || d == kMidNumLet);    // WB11/12
          if (!mid) break;
          const int32_t m = sc.SkipExFm(k);
          if (m >= n) break;
          int32_t after;
          if (sc.At(m, &after) != last) break;
          j = after;
        }
        status = last == kLetter ? kStatusLetter : kStatusNumber;
        break;
      }
      default:  // Other and the Mid classes standing alone (WB999), with WB4
        j = sc.SkipExFm(j);
        break;
    }
    out->push_back(WordPiece{j, status});
    i = j;
  }
  return true;
}

}  // namespace qantara::text
