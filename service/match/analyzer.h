// Analyzer: text -> AnalyzedSegment (the matcher's view of a segment).
#ifndef QANTARA_SERVICE_MATCH_ANALYZER_H_
#define QANTARA_SERVICE_MATCH_ANALYZER_H_

#include <memory>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "service/match/segment.h"
#include "service/text/language.h"

namespace qantara::match {

// Thread-safe after construction.
class Analyzer {
 public:
  virtual ~Analyzer() = default;

  // Tokenises and normalises `text` (in `language`) for matching.
  // Errors: InvalidArgument when `text` is not valid UTF-8.
  virtual absl::StatusOr<AnalyzedSegment> Analyze(std::string_view text, text::Language language) const = 0;

  // Analyze(text, language).key, and nothing else (what a stored unit keeps;
  // cheaper when an analyzer need not copy the text nor record the spans
  // and numbers). Same errors.
  virtual absl::StatusOr<SideKey> AnalyzeKey(std::string_view text, text::Language language) const {
    absl::StatusOr<AnalyzedSegment> seg = Analyze(text, language);
    if (!seg.ok()) return seg.status();
    return std::move(seg->key);
  }
};

// The production analyzer, on service/text's Tokenizer (ICU word boundaries,
// every normalisation rule on). Words, numbers, placeholders, symbols, URLs and
// e-mails are match tokens; punctuation and tags are set aside.
absl::StatusOr<std::unique_ptr<Analyzer>> CreateTextAnalyzer();

}  // namespace qantara::match

#endif  // QANTARA_SERVICE_MATCH_ANALYZER_H_
