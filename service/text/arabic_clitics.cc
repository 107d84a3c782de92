// Conservative splitting of the Arabic article and the proclitics before it
// (وال, بال, لل...) from a normalised word, when the remaining base is plausible.
#include "service/text/arabic_clitics.h"

#include <cstdint>
#include <iterator>
#include <unordered_set>

#include "unicode/uchar.h"
#include "unicode/utf8.h"

namespace qantara::text {
namespace {

constexpr std::string_view kWaw = "\u0648";
constexpr std::string_view kFa = "\u0641";
constexpr std::string_view kBa = "\u0628";
constexpr std::string_view kKaf = "\u0643";
constexpr std::string_view kLam = "\u0644";
constexpr std::string_view kArticle = "\u0627\u0644";  // ال

// Words that begin with ال (or لل) without the article, in the forms the
// default normalisation makes (and the unnormalised forms as well).
constexpr std::string_view kNotArticle[] = {
    "الذي",   "الذى",    "التي",   "التى",   "الذين", "اللذين", "اللتين", "اللذان", "اللتان",
    "اللاتي", "اللواتي", "اللائي", "اللايي", "الله",  "اللهم",  "الي",    "الى",    "إلى",
    "اليه",   "إليه",    "اليها",  "إليها",  "اليهم", "إليهم",  "اليهما", "الينا",  "إلينا",
    "اليك",   "إليك",    "اليكم",  "إليكم",  "الا",   "إلا",    "ألا",    "الان",   "الآن",
    "الف",    "ألف",     "الاف",   "آلاف",   "الم",   "ألم",    "اله",    "إله",    "الهه",
    "آلهة",   "الية",    "آلية",   "الات",   "آلات",  "الو",    "ألو",    "الوف",   "ألوف",
};

// Number of code points if `s` is only Arabic letters (no digits, marks or
// Latin), else -1.
int ArabicLetters(std::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const int32_t n = static_cast<int32_t>(s.size());
  int count = 0;
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0x0620 || c > 0x06FF || !u_isalpha(c)) return -1;
    ++count;
  }
  return count;
}

bool Consume(std::string_view& s, std::string_view prefix) {
  if (s.substr(0, prefix.size()) != prefix) return false;
  s.remove_prefix(prefix.size());
  return true;
}

bool IsNotArticle(std::string_view word) {
  static const std::unordered_set<std::string_view>* const kSet =
      new std::unordered_set<std::string_view>(std::begin(kNotArticle), std::end(kNotArticle));
  return kSet->count(word) != 0;
}

}  // namespace

bool SplitArabicClitics(std::string_view word, CliticSplit* out) {
  if (word.size() < 6) return false;  // ≥ 3 letters
  std::string_view rest = word;
  std::vector<std::string> clitics;
  if (Consume(rest, kWaw)) {
    clitics.emplace_back(kWaw);
  } else if (Consume(rest, kFa)) {
    clitics.emplace_back(kFa);
  }
  // Fast exit for the many words that start with neither ال nor لل nor بال/كال.
  const std::string_view head = rest.substr(0, 2);
  if (head != "\u0627" && head != kLam && head != kBa && head != kKaf) return false;
  // The word, or the word without its conjunction, may be one that merely
  // begins with ال: الذي, والذي.
  if (IsNotArticle(word) || (!clitics.empty() && IsNotArticle(rest))) return false;
  int min_base = clitics.empty() ? 2 : 3;
  if (rest.substr(0, 2 * kLam.size()) == std::string(kLam) + std::string(kLam)) {
    // لل = ل + ال with the alef dropped.
    rest.remove_prefix(2 * kLam.size());
    clitics.emplace_back(kLam);
    clitics.emplace_back(kArticle);
    min_base = 3;
  } else {
    for (std::string_view prep : {kBa, kKaf}) {
      std::string_view r = rest;
      if (Consume(r, prep) && r.substr(0, kArticle.size()) == kArticle) {
        clitics.emplace_back(prep);
        rest = r;
        min_base = 3;
        break;
      }
    }
    if (!Consume(rest, kArticle)) return false;
    clitics.emplace_back(kArticle);
  }
  const int letters = ArabicLetters(rest);
  if (letters < min_base) return false;
  out->proclitics = std::move(clitics);
  out->base = std::string(rest);
  return true;
}

}  // namespace qantara::text
