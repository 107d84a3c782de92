// A plain scanner for the spans the tokenizer keeps whole: printf, brace and
// dollar placeholders, inline tags and entities, URLs and e-mail addresses.
#include "service/text/special_spans.h"

#include <array>
#include <cctype>
#include <cstdint>

#include "unicode/uchar.h"
#include "unicode/utf8.h"

namespace qantara::text {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsAlpha(c) || IsDigit(c); }
bool IsIdent(char c) { return IsAlnum(c) || c == '_'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

class Scanner {
 public:
  explicit Scanner(std::string_view t) : t_(t), n_(t.size()) {}

  char At(size_t i) const { return i < n_ ? t_[i] : '\0'; }

  size_t Digits(size_t j) const {
    size_t k = j;
    while (IsDigit(At(k))) ++k;
    return k - j;
  }

  // Byte length of a run of Arabic-Indic (U+0660-0669) or Extended
  // Arabic-Indic (U+06F0-06F9) digits at j: translators localise %1 as %١.
  size_t ArabicDigits(size_t j) const {
    size_t k = j;
    while ((At(k) == '\xD9' && At(k + 1) >= '\xA0' && At(k + 1) <= '\xA9') ||
           (At(k) == '\xDB' && At(k + 1) >= '\xB0' && At(k + 1) <= '\xB9')) {
      k += 2;
    }
    return k - j;
  }

  // printf conversion after the % (and after a positional N$ or (name)).
  size_t PrintfTail(size_t j) const {
    while (At(j) == '-' || At(j) == '+' || At(j) == '#' || At(j) == '0' || At(j) == '\'') ++j;
    if (At(j) == '*')
      ++j;
    else
      j += Digits(j);
    if (At(j) == '.') {
      ++j;
      if (At(j) == '*')
        ++j;
      else
        j += Digits(j);
    }
    if ((At(j) == 'h' && At(j + 1) == 'h') || (At(j) == 'l' && At(j + 1) == 'l')) {
      j += 2;
    } else if (At(j) == 'h' || At(j) == 'l' || At(j) == 'L' || At(j) == 'z' || At(j) == 'j' || At(j) == 't' ||
               At(j) == 'q') {
      ++j;
    }
    static constexpr std::string_view kConv = "diouxXeEfFgGaAcspn@";
    if (At(j) != '\0' && kConv.find(At(j)) != std::string_view::npos) return j + 1;
    return 0;
  }

  // Length of a % placeholder at i, or 0.
  size_t Percent(size_t i) const {
    size_t j = i + 1;
    if (At(j) == '(') {
      size_t k = j + 1;
      while (IsIdent(At(k)) && k - j < 64) ++k;
      if (k == j + 1 || At(k) != ')') return 0;
      size_t e = PrintfTail(k + 1);
      return e ? e - i : 0;
    }
    const size_t d = Digits(j);
    if (d > 0 && At(j + d) == '$') {
      size_t e = PrintfTail(j + d + 1);
      return e ? e - i : 0;
    }
    if (size_t e = PrintfTail(j); e) return e - i;
    if (d > 0) return 1 + d;                          // %1 (Windows, Qt)
    if (const size_t ad = ArabicDigits(j); ad > 0) {  // %١, %١$s: localised positional
      if (At(j + ad) == '$') {
        size_t e = PrintfTail(j + ad + 1);
        return e ? e - i : 0;
      }
      return 1 + ad;
    }
    // %PRODUCTNAME (LibreOffice), not after a number (50%OFF).
    if (i > 0 && IsDigit(t_[i - 1])) return 0;
    if (size_t k = UpperIdent(j); k > j) return (At(k) == '%' ? k + 1 : k) - i;  // %NAME%
    if (At(j) == '{') {                                                          // %{name} (Ruby i18n)
      size_t k = j + 1;
      while (IsIdent(At(k)) && k - j < 64) ++k;
      if (k > j + 1 && At(k) == '}') return k + 1 - i;
    }
    return 0;
  }

  // {0} {name} {0,number,#.##} {count, plural, one {# item} other {# items}} {{name}}
  size_t Brace(size_t i) const {
    if (At(i + 1) == '{') {
      size_t k = i + 2;
      while (At(k) == ' ') ++k;
      const size_t name = k;
      while ((IsIdent(At(k)) || At(k) == '.' || At(k) == '-') && k - i < 128) ++k;
      if (k == name) return 0;
      while (At(k) == ' ') ++k;
      return At(k) == '}' && At(k + 1) == '}' ? k + 2 - i : 0;
    }
    size_t k = i + 1;
    while (IsIdent(At(k)) && k - i < 128) ++k;
    if (k == i + 1) return 0;
    if (At(k) == '}') return k + 1 - i;
    if (At(k) != ',' && At(k) != ':') return 0;
    int depth = 1;
    for (; k < n_ && k - i < 512; ++k) {
      const char c = t_[k];
      if (c == '\n') return 0;
      if (c == '{') ++depth;
      if (c == '}' && --depth == 0) return k + 1 - i;
    }
    return 0;
  }

  // An upper-case identifier of 2+ characters at k (PRODUCT, ARG1); its end or k.
  size_t UpperIdent(size_t k) const {
    const size_t b = k;
    if (!(At(k) >= 'A' && At(k) <= 'Z')) return b;
    while (((At(k) >= 'A' && At(k) <= 'Z') || IsDigit(At(k)) || At(k) == '_') && k - b < 64) ++k;
    if (k - b < 2 || IsAlpha(At(k))) return b;  // $Name, %Product: not all capitals
    return k;
  }

  // A quotation mark or bracket just before `i` (' " [ { ‘ “ «) and one at
  // `k` (' " ] } ’ ” »): what they enclose is a code-like insertion.
  bool EnclosedBefore(size_t i) const {
    if (i == 0) return false;
    const char p = t_[i - 1];
    if (p == '\'' || p == '"' || p == '[' || p == '{') return true;
    if (i >= 3 && (t_.substr(i - 3, 3) == "\xE2\x80\x98" || t_.substr(i - 3, 3) == "\xE2\x80\x9C"))
      return true;
    return i >= 2 && t_.substr(i - 2, 2) == "\xC2\xAB";
  }
  bool EnclosedAfter(size_t k) const {
    const char c = At(k);
    if (c == '\'' || c == '"' || c == ']' || c == '}') return true;
    if (t_.substr(k, 3) == "\xE2\x80\x99" || t_.substr(k, 3) == "\xE2\x80\x9D") return true;
    return t_.substr(k, 2) == "\xC2\xBB";
  }

  // ${name} $(ARG1) $NAME $name$, and the positional $1..$9 only where it
  // cannot be money: closed by $ ($1$) or enclosed ('$1' "$1" [$1]). A bare
  // $5 is a price: Translate Toolkit checks $N as a variable only in its
  // LibreOffice and Mozilla profiles, not in its standard one, and Mozilla's
  // Transvision met "$500" as a false positive of exactly that check.
  size_t Dollar(size_t i) const {
    if (At(i + 1) == '{' || At(i + 1) == '(') {
      const char close = At(i + 1) == '{' ? '}' : ')';
      size_t k = i + 2;
      while ((IsIdent(At(k)) || At(k) == '.') && k - i < 128) ++k;
      return k > i + 2 && At(k) == close ? k + 1 - i : 0;
    }
    if (size_t k = UpperIdent(i + 1); k > i + 1) return k - i;
    if (IsAlpha(At(i + 1)) || At(i + 1) == '_') {  // $name$
      size_t k = i + 1;
      while (IsIdent(At(k)) && k - i < 64) ++k;
      if (At(k) == '$') return k + 1 - i;
    }
    if (At(i + 1) >= '1' && At(i + 1) <= '9') {
      const char next = At(i + 2);
      if (IsDigit(next) || IsAlpha(next) || next == '_') return 0;
      if (next == '$') return 3;
      if (EnclosedBefore(i) && EnclosedAfter(i + 2)) return 2;
    }
    return 0;
  }

  size_t SkipSpaces(size_t k) const {
    while (IsSpace(At(k))) ++k;
    return k;
  }
  size_t Name(size_t k) const {
    if (!IsAlpha(At(k)) && At(k) != '_') return k;
    while (IsIdent(At(k)) || At(k) == ':' || At(k) == '.' || At(k) == '-') ++k;
    return k;
  }

  // <b> </b> <x id="1"/> <bpt i='1' x="2">
  size_t Tag(size_t i) const {
    size_t k = i + 1;
    const bool closing = At(k) == '/';
    if (closing) ++k;
    const size_t name_end = Name(k);
    if (name_end == k) return 0;
    k = name_end;
    for (int attrs = 0; k < n_ && k - i < 1024 && attrs < 32; ++attrs) {
      const size_t s = SkipSpaces(k);
      if (At(s) == '>') return s + 1 - i;
      if (!closing && At(s) == '/' && At(s + 1) == '>') return s + 2 - i;
      if (closing || s == k) return 0;  // attributes need a space before them
      const size_t attr_end = Name(s);
      if (attr_end == s) return 0;
      k = SkipSpaces(attr_end);
      if (At(k) != '=') return 0;
      k = SkipSpaces(k + 1);
      const char q = At(k);
      if (q == '"' || q == '\'') {
        const size_t close = t_.find(q, k + 1);
        if (close == std::string_view::npos || close - i > 1024) return 0;
        k = close + 1;
      } else {
        const size_t v = k;
        while (k < n_ && !IsSpace(t_[k]) && t_[k] != '>' && t_[k] != '<' && t_[k] != '"' && t_[k] != '\'')
          ++k;
        if (k == v) return 0;
      }
    }
    return 0;
  }

  // &amp; &#1234; &#x6F3;
  size_t Entity(size_t i) const {
    size_t k = i + 1;
    if (At(k) == '#') {
      ++k;
      const bool hex = At(k) == 'x' || At(k) == 'X';
      if (hex) ++k;
      const size_t d = k;
      while ((hex ? std::isxdigit(static_cast<unsigned char>(At(k))) != 0 : IsDigit(At(k))) && k - d < 8) ++k;
      return k > d && At(k) == ';' ? k + 1 - i : 0;
    }
    if (!IsAlpha(At(k))) return 0;
    while (IsAlnum(At(k)) && k - i < 33) ++k;
    return At(k) == ';' ? k + 1 - i : 0;
  }

  static bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
      char c = s[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      if (c != prefix[i]) return false;
    }
    return true;
  }

  // http://... https://... ftp://... www....; returns the end or 0.
  size_t Url(size_t i) const {
    const std::string_view rest = t_.substr(i);
    size_t k;
    if (StartsWithNoCase(rest, "http://")) {
      k = i + 7;
    } else if (StartsWithNoCase(rest, "https://")) {
      k = i + 8;
    } else if (StartsWithNoCase(rest, "ftp://")) {
      k = i + 6;
    } else if (StartsWithNoCase(rest, "www.")) {
      k = i + 4;
    } else {
      return 0;
    }
    if (!IsAlnum(At(k)) && static_cast<unsigned char>(At(k)) < 0x80) return 0;
    const auto* s = reinterpret_cast<const uint8_t*>(t_.data());
    const int32_t n = static_cast<int32_t>(n_);
    int32_t j = static_cast<int32_t>(k);
    while (j < n) {
      const uint8_t b = s[j];
      if (b < 0x80) {
        if (b <= ' ' || b == '<' || b == '>' || b == '"' || b == '`' || b == '{' || b == '}' || b == '|' ||
            b == '\\' || b == '^' || b == 0x7F)
          break;
        ++j;
        continue;
      }
      int32_t next = j;
      UChar32 c;
      U8_NEXT(s, next, n, c);
      if (c < 0 || u_isUWhiteSpace(c) || u_ispunct(c) || u_charType(c) == U_FORMAT_CHAR) break;
      j = next;
    }
    size_t end = static_cast<size_t>(j);
    // Trailing sentence punctuation and unbalanced closing brackets are not
    // part of the URL.
    for (;;) {
      if (end <= k) return 0;
      const char c = t_[end - 1];
      if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '\'' || c == '*') {
        --end;
        continue;
      }
      if (c == ')' || c == ']') {
        const char open = c == ')' ? '(' : '[';
        const std::string_view url = t_.substr(i, end - i);
        size_t opens = 0, closes = 0;
        for (char u : url) {
          opens += u == open;
          closes += u == c;
        }
        if (closes > opens) {
          --end;
          continue;
        }
      }
      break;
    }
    return end;
  }

  static bool IsLocal(char c) {
    return IsAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  }

  // The end of an e-mail domain starting at j, or 0.
  size_t Domain(size_t j) const {
    size_t k = j;
    while (IsAlnum(At(k)) || At(k) == '-' || At(k) == '.') ++k;
    while (k > j && (t_[k - 1] == '.' || t_[k - 1] == '-')) --k;
    const std::string_view d = t_.substr(j, k - j);
    if (d.empty() || !IsAlnum(d.front()) || d.find("..") != std::string_view::npos) return 0;
    const size_t dot = d.rfind('.');
    if (dot == std::string_view::npos) return 0;
    const std::string_view tld = d.substr(dot + 1);
    if (tld.size() < 2) return 0;
    for (char c : tld) {
      if (!IsAlpha(c)) return 0;
    }
    return k;
  }

  std::vector<SpecialSpan> Run() const {
    std::vector<SpecialSpan> out;
    size_t last_end = 0;
    auto push = [&](size_t b, size_t e, TokenClass cls) {
      out.push_back(SpecialSpan{b, e, cls});
      last_end = e;
    };
    // The bytes a span can start at (the cases below); skip the rest fast.
    static constexpr auto kStarts = [] {
      std::array<bool, 256> t{};
      for (unsigned char c : std::string_view("%{$<&hHwWfF@")) t[c] = true;
      return t;
    }();
    for (size_t i = 0; i < n_;) {
      while (i < n_ && !kStarts[static_cast<unsigned char>(t_[i])]) ++i;
      if (i == n_) break;
      const char c = t_[i];
      size_t len = 0;
      switch (c) {
        case '%':
          if (At(i + 1) == '%') {
            i += 2;
            continue;
          }
          len = Percent(i);
          if (len) {
            push(i, i + len, TokenClass::kPlaceholder);
            i += len;
            continue;
          }
          break;
        case '{':
          len = Brace(i);
          if (len) {
            push(i, i + len, TokenClass::kPlaceholder);
            i += len;
            continue;
          }
          break;
        case '$':
          len = Dollar(i);
          if (len) {
            push(i, i + len, TokenClass::kPlaceholder);
            i += len;
            continue;
          }
          break;
        case '<':
          len = Tag(i);
          if (len) {
            push(i, i + len, TokenClass::kTag);
            i += len;
            continue;
          }
          break;
        case '&':
          len = Entity(i);
          if (len) {
            push(i, i + len, TokenClass::kTag);
            i += len;
            continue;
          }
          break;
        case 'h':
        case 'H':
        case 'w':
        case 'W':
        case 'f':
        case 'F':
          if (i == 0 || !IsAlnum(t_[i - 1])) {
            const size_t end = Url(i);
            if (end) {
              push(i, end, TokenClass::kUrl);
              i = end;
              continue;
            }
          }
          break;
        case '@': {
          size_t b = i;
          while (b > last_end && IsLocal(t_[b - 1])) --b;
          while (b < i && (t_[b] == '.' || t_[b] == '-')) ++b;
          if (b < i && t_[i - 1] != '.') {
            const size_t end = Domain(i + 1);
            if (end) {
              push(b, end, TokenClass::kEmail);
              i = end;
              continue;
            }
          }
          break;
        }
        default: break;
      }
      ++i;
    }
    return out;
  }

 private:
  std::string_view t_;
  size_t n_;
};

}  // namespace

std::vector<SpecialSpan> FindSpecialSpans(std::string_view text) { return Scanner(text).Run(); }

}  // namespace qantara::text
