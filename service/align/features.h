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
  uint32_t length = 0;     // code points, whitespace excluded
  uint32_t tok_begin = 0;  // kept tokens: DocumentFeatures::tokens[tok_begin, tok_end)
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
  // by_form[x] != 0: ids[x] matches by form (a name's transliteration
  // skeleton, a verbatim word, digits, punctuation), not by translation (a
  // lexicon concept). Same size as `ids`, or empty: every id a translation.
  std::vector<uint8_t> by_form;
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

// Turns sentences into features. Caches the features of every word, number
// and punctuation type, so reuse one Featurizer for a whole batch. Not
// thread-safe.
class Featurizer {
 public:
  // `lexicon` may be null (no dictionary). The pointers must outlive this.
  Featurizer(const Lexicon* lexicon, const Analyzer* arabic, const Analyzer* english);

  // Sets (or clears, with nullptr) extra translations; invalidates the
  // cached Arabic words.
  void SetExtraTranslations(const TranslationSource* extra);

  // Appends the features of `sentence` (UTF-8) to `doc`. When `only_ids` is
  // given, keeps just the match ids it marks non-zero (ids at or beyond its
  // size are dropped): e.g. the ids of the other side, the only ones that can
  // ever match. InvalidArgument for invalid UTF-8.
  absl::Status Add(text::Language lang, std::string_view sentence, bool paragraph_end, DocumentFeatures* doc,
                   const std::vector<uint8_t>* only_ids = nullptr);

 private:
  // The features of one token type: its match ids pool_[begin, end), or a
  // stopword (no token at all).
  struct Type {
    uint32_t begin = 0;
    uint32_t end = 0;
    bool stop = false;
  };
  using TypeMap = absl::flat_hash_map<std::string, Type>;

  uint32_t Intern(std::string_view s);
  // The cached type of `norm` in `map`, made by `make` (which appends the
  // ids to pool_ and returns whether the type is a stopword) when new.
  template <typename Make>
  const Type& Cached(TypeMap& map, const std::string& norm, const Make& make);
  // Appends the ids of an Arabic / English word to pool_.
  void ArabicWordIds(const std::string& norm);
  void EnglishWordIds(const std::string& norm, bool capitalized);

  const Lexicon* lexicon_;
  const Analyzer* arabic_;
  const Analyzer* english_;
  const TranslationSource* extra_ = nullptr;
  // ids >= base_ are local: strings not in the lexicon's English table.
  uint32_t base_ = 0;
  absl::flat_hash_map<std::string, uint32_t> local_ids_;
  uint32_t local_count_ = 0;
  std::vector<uint8_t> local_by_form_;  // [id - base_]: a form id (prefixed string)
  std::vector<uint32_t> pool_;
  TypeMap arabic_words_, arabic_latin_, english_words_[2];  // [capitalised]
  TypeMap numbers_, punctuation_;
  std::vector<AnalyzedToken> scratch_;
};

// Keeps only the match ids that both sides have (the others can never
// match) and renumbers them densely from 0 in the order of their old values,
// so pair matching and anchoring probe fewer ids in small arrays. Token
// counts and classes stay (and by_form follows its ids). Returns the number of
// ids kept.
uint32_t KeepSharedIds(DocumentFeatures* ar, DocumentFeatures* en);

}  // namespace qantara::align

#endif  // QANTARA_SERVICE_ALIGN_FEATURES_H_
