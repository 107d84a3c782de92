// The sentence aligner: Arabic and English sentence lists in, beads out.
//
// Align() runs two passes per document pair: the first with length and
// match-rate parameters from the pair's totals and defaults, then the model
// is re-estimated from the first pass (length ratio and variance, the match
// rates of aligned and of unrelated sentences) and the pair is aligned again.
// AlignBatch() also learns a lexicon (Dice) from the confident 1-1 beads of
// the first pass over the whole batch and uses it next to FreeDict in the
// second pass. Each bead carries a calibrated confidence in [0, 1]; beads at
// or above AlignerOptions::accept_threshold may be accepted without review.
#ifndef QANTARA_SERVICE_ALIGN_ALIGNER_H_
#define QANTARA_SERVICE_ALIGN_ALIGNER_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "service/align/analyzer.h"
#include "service/align/dp.h"
#include "service/align/evidence.h"
#include "service/align/learned_lexicon.h"
#include "service/align/lexicon.h"
#include "service/align/model.h"

namespace qantara::align {

// The default auto-accept threshold (see Bead::confidence).
inline constexpr double kDefaultAcceptThreshold = 0.9;

// Document pairs whose ParallelShare (at the threshold applied) is below this
// are taken for documents that are not translations of each other:
// AlignToMemory stores nothing from them.
inline constexpr double kDefaultMinParallelShare = 0.1;

struct AlignerOptions {
  DpOptions dp;                     // first pass (band around the anchor line)
  int refine_band = 6;              // half-width of later passes' band around the path
  bool reestimate = true;           // second pass with parameters from the first
  bool learn_batch_lexicon = true;  // AlignBatch: learn from the first pass
  LearnedLexiconOptions learning;
  double learn_min_confidence = 0.9;  // 1-1 beads used for learning
  double accept_threshold = kDefaultAcceptThreshold;
  // A bead's confidence is its posterior times the probability that its
  // content makes it a translation (evidence.h): comparable documents.
  ContentGateOptions gate;
  ModelParams initial;  // starting parameters (length ratio is re-estimated)
};

// One sentence of the input; `paragraph_end` marks the last sentence of a
// paragraph (a soft anchor; false when unknown).
struct SentenceInput {
  std::string_view text;
  bool paragraph_end = false;
};

struct DocumentPairInput {
  std::vector<SentenceInput> ar;
  std::vector<SentenceInput> en;
};

struct Alignment {
  std::vector<Bead> beads;  // every sentence in exactly one bead, in order
  ModelParams params;       // the parameters of the final pass
  DpStats stats;
};

// Thread-safe: Align/AlignBatch may run concurrently on one Aligner.
class Aligner {
 public:
  // `lexicon` may be null (length and anchors only). The analyzers default to
  // TokenizerAnalyzer when null; errors are those of TokenizerAnalyzer::Create.
  static absl::StatusOr<std::unique_ptr<Aligner>> Create(std::shared_ptr<const Lexicon> lexicon,
                                                         const AlignerOptions& options = AlignerOptions(),
                                                         std::shared_ptr<const Analyzer> arabic = nullptr,
                                                         std::shared_ptr<const Analyzer> english = nullptr);

  // Aligns one document pair. `extra` (may be null) adds translations, e.g.
  // a lexicon learned from a memory. `cancelled` (may be null) is asked every
  // few hundred sentences and every 64 rows of the DP: true stops the work
  // with Cancelled. InvalidArgument for invalid UTF-8.
  absl::StatusOr<Alignment> Align(const DocumentPairInput& input, const TranslationSource* extra = nullptr,
                                  const std::function<bool()>& cancelled = nullptr) const;

  // Aligns many document pairs, learning a lexicon from the batch's first
  // pass (when options.learn_batch_lexicon).
  absl::StatusOr<std::vector<Alignment>> AlignBatch(const std::vector<DocumentPairInput>& inputs,
                                                    const TranslationSource* extra = nullptr) const;

  const AlignerOptions& options() const { return options_; }
  const Analyzer& arabic() const { return *arabic_; }
  const Analyzer& english() const { return *english_; }
  const Lexicon* lexicon() const { return lexicon_.get(); }

 private:
  Aligner() = default;
  struct Prepared;
  absl::Status Featurize(const DocumentPairInput& input, Featurizer& fz, Prepared* p,
                         const std::function<bool()>& cancelled = nullptr) const;
  // One DP pass; the band follows anchors, or `previous` when given.
  Alignment Pass(const Prepared& p, const ModelParams& params, PairMaskCache* cache,
                 const std::vector<Bead>* previous = nullptr) const;
  Alignment TwoPass(const Prepared& p) const;

  std::shared_ptr<const Lexicon> lexicon_;
  std::shared_ptr<const Analyzer> arabic_, english_;
  AlignerOptions options_;
};

// Re-estimates `prior` from an alignment: length ratio and variance from the
// 1-1 beads, p_true from the 1-1 beads with a positive score, q_random from
// pairs five sentences off the alignment; each shrunk towards `prior`.
// `cache` (may be null) holds pair masks already computed for ar and en.
ModelParams Reestimate(const DocumentFeatures& ar, const DocumentFeatures& en, const std::vector<Bead>& beads,
                       const ModelParams& prior, PairMaskCache* cache = nullptr);

// The aligner qantara uses by default: FreeDict Arabic-English and
// English-Arabic from `dictd_dir` (empty: no dictionary) and the text
// engine's tokenizer analysis. NotFound when the dictionary files are missing.
absl::StatusOr<std::unique_ptr<Aligner>> CreateDefaultAligner(const std::string& dictd_dir,
                                                              const AlignerOptions& options);

// The calibrated confidence of a bead: its posterior times its content gate
// (evidence.gate, set by GateConfidences).
double Confidence(const Bead& bead);

// The parallel share of an alignment: the share of all its sentences (both
// sides) that are in beads with sentences on both sides and a confidence at or
// above `threshold`. Near 1 for a translation, near 0 for two documents that
// are not translations of each other; 0 when there are no sentences.
double ParallelShare(const std::vector<Bead>& beads, double threshold);

}  // namespace qantara::align

#endif  // QANTARA_SERVICE_ALIGN_ALIGNER_H_
