// A lexicon learned from aligned sentence pairs: Dice association between
// Arabic words (clitic-split form) and English concepts (stems), counted once
// per sentence pair. Trained from a first alignment pass over a batch of
// documents, and from stored translation-memory pairs through
// SegmentPairSource; used next to FreeDict (Featurizer::SetExtraTranslations).
#ifndef QANTARA_SERVICE_ALIGN_LEARNED_LEXICON_H_
#define QANTARA_SERVICE_ALIGN_LEARNED_LEXICON_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "service/align/analyzer.h"
#include "service/align/features.h"

namespace qantara::align {

// Where learning pairs come from: a translation memory (once storage has
// memories), a file, a test. ForEach calls `fn` with every (Arabic, English)
// segment pair and returns the first error of the source.
class SegmentPairSource {
 public:
  virtual ~SegmentPairSource() = default;
  virtual absl::Status ForEach(const std::function<void(std::string_view ar, std::string_view en)>& fn) = 0;
};

// The version of the word analysis behind a learned lexicon's keys (Arabic
// clitic-split forms, English stems). Stored with persisted lexicons; bump it
// whenever the analyzers' Keys() change, so stored lexicons are retrained.
inline constexpr uint32_t kLearnedLexiconKeyVersion = 1;

struct LearnedLexiconOptions {
  int min_pair_count = 2;  // pairs seen together at least this often
  double min_dice = 0.3;   // Dice coefficient at least this
  int max_per_word = 3;    // best translations kept per Arabic word
};

class LearnedLexicon final : public TranslationSource {
 public:
  const std::vector<std::string>* Lookup(std::string_view ar_key) const override;
  size_t size() const { return table_.size(); }
  // Adds one entry (for tests and for loading a stored lexicon).
  void Add(std::string_view ar_key, std::string_view en_concept);
  // Every entry, for persistence: (Arabic key, English concepts).
  const absl::flat_hash_map<std::string, std::vector<std::string>>& entries() const { return table_; }

 private:
  absl::flat_hash_map<std::string, std::vector<std::string>> table_;
};

// Counts co-occurrences and builds a LearnedLexicon. Not thread-safe.
class LexiconLearner {
 public:
  LexiconLearner(const Analyzer* arabic, const Analyzer* english);

  // Counts one aligned pair of texts (a sentence or a bead's joined text).
  void AddPair(std::string_view ar, std::string_view en);
  // Counts every pair of `source`.
  absl::Status AddAll(SegmentPairSource& source);
  size_t pairs() const { return pairs_; }

  std::unique_ptr<LearnedLexicon> Build(const LearnedLexiconOptions& options) const;

 private:
  uint32_t Id(absl::flat_hash_map<std::string, uint32_t>& ids, std::vector<std::string>& names,
              std::vector<uint32_t>& counts, std::string_view s);
  const Analyzer* arabic_;
  const Analyzer* english_;
  absl::flat_hash_map<std::string, std::string> ar_base_cache_, en_concept_cache_;
  absl::flat_hash_map<std::string, uint32_t> ar_ids_, en_ids_;
  std::vector<std::string> ar_names_, en_names_;
  std::vector<uint32_t> ar_counts_, en_counts_;
  absl::flat_hash_map<uint64_t, uint32_t> joint_;
  std::vector<AnalyzedToken> scratch_;
  size_t pairs_ = 0;
};

}  // namespace qantara::align

#endif  // QANTARA_SERVICE_ALIGN_LEARNED_LEXICON_H_
