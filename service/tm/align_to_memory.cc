// Aligning a document pair into a translation memory: confident beads become units
// (origin alignment, neighbouring beads as context), every bead counted by outcome;
// and aligning with a memory's learned lexicon only.
#include "service/tm/align_to_memory.h"

#include <cstdio>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "service/align/document.h"
#include "service/text/language.h"

namespace qantara::tm {
namespace {

// JoinForField without leading and trailing whitespace.
std::string SideText(const std::vector<align::SentenceInput>& sentences, int begin, int end) {
  std::string s = align::JoinForField(sentences, begin, end);
  const size_t b = s.find_first_not_of(" \t\r\n\f\v");
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r\n\f\v");
  return s.substr(b, e - b + 1);
}

}  // namespace

absl::StatusOr<AlignToMemoryResult> AlignToMemory(const align::Aligner& aligner, Memories& memories,
                                                  MemoryLexicons* lexicons,
                                                  const AlignToMemoryParams& params) {
  if (params.min_confidence > 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("min_confidence must be at most 1 (got ", params.min_confidence, ")"));
  }
  if (params.min_parallel_share > 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("min_parallel_share must be at most 1 (got ", params.min_parallel_share, ")"));
  }
  absl::StatusOr<MemoryInfo> info = memories.GetMemory(params.memory);
  if (!info.ok()) return info.status();
  absl::StatusOr<text::Language> source = text::ParseLanguage(info->source_lang);
  if (!source.ok()) return source.status();
  const bool source_is_arabic = *source == text::Language::kArabic;

  AlignToMemoryResult result;
  MemoryLexicon lexicon;
  if (params.use_memory_lexicon && lexicons != nullptr) {
    absl::StatusOr<MemoryLexicon> got = lexicons->Get(params.memory, aligner);
    if (!got.ok()) return got.status();
    lexicon = *std::move(got);
    result.lexicon_entries = lexicon.lexicon ? lexicon.lexicon->size() : 0;
    result.lexicon_trained_units = lexicon.trained_units;
    result.lexicon_trained_now = lexicon.trained_now;
    result.lexicon_training_in_background = lexicon.training_in_background;
  }
  const align::TranslationSource* extra = lexicon.lexicon.get();
  if (params.learn_from_document) {
    absl::StatusOr<std::vector<align::Alignment>> batch = aligner.AlignBatch({params.input}, extra);
    if (!batch.ok()) return batch.status();
    result.alignment = std::move(batch->front());
  } else {
    absl::StatusOr<align::Alignment> one = aligner.Align(params.input, extra, params.cancelled);
    if (!one.ok()) return one.status();
    result.alignment = *std::move(one);
  }
  result.min_confidence =
      params.min_confidence < 0 ? aligner.options().accept_threshold : params.min_confidence;

  const std::vector<align::Bead>& beads = result.alignment.beads;
  const std::vector<align::SentenceInput>& ar = params.input.ar;
  const std::vector<align::SentenceInput>& en = params.input.en;
  result.parallel_share = align::ParallelShare(beads, result.min_confidence);
  result.min_parallel_share =
      params.min_parallel_share < 0 ? align::kDefaultMinParallelShare : params.min_parallel_share;
  const bool not_parallel = !beads.empty() && result.parallel_share < result.min_parallel_share;
  if (not_parallel) {
    char why[200];
    std::snprintf(why, sizeof(why),
                  "not a translation: parallel share %.2f is below %.2f (few sentences pair up with "
                  "confidence %.2f or more)",
                  result.parallel_share, result.min_parallel_share, result.min_confidence);
    result.skip_reason = why;
  }
  // The source-language text of every bead (empty when it has none), for context.
  std::vector<std::string> source_text(beads.size());
  for (size_t k = 0; k < beads.size(); ++k) {
    const align::Bead& b = beads[k];
    source_text[k] =
        source_is_arabic ? SideText(ar, b.ar_begin, b.ar_end) : SideText(en, b.en_begin, b.en_end);
  }
  auto neighbour = [&](size_t k, int step) -> std::string {
    for (long j = static_cast<long>(k) + step; j >= 0 && j < static_cast<long>(beads.size()); j += step) {
      if (!source_text[j].empty()) return source_text[j];
    }
    return "";
  };

  AlignToMemoryCounts& c = result.counts;
  std::vector<match::Unit> units;
  for (size_t k = 0; k < beads.size(); ++k) {
    const align::Bead& b = beads[k];
    ++c.beads;
    std::string ar_text = b.ar_size() > 0 ? SideText(ar, b.ar_begin, b.ar_end) : "";
    std::string en_text = b.en_size() > 0 ? SideText(en, b.en_begin, b.en_end) : "";
    if (ar_text.empty() || en_text.empty()) {
      ++c.one_sided;
      continue;
    }
    if (b.confidence < result.min_confidence) {
      ++c.below_threshold;
      continue;
    }
    if (not_parallel) {
      ++c.not_parallel;
      continue;
    }
    if ((b.ar_size() != 1 || b.en_size() != 1) && !params.include_many) {
      ++c.many_not_stored;
      continue;
    }
    match::Unit u;
    u.source = source_is_arabic ? std::move(ar_text) : std::move(en_text);
    u.target = source_is_arabic ? std::move(en_text) : std::move(ar_text);
    u.origin = match::Origin::kAlignment;
    u.alignment_confidence = b.confidence;
    u.attributes = params.attributes;
    if (!params.document.empty()) u.attributes.extra["document"] = params.document;
    u.created_by = params.user;
    u.changed_by = params.user;
    u.context.prev = neighbour(k, -1);
    u.context.next = neighbour(k, +1);
    units.push_back(std::move(u));
  }
  if (params.dry_run) {
    c.stored = units.size();
    return result;
  }
  if (units.empty()) return result;
  absl::StatusOr<std::vector<AddOutcome>> outcomes =
      memories.AddUnits(params.memory, std::move(units), params.policy);
  if (!outcomes.ok()) return outcomes.status();
  for (const AddOutcome& o : *outcomes) {
    switch (o.kind) {
      case AddOutcome::kAdded: ++c.stored; break;
      case AddOutcome::kSkipped: ++c.skipped_duplicates; break;
      case AddOutcome::kOverwritten: ++c.overwritten; break;
    }
  }
  return result;
}

absl::StatusOr<align::Alignment> AlignWithMemory(const align::Aligner& aligner, MemoryLexicons* lexicons,
                                                 const std::string& memory,
                                                 const align::DocumentPairInput& input,
                                                 const std::function<bool()>& cancelled) {
  MemoryLexicon memory_lexicon;
  if (!memory.empty()) {
    if (lexicons == nullptr) return absl::FailedPreconditionError("this server has no memories");
    absl::StatusOr<MemoryLexicon> got = lexicons->Get(memory, aligner);
    if (!got.ok()) return got.status();
    memory_lexicon = *std::move(got);
  }
  return aligner.Align(input, memory_lexicon.lexicon.get(), cancelled);
}

}  // namespace qantara::tm
