// Sentence features for alignment: what the scoring model compares.
//
// Every kept token of a sentence (content words, numbers, Latin words, ? and
// quotes; stopwords dropped; at most kMaxTokens per sentence) becomes a list
// of match ids in one id space: an English word is its concept (stem) plus
// its verbatim form and, when capitalised, its name skeleton; an Arabic word
// is every concept the lexicons translate it to, plus, when the lexicon does
// not know it, its transliterated skeleton; numbers are their ASCII digits on
// both sides; a Latin word inside Arabic text is its verbatim form. An Arabic
// token matches an English token when their id lists intersect.
#ifndef QANTARA_SERVICE_ALIGN_FEATURES_H_
#define QANTARA_SERVICE_ALIGN_FEATURES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "service/align/analyzer.h"
#include "service/align/lexicon.h"

namespace qantara::align {

inline constexpr int kMaxTokens = 64;

// Kinds of evidence; the scoring model has separate rates for each.
enum EvidenceClass : uint8_t { kEvWord = 0, kEvNumber = 1, kEvLatin = 2, kEvPunct = 3 };
inline constexpr int kNumEvidenceClasses = 4;

struct SentenceFeatures {
  uint32_t length = 0;      // code points, whitespace excluded
  uint32_t tok_begin = 0;   // kept tokens: DocumentFeatures::tokens[tok_begin, tok_end)
  uint32_t tok_end = 0;
  // Bit k set: kept token k of the sentence is of that evidence class.
  uint64_t class_mask[kNumEvidenceClasses] = {0, 0, 0, 0};
  bool paragraph_end = false;  // the last sentence of a paragraph
  int token_count() const { return static_cast<int>(tok_end - tok_begin); }
};

struct TokenFeatures {
  uint32_t id_begin = 0;  // match ids: DocumentFeatures::ids[id_begin, id_end)
  uint32_t id_end = 0;
};

// The features of one side of a document pair.
struct DocumentFeatures {
  std::vector<SentenceFeatures> sentences;
  std::vector<TokenFeatures> tokens;
  std::vector<uint32_t> ids;
  // The lookup keys of each kept word token (Arabic side only; for lexicon
  // learning), parallel to `tokens`; empty for non-words.
  std::vector<uint32_t> key_ids;
};

// Extra Arabic key → English concept translations (e.g. learned from a batch
// or from a memory), used next to the base lexicon.
class TranslationSource {
 public:
  virtual ~TranslationSource() = default;
  // The English concepts (strings, as Lexicon::English) `ar_key` may
  // translate to; nullptr or empty when none.
  virtual const std::vector<std::string>* Lookup(std::string_view ar_key) const = 0;
};

// Turns sentences into features. Caches word analyses, so reuse one
// Featurizer for a whole batch. Not thread-safe.
class Featurizer {
 public:
  // `lexicon` may be null (no dictionary). The pointers must outlive this.
  Featurizer(const Lexicon* lexicon, const Analyzer* arabic, const Analyzer* english);

  // Sets (or clears, with nullptr) extra translations; invalidates the
  // per-word id cache.
  void SetExtraTranslations(const TranslationSource* extra);

  // Appends the features of `sentence` (UTF-8) to `doc`. InvalidArgument for
  // invalid UTF-8.
  absl::Status Add(text::Language lang, std::string_view sentence, bool paragraph_end,
                   DocumentFeatures* doc);

  // The Arabic lookup keys of key id `id` (as stored in key_ids) and the
  // concept string of match id `id`.
  const std::vector<std::string>& ArabicKeys(uint32_t key_id) const { return ar_key_lists_[key_id]; }
  std::string_view EnglishConceptOf(uint32_t id) const;
  // The English concept string (stem) of a normalised English word.
  const std::string& EnglishConcept(std::string_view norm);

 private:
  struct WordIds {
    std::vector<uint32_t> ids;
    uint32_t key_id = 0;
  };
  uint32_t Intern(std::string_view s);
  const std::vector<std::string>& KeysOf(text::Language lang, const std::string& norm);
  const WordIds& ArabicWord(const std::string& norm);
  const WordIds& EnglishWord(const std::string& norm, bool capitalized);

  const Lexicon* lexicon_;
  const Analyzer* arabic_;
  const Analyzer* english_;
  const TranslationSource* extra_ = nullptr;
  // ids >= base_ are local: strings not in the lexicon's English table.
  uint32_t base_ = 0;
  absl::flat_hash_map<std::string, uint32_t> local_ids_;
  std::vector<std::string> local_strings_;
  absl::flat_hash_map<std::string, std::vector<std::string>> keys_[2];
  absl::flat_hash_map<std::string, WordIds> ar_words_;
  absl::flat_hash_map<std::string, WordIds> en_words_[2];  // [capitalized]
  std::vector<std::vector<std::string>> ar_key_lists_;
  std::vector<AnalyzedToken> scratch_;
};

// Keeps only the match ids that both sides have (the others can never
// match) and renumbers them densely from 0 in the order of their old values,
// so pair matching and anchoring probe fewer ids in small arrays. Token
// counts, classes and key_ids stay. Returns the number of ids kept.
uint32_t KeepSharedIds(DocumentFeatures* ar, DocumentFeatures* en);

}  // namespace qantara::align

#endif  // QANTARA_SERVICE_ALIGN_FEATURES_H_
