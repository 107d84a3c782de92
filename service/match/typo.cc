// Typo neighbours of a query's unknown words: their one-edit variants, looked
// up as token keys.
#include "service/match/typo.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "service/base/status_macros.h"
#include "service/match/hash.h"

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
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = s[i];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    char32_t cp = len == 1 ? c : (c & (0x7F >> len));
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    out.push_back(cp);
    i += len;
  }
  return true;
}

void Encode(const std::vector<char32_t>& cps, std::string& out) {
  out.clear();
  for (char32_t cp : cps) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
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

}  // namespace

std::vector<TypoVariant> TypoVariants(std::string_view norm) {
  std::vector<TypoVariant> out;
  std::vector<char32_t> w;
  if (!Decode(norm, w)) return out;
  const Alphabet alphabet = AlphabetOf(w);
  if (alphabet == Alphabet::kNone) return out;
  const std::vector<char32_t>& letters = Letters(alphabet);
  const size_t n = w.size();
  const size_t own = LetterCount(w);
  if (own + 1 < kMinLonger || own < kMinShorter - 1) return out;
  std::vector<std::vector<char32_t>> found;
  std::vector<char32_t> v;
  for (size_t i = 0; i < n; ++i) {  // deletions
    v = w;
    v.erase(v.begin() + i);
    found.push_back(v);
  }
  for (size_t i = 0; i + 1 < n; ++i) {  // swaps
    if (w[i] == w[i + 1]) continue;
    v = w;
    std::swap(v[i], v[i + 1]);
    found.push_back(v);
  }
  for (size_t i = 0; i < n; ++i) {  // replacements
    for (char32_t c : letters) {
      if (c == w[i]) continue;
      v = w;
      v[i] = c;
      found.push_back(v);
    }
  }
  for (size_t i = 0; i <= n; ++i) {  // insertions
    for (char32_t c : letters) {
      v = w;
      v.insert(v.begin() + i, c);
      found.push_back(v);
    }
  }
  // Letters, not marks, count for the pair's lengths.
  found.erase(std::remove_if(found.begin(), found.end(),
                             [&](const std::vector<char32_t>& f) {
                               const size_t theirs = LetterCount(f);
                               return std::min(own, theirs) < kMinShorter ||
                                      std::max(own, theirs) < kMinLonger;
                             }),
              found.end());
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  out.reserve(found.size());
  for (const std::vector<char32_t>& f : found) {
    if (f == w) continue;
    TypoVariant t;
    Encode(f, t.text);
    t.length = static_cast<uint32_t>(f.size());
    out.push_back(std::move(t));
  }
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
  // Variants of the unknown ones: key -> (query key, cost).
  absl::flat_hash_map<uint64_t, std::vector<std::pair<uint64_t, double>>> variants;
  std::vector<uint64_t> variant_keys;
  size_t unknown = 0;
  for (size_t k = 0; k < keys.size() && unknown < kMaxUnknown; ++k) {
    if (known[k]) continue;
    ++unknown;
    Decode(*norms[k], cps);
    const size_t len = cps.size();
    for (const TypoVariant& v : TypoVariants(*norms[k])) {
      const uint64_t vk = Hash64(v.text);
      auto& list = variants[vk];
      if (list.empty()) variant_keys.push_back(vk);
      list.emplace_back(keys[k], 1.0 / static_cast<double>(std::max<size_t>(len, v.length)));
    }
  }
  if (variant_keys.empty()) return typos;
  absl::StatusOr<std::vector<bool>> present = view.HasTokens(side, variant_keys);
  if (!present.ok()) return present.status();
  for (size_t i = 0; i < variant_keys.size(); ++i) {
    if (!(*present)[i]) continue;
    for (const auto& [query_key, cost] : variants[variant_keys[i]])
      typos.Add(query_key, variant_keys[i], cost);
  }
  return typos;
}

}  // namespace qantara::match
