// Aligning a document pair straight into a translation memory (the engine
// behind AlignService/AlignToMemory; plain C++, no proto types), and with a
// memory's learned lexicon only (AlignService/Align with a memory).
//
// The pair is aligned with the memory's learned lexicon next to FreeDict
// (MemoryLexicons); then every bead with text on both sides whose confidence is at or above the
// threshold becomes a unit of the memory: 1-1 beads always, n-m beads (2-1,
// 1-2, 2-2, 1-3, 3-1) when asked, their sentences joined by one space. The
// Arabic side goes to the memory's Arabic side (source or target), origin
// alignment with the bead's confidence, context = the neighbouring beads'
// source texts. The counts partition the beads.
//
// A document pair whose parallel share (align::ParallelShare at the threshold
// applied: the share of its sentences in confident two-sided beads) is below
// min_parallel_share is taken for two documents that are not translations of
// each other: nothing is stored from it, and the result says why.
#ifndef QANTARA_SERVICE_TM_ALIGN_TO_MEMORY_H_
#define QANTARA_SERVICE_TM_ALIGN_TO_MEMORY_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "service/align/aligner.h"
#include "service/match/unit.h"
#include "service/tm/lexicons.h"
#include "service/tm/memories.h"

namespace qantara::tm {

struct AlignToMemoryParams {
  std::string memory;
  align::DocumentPairInput input;  // views: the texts must outlive the call
  // Store beads at or above this confidence; negative: the aligner's
  // auto-accept threshold. REQUIRES: <= 1.
  double min_confidence = -1;
  bool include_many = false;     // also store n-m beads
  match::Attributes attributes;  // given to every stored unit
  std::string document;          // when set, stored as free attribute "document"
  std::string user;              // created_by of the stored units
  DuplicatePolicy policy = DuplicatePolicy::kSkipIdentical;
  bool dry_run = false;            // align and count; store nothing
  bool use_memory_lexicon = true;  // use (and train) the memory's learned lexicon
  // Also a lexicon learned from the pair's own first pass (Aligner::AlignBatch
  // of one pair). Off by default: on the NTREX cases it costs strict F1
  // (0.972 -> 0.967 on held-out documents), one document being too little
  // evidence; the memory's lexicon, which grows with every stored pair, is
  // the learning that helps.
  bool learn_from_document = false;
  // Store nothing when the pair's parallel share is below this; negative:
  // align::kDefaultMinParallelShare; 0: never skip. REQUIRES: <= 1.
  double min_parallel_share = -1;
  // Asked while aligning (align::Aligner::Align): true stops the call with
  // Cancelled before anything is stored.
  std::function<bool()> cancelled;
};

struct AlignToMemoryCounts {
  uint64_t beads = 0;
  uint64_t stored = 0;              // units added
  uint64_t overwritten = 0;         // an existing unit's target replaced (policy overwrite)
  uint64_t skipped_duplicates = 0;  // an identical unit exists (policy skip)
  uint64_t below_threshold = 0;     // text on both sides, confidence below the threshold
  uint64_t many_not_stored = 0;     // n-m beads at or above it, include_many off
  uint64_t one_sided = 0;           // 1-0 / 0-1 beads (or a side of empty sentences)
  // Beads that would have been stored (or counted in many_not_stored) but the
  // pair was skipped as not parallel.
  uint64_t not_parallel = 0;
};

struct AlignToMemoryResult {
  align::Alignment alignment;
  AlignToMemoryCounts counts;
  double min_confidence = 0;     // the threshold applied
  uint64_t lexicon_entries = 0;  // Arabic keys of the memory lexicon used (0: none)
  uint64_t lexicon_trained_units = 0;
  bool lexicon_trained_now = false;
  bool lexicon_training_in_background = false;
  double parallel_share = 0;      // align::ParallelShare at min_confidence
  double min_parallel_share = 0;  // the skip threshold applied
  // Set when the pair was skipped as not parallel: why, for the report.
  std::string skip_reason;
};

// Aligns `params.input` and stores the pairs (see the file comment).
// Errors: NotFound (memory), InvalidArgument (bad UTF-8, a threshold above 1),
// storage errors. Units are stored in AddUnits' atomic batches.
absl::StatusOr<AlignToMemoryResult> AlignToMemory(const align::Aligner& aligner, Memories& memories,
                                                  MemoryLexicons* lexicons,
                                                  const AlignToMemoryParams& params);

// Aligns `input` alone (storing nothing), with the learned lexicon of
// `memory` next to FreeDict when `memory` is not empty. Errors:
// FailedPrecondition (a memory asked for, `lexicons` null), NotFound
// (memory), the aligner's.
// `cancelled` as for align::Aligner::Align.
absl::StatusOr<align::Alignment> AlignWithMemory(const align::Aligner& aligner, MemoryLexicons* lexicons,
                                                 const std::string& memory,
                                                 const align::DocumentPairInput& input,
                                                 const std::function<bool()>& cancelled = nullptr);

}  // namespace qantara::tm

#endif  // QANTARA_SERVICE_TM_ALIGN_TO_MEMORY_H_
