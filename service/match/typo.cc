// Typo neighbours of a query's unknown words: their one-edit variants, looked
// up as token keys.
#include "service/match/typo.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "service/base/status_macros.h"
#include "service/match/hash.h"
#include "service/text/utf8.h"

namespace qantara::match {
namespace {

constexpr size_t kMinShorter = 3;  // letters of the shorter word of a pair
constexpr size_t kMinLonger = 4;   // letters of the longer
// Bounds on the index reads (one a variant, some 50 a letter): words of at
// most kMaxLetters letters, the first kMaxUnknown unknown words of a query.
constexpr size_t kMaxLetters = 24;
constexpr size_t kMaxUnknown = 8;

enum class Alphabet { kNone, kLatin, kArabic };

bool IsLatin(char32_t c) { return c >= U'a' && c <= U'z'; }
// Arabic letters hamza to yeh (U+0621-U+064A; U+063B-U+0640 are
// unassigned or tatweel).
bool IsArabic(char32_t c) { return c >= 0x0621 && c <= 0x064A && !(c >= 0x063B && c <= 0x0640); }

// The letters variants are made of: a-z, or the Arabic letters (all of
// them: which forms the normaliser folds is its own setting).
const std::vector<char32_t>& Letters(Alphabet a) {
  static const std::vector<char32_t> latin = [] {
    std::vector<char32_t> v;
    for (char32_t c = U'a'; c <= U'z'; ++c) v.push_back(c);
    return v;
  }();
  static const std::vector<char32_t> arabic = [] {
    std::vector<char32_t> v;
    for (char32_t c = 0x0621; c <= 0x064A; ++c) {
      if (IsArabic(c)) v.push_back(c);
    }
    return v;
  }();
  return a == Alphabet::kArabic ? arabic : latin;
}

// Decodes valid UTF-8 into code points; false on anything else.
bool Decode(std::string_view s, std::vector<char32_t>& out) {
  out.clear();
  for (size_t i = 0; i < s.size();) {
    const char32_t cp = text::DecodeUtf8(s, &i);
    if (cp == text::kInvalidUtf8) return false;
    out.push_back(cp);
  }
  return true;
}

void Encode(const std::vector<char32_t>& cps, std::string& out) {
  out.clear();
  for (char32_t cp : cps) text::AppendUtf8(cp, &out);
}

// Marks inside words that are no letters ("_" of mnemonics, "-", "'"):
// edits may delete, replace or move them, never insert one.
bool IsJoiner(char32_t c) { return c == U'_' || c == U'-' || c == U'\'' || c == 0x2019; }

Alphabet AlphabetOf(const std::vector<char32_t>& w) {
  bool latin = true, arabic = true, letters = false;
  for (char32_t c : w) {
    if (IsJoiner(c)) continue;
    letters = true;
    latin = latin && IsLatin(c);
    arabic = arabic && IsArabic(c);
  }
  if (!letters) return Alphabet::kNone;
  return latin ? Alphabet::kLatin : arabic ? Alphabet::kArabic : Alphabet::kNone;
}

size_t LetterCount(const std::vector<char32_t>& w) {
  return static_cast<size_t>(std::count_if(w.begin(), w.end(), [](char32_t c) { return !IsJoiner(c); }));
}

std::vector<std::string> EncodeAll(const std::vector<char32_t>& cps) {
  std::vector<std::string> out;
  for (char32_t c : cps) {
    out.emplace_back();
    Encode({c}, out.back());
  }
  return out;
}
const std::vector<std::string>& LatinUtf8() {
  static const std::vector<std::string> v = EncodeAll(Letters(Alphabet::kLatin));
  return v;
}
const std::vector<std::string>& ArabicUtf8() {
  static const std::vector<std::string> v = EncodeAll(Letters(Alphabet::kArabic));
  return v;
}

// Calls fn(text, length in code points) for each one-edit variant of `norm`
// that can form a typo pair with it (typo.h), repeats included, built in one
// reused buffer (a lookup makes hundreds a word).
template <typename Fn>
void ForEachVariant(std::string_view norm, Fn&& fn) {
  std::vector<char32_t> w;
  if (!Decode(norm, w)) return;
  const Alphabet alphabet = AlphabetOf(w);
  if (alphabet == Alphabet::kNone) return;
  const std::vector<char32_t>& letters = Letters(alphabet);
  const std::vector<std::string>& encoded = alphabet == Alphabet::kArabic ? ArabicUtf8() : LatinUtf8();
  const size_t n = w.size();
  const size_t own = LetterCount(w);
  if (own + 1 < kMinLonger || own < kMinShorter - 1) return;
  // Letters, not marks, count for the pair's lengths.
  auto fits = [&](size_t theirs) {
    return std::min(own, theirs) >= kMinShorter && std::max(own, theirs) >= kMinLonger;
  };
  // Byte offset of each code point (and the end).
  std::vector<size_t> at(n + 1, 0);
  for (size_t i = 0, b = 0; i <= n; ++i) {
    at[i] = b;
    if (i < n) b += text::Utf8Length(w[i]);
  }
  std::string buf;
  buf.reserve(norm.size() + 4);
  auto piece = [&](size_t from, size_t to) { return norm.substr(at[from], at[to] - at[from]); };
  const uint32_t len = static_cast<uint32_t>(n);
  for (size_t i = 0; i < n; ++i) {  // deletions
    if (!fits(IsJoiner(w[i]) ? own : own - 1)) continue;
    buf.assign(piece(0, i));
    buf.append(piece(i + 1, n));
    fn(std::string_view(buf), len - 1);
  }
  if (fits(own)) {
    for (size_t i = 0; i + 1 < n; ++i) {  // swaps
      if (w[i] == w[i + 1]) continue;
      buf.assign(piece(0, i));
      buf.append(piece(i + 1, i + 2));
      buf.append(piece(i, i + 1));
      buf.append(piece(i + 2, n));
      fn(std::string_view(buf), len);
    }
  }
  for (size_t i = 0; i < n; ++i) {  // replacements
    if (!fits(IsJoiner(w[i]) ? own + 1 : own)) continue;
    buf.assign(piece(0, i));
    const size_t mid = buf.size();
    for (size_t k = 0; k < letters.size(); ++k) {
      if (letters[k] == w[i]) continue;
      buf.resize(mid);
      buf.append(encoded[k]);
      buf.append(piece(i + 1, n));
      fn(std::string_view(buf), len);
    }
  }
  if (fits(own + 1)) {
    for (size_t i = 0; i <= n; ++i) {  // insertions
      buf.assign(piece(0, i));
      const size_t mid = buf.size();
      for (size_t k = 0; k < letters.size(); ++k) {
        buf.resize(mid);
        buf.append(encoded[k]);
        buf.append(piece(i, n));
        fn(std::string_view(buf), len + 1);
      }
    }
  }
}

}  // namespace

std::vector<TypoVariant> TypoVariants(std::string_view norm) {
  std::vector<TypoVariant> out;
  ForEachVariant(norm, [&](std::string_view text, uint32_t length) {
    if (text != norm) out.push_back(TypoVariant{std::string(text), length});
  });
  // UTF-8 byte order is code point order.
  std::sort(out.begin(), out.end(),
            [](const TypoVariant& a, const TypoVariant& b) { return a.text < b.text; });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const TypoVariant& a, const TypoVariant& b) { return a.text == b.text; }),
            out.end());
  return out;
}

absl::StatusOr<TypoCosts> FindTypos(IndexView& view, Side side, const AnalyzedSegment& query) {
  TypoCosts typos;
  const std::vector<MatchToken>& tokens = query.key.tokens;
  if (query.norms.size() != tokens.size()) return typos;
  // Distinct query words that may have variants, by key.
  std::vector<uint64_t> keys;
  std::vector<const std::string*> norms;
  const uint64_t number = NumberKey();
  std::vector<char32_t> cps;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string& norm = query.norms[i];
    if (tokens[i].key == number || norm.size() < kMinShorter) continue;
    if (std::find(keys.begin(), keys.end(), tokens[i].key) != keys.end()) continue;
    if (!Decode(norm, cps) || AlphabetOf(cps) == Alphabet::kNone) continue;
    if (const size_t letters = LetterCount(cps); letters < kMinShorter || letters > kMaxLetters) continue;
    keys.push_back(tokens[i].key);
    norms.push_back(&norm);
  }
  if (keys.empty()) return typos;
  QANTARA_ASSIGN_OR_RETURN(const std::vector<bool> known, view.HasTokens(side, keys));
  // Variants of the unknown ones: (variant key, query key, cost), one per
  // distinct variant of a word.
  struct Entry {
    uint64_t variant;
    uint64_t query;
    double cost;
  };
  std::vector<Entry> entries;
  absl::flat_hash_set<uint64_t> seen;
  size_t unknown = 0;
  for (size_t k = 0; k < keys.size() && unknown < kMaxUnknown; ++k) {
    if (known[k]) continue;
    ++unknown;
    Decode(*norms[k], cps);
    const size_t len = cps.size();
    const uint64_t own = Hash64(*norms[k]);
    seen.clear();
    ForEachVariant(*norms[k], [&](std::string_view text, uint32_t length) {
      const uint64_t vk = Hash64(text);
      if (vk == own || !seen.insert(vk).second) return;
      entries.push_back(Entry{vk, keys[k], 1.0 / static_cast<double>(std::max<size_t>(len, length))});
    });
  }
  if (entries.empty()) return typos;
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.variant < b.variant; });
  std::vector<uint64_t> variant_keys;  // distinct, ascending
  for (const Entry& e : entries) {
    if (variant_keys.empty() || variant_keys.back() != e.variant) variant_keys.push_back(e.variant);
  }
  absl::StatusOr<std::vector<bool>> present = view.HasTokens(side, variant_keys);
  if (!present.ok()) return present.status();
  size_t v = 0;
  for (const Entry& e : entries) {
    while (variant_keys[v] != e.variant) ++v;
    if ((*present)[v]) typos.Add(e.query, e.variant, e.cost);
  }
  return typos;
}

}  // namespace qantara::match
