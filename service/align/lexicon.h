// A bilingual lexicon for alignment: Arabic lookup keys → English concepts.
//
// An English concept is the last (most general) key the English Analyzer
// gives a word, its Snowball stem: "reports" and "reported" share one.
// Arabic words are looked up under every key their Analyzer gives (form,
// clitic-split form, stem). Built once (e.g. from FreeDict), then read-only
// and safe to share between threads.
#ifndef QANTARA_SERVICE_ALIGN_LEXICON_H_
#define QANTARA_SERVICE_ALIGN_LEXICON_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "service/align/analyzer.h"
#include "service/align/dictd.h"

namespace qantara::align {

class Lexicon {
 public:
  Lexicon() = default;
  Lexicon(Lexicon&&) = default;
  Lexicon& operator=(Lexicon&&) = default;

  // The id of English concept `key`, adding it when new.
  uint32_t InternEnglish(std::string_view key);
  // The id of English concept `key`, or -1 when the lexicon does not know it.
  int64_t FindEnglish(std::string_view key) const;
  // The concept string of `id`. REQUIRES: id < english_size().
  const std::string& English(uint32_t id) const { return english_[id]; }
  size_t english_size() const { return english_.size(); }

  // Records that Arabic key `ar_key` may translate as concept `en_id`.
  void Add(std::string_view ar_key, uint32_t en_id);
  // Sorts and deduplicates every translation list; call after the last Add.
  void Finish();

  // The concepts `ar_key` translates to (sorted, unique after Finish), or
  // nullptr when the key is unknown.
  const std::vector<uint32_t>* Translations(std::string_view ar_key) const;

  size_t arabic_keys() const { return arabic_.size(); }
  size_t pairs() const;

 private:
  absl::flat_hash_map<std::string, uint32_t> english_ids_;
  std::vector<std::string> english_;
  absl::flat_hash_map<std::string, std::vector<uint32_t>> arabic_;
};

// The senses of one FreeDict entry (dictd text: headword line with IPA, then
// "1. sense" lines or a single sense line), each split at , ، ; ؛ and " - "
// into alternatives; empty pieces dropped.
std::vector<std::string> ParseFreeDictSenses(std::string_view entry_text);

// Adds the entries of a FreeDict Arabic→English (`ar_to_en` true) or
// English→Arabic database to `lexicon`. Only single-word headwords are used,
// and only alternatives of at most three content words (longer ones are
// definitions, not translations); stopwords are skipped on both sides.
absl::Status AddFreeDict(const DictdDatabase& db, bool ar_to_en, const Analyzer& arabic,
                         const Analyzer& english, Lexicon* lexicon);

// Loads DIR/freedict-ara-eng.{index,dict.dz} and DIR/freedict-eng-ara.* (as
// installed by Debian's dict-freedict-ara-eng and dict-freedict-eng-ara) into
// one finished lexicon. NotFound when a file is missing.
absl::StatusOr<std::unique_ptr<Lexicon>> LoadFreeDictLexicon(const std::string& dir, const Analyzer& arabic,
                                                             const Analyzer& english);

inline constexpr char kDefaultDictdDir[] = "/usr/share/dictd";

}  // namespace qantara::align

#endif  // QANTARA_SERVICE_ALIGN_LEXICON_H_
