// The Arabic and English stopword lists of the aligner's Analyzer: closed-class
// words whose dictionary matches say little about whether sentences correspond.
#include "service/align/analyzer.h"

#include <string>

#include "absl/container/flat_hash_set.h"

namespace qantara::align {
namespace {

// Closed-class words: they occur everywhere, so a dictionary match between
// them says little about whether two sentences are translations.
const absl::flat_hash_set<std::string>& EnglishStopwords() {
  static const auto* words = new absl::flat_hash_set<std::string>{
      "a",      "an",     "the",   "and",   "or",    "but",   "if",      "of",    "in",   "on",   "at",
      "to",     "for",    "from",  "by",    "with",  "as",    "into",    "about", "than", "then", "so",
      "that",   "this",   "these", "those", "there", "here",  "it",      "its",   "he",   "she",  "they",
      "them",   "his",    "her",   "their", "we",    "us",    "our",     "you",   "your", "i",    "me",
      "my",     "him",    "who",   "whom",  "which", "what",  "is",      "are",   "was",  "were", "be",
      "been",   "being",  "am",    "has",   "have",  "had",   "do",      "does",  "did",  "will", "would",
      "shall",  "should", "can",   "could", "may",   "might", "must",    "not",   "no",   "s",    "t",
      "also",   "very",   "just",  "all",   "any",   "some",  "such",    "up",    "out",  "over", "after",
      "before", "while",  "when",  "where", "how",   "why",   "because", "said",  "says", "say",  "one",
      "more",   "most",   "other", "only",  "both",  "each",  "own",     "same"};
  return *words;
}

// Arabic function words in normalised form (alef unified, ة → ه, ى → ي).
const absl::flat_hash_set<std::string>& ArabicStopwords() {
  static const auto* words = new absl::flat_hash_set<std::string>{
      "في",   "من",    "الي",    "علي", "عن",    "مع",   "ان",    "او",    "ام",   "ثم",   "لا",    "لم",
      "لن",   "ما",    "ماذا",   "هل",  "قد",    "لقد",  "كان",   "كانت",  "يكون", "تكون", "هو",    "هي",
      "هم",   "هن",    "انا",    "نحن", "انت",   "انتم", "هذا",   "هذه",   "ذلك",  "تلك",  "هولاء", "الذي",
      "التي", "الذين", "اللذين", "عند", "عندما", "حيث",  "كما",   "لكن",   "لكن",  "بل",   "حتي",   "اذا",
      "اذ",   "به",    "بها",    "له",  "لها",   "لهم",  "فيه",   "فيها",  "منه",  "منها", "عليه",  "عليها",
      "كل",   "بعض",   "غير",    "بين", "قال",   "قالت", "وقال",  "وقالت", "ايضا", "و",    "ف",     "ب",
      "ل",    "ك",     "يا",     "ذات", "ذو",    "وهو",  "وهي",   "وفي",   "ومن",  "التي", "الى",   "اي",
      "اما",  "انه",   "انها",   "لان", "بان",   "بانه", "كانوا", "ليس",   "ولا",  "وان",  "فان",   "لدي",
      "منذ",  "خلال",  "بعد",    "قبل", "تم",    "يتم"};
  return *words;
}

}  // namespace

bool IsStopword(text::Language lang, std::string_view norm) {
  const auto& set = lang == text::Language::kArabic ? ArabicStopwords() : EnglishStopwords();
  return set.contains(std::string(norm));
}

}  // namespace qantara::align
