// libFuzzer target: the fuzzy matcher (service/match/matcher.h) on random
// memories and queries. The input builds up to 40 units and one query from a
// small vocabulary of English and Arabic words (written several ways: case,
// harakat, tatweel, alef and ta marbuta forms), numbers, punctuation and
// tags, in the in-memory IndexView of tests/service/match/memory_index.h,
// analysed by the production text analyzer or the tests' simple one; then
// looks the query up (forward or reverse) with a random threshold (NaN and
// infinities too), max_results (0 and UINT32_MAX too),
// penalties, filter and context, indexed and exhaustively.
// Checks: both succeed (or both fail alike); the same units in the same order
// with the same scores, penalties and distances; at most max_results, best
// first, none below the threshold.
//
//   tests/fuzz/run_fuzzers.sh   (build-fuzz/fuzz/fuzz_matcher, seeds in tests/fuzz/corpus/fuzz_matcher)
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "service/match/analyzer.h"
#include "service/match/matcher.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/service/match/memory_index.h"
#include "tests/service/match/simple_analyzer.h"

namespace qantara::match {
namespace {

using fuzz::Check;

const std::vector<std::string> kEnglish = {
    "the",   "The", "file", "File", "open", "save", "door", "red", "window", "is",  "not",  "found",
    "error", "a",   "new",  "42",   "7",    "3.5",  ".",    ",",   "?",      "<b>", "</b>", "Ahmed"};
const std::vector<std::string> kArabic = {"كتب",  "كَتَبَ", "كُتِبَّ", "الدرس", "مدرسة", "مدرسه",  "أحمد",
                                          "احمد", "في",  "من",  "إلى",   "الى",   "الكتاب", "الكـتاب",
                                          "٤٢",   "7",   "،",   ".",     "؟",     "file"};

std::string Sentence(FuzzedDataProvider& fdp, const std::vector<std::string>& vocab, int max_words) {
  std::string s;
  for (int n = fdp.ConsumeIntegralInRange(0, max_words); n > 0; --n) {
    if (!s.empty()) s += fdp.ConsumeIntegralInRange(0, 15) == 0 ? "  " : " ";
    s += vocab[fdp.ConsumeIntegralInRange<size_t>(0, vocab.size() - 1)];
  }
  return s;
}

double Threshold(FuzzedDataProvider& fdp) {
  static const double kSpecial[] = {0,
                                    1,
                                    30,
                                    50,
                                    70,
                                    75,
                                    90,
                                    99,
                                    100,
                                    101,
                                    -5,
                                    1e9,
                                    std::numeric_limits<double>::infinity(),
                                    -std::numeric_limits<double>::infinity(),
                                    std::numeric_limits<double>::quiet_NaN()};
  if (fdp.ConsumeBool()) return 1 + fdp.ConsumeIntegralInRange(0, 99);
  return kSpecial[fdp.ConsumeIntegralInRange<size_t>(0, std::size(kSpecial) - 1)];
}

// Penalty points: mostly small halves, sometimes negative, huge or not a number.
double Points(FuzzedDataProvider& fdp) {
  static const double kSpecial[] = {-1, -100, 1e9, std::numeric_limits<double>::infinity(),
                                    std::numeric_limits<double>::quiet_NaN()};
  if (fdp.ConsumeIntegralInRange(0, 7) > 0) return fdp.ConsumeIntegralInRange(0, 10) / 2.0;
  return kSpecial[fdp.ConsumeIntegralInRange<size_t>(0, std::size(kSpecial) - 1)];
}

const Analyzer& TextAnalyzer() {
  static const Analyzer* analyzer = [] {
    absl::StatusOr<std::unique_ptr<Analyzer>> a = CreateTextAnalyzer();
    Check(a.ok(), "CreateTextAnalyzer");
    return a->release();
  }();
  return *analyzer;
}

}  // namespace
}  // namespace qantara::match

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace qantara::match;
  using qantara::text::Language;
  FuzzedDataProvider fdp(data, size);
  static const testing::SimpleAnalyzer simple;
  const Analyzer& analyzer = fdp.ConsumeBool() ? TextAnalyzer() : static_cast<const Analyzer&>(simple);

  testing::MemoryIndex index(analyzer);
  std::vector<Unit> units;
  uint64_t id = fdp.ConsumeBool() ? 0 : (uint64_t{1} << 24) - 8;  // ids around the dense counting range
  for (int n = fdp.ConsumeIntegralInRange(0, 40); n > 0; --n) {
    Unit u;
    id += 1 + fdp.ConsumeIntegralInRange(0, 3);
    u.id = id;
    if (!units.empty() && fdp.ConsumeIntegralInRange(0, 4) == 0) {
      u.source =
          units[fdp.ConsumeIntegralInRange<size_t>(0, units.size() - 1)].source;  // another translation
    } else {
      u.source = Sentence(fdp, fdp.ConsumeIntegralInRange(0, 7) == 0 ? kArabic : kEnglish, 10);
    }
    u.target = Sentence(fdp, fdp.ConsumeIntegralInRange(0, 7) == 0 ? kEnglish : kArabic, 10);
    u.changed_at_us = fdp.ConsumeIntegralInRange(1, 5);  // many ties on the date
    u.attributes.project = fdp.ConsumeBool() ? "p1" : "p2";
    if (fdp.ConsumeBool()) u.attributes.extra["k"] = fdp.ConsumeBool() ? "x" : "y";
    u.origin = static_cast<Origin>(fdp.ConsumeIntegralInRange(0, 2));
    u.alignment_confidence = fdp.ConsumeIntegralInRange(0, 4) / 4.0;
    u.context.prev = fdp.ConsumeBool() ? "" : Sentence(fdp, kEnglish, 3);
    u.context.id =
        fdp.ConsumeBool() ? "" : std::string(1, static_cast<char>('a' + fdp.ConsumeIntegralInRange(0, 2)));
    units.push_back(u);
    index.Add(std::move(u));
  }
  index.set_peek(fdp.ConsumeBool());

  LookupOptions o;
  o.side = fdp.ConsumeBool() ? Side::kTarget : Side::kSource;
  o.threshold = Threshold(fdp);
  switch (fdp.ConsumeIntegralInRange(0, 19)) {
    case 0: o.max_results = 0; break;  // refused
    case 1: o.max_results = UINT32_MAX; break;
    default: o.max_results = fdp.ConsumeIntegralInRange<uint32_t>(1, 12);
  }
  if (fdp.ConsumeBool()) o.memory_penalty = Points(fdp);
  if (fdp.ConsumeBool()) o.attribute_penalties.push_back({"project", "p2", Points(fdp)});
  if (fdp.ConsumeBool()) o.attribute_penalties.push_back({"k", "x", 1});
  if (fdp.ConsumeIntegralInRange(0, 3) == 0) o.filter.project = "p1";
  if (fdp.ConsumeIntegralInRange(0, 3) == 0) o.filter.changed_after_us = 3;
  if (fdp.ConsumeIntegralInRange(0, 3) == 0) o.filter.min_alignment_confidence = 0.5;
  if (fdp.ConsumeBool()) o.context.prev = Sentence(fdp, kEnglish, 3);
  if (fdp.ConsumeBool())
    o.context.id = std::string(1, static_cast<char>('a' + fdp.ConsumeIntegralInRange(0, 2)));

  const bool reverse = o.side == Side::kTarget;
  const Language unit_language = reverse ? Language::kArabic : Language::kEnglish;
  const Language other_language = reverse ? Language::kEnglish : Language::kArabic;
  std::string text;
  if (!units.empty() && fdp.ConsumeBool()) {
    const Unit& u = units[fdp.ConsumeIntegralInRange<size_t>(0, units.size() - 1)];
    text = reverse ? u.target : u.source;
    if (fdp.ConsumeBool()) text += " " + Sentence(fdp, reverse ? kArabic : kEnglish, 2);
  } else {
    text = Sentence(fdp, reverse ? kArabic : kEnglish, 12);
  }
  absl::StatusOr<AnalyzedSegment> query = analyzer.Analyze(text, unit_language);
  Check(query.ok(), "the query analyses");

  absl::StatusOr<LookupResult> indexed = Lookup(index, analyzer, *query, unit_language, other_language, o);
  o.exhaustive = true;
  absl::StatusOr<LookupResult> full = Lookup(index, analyzer, *query, unit_language, other_language, o);
  Check(indexed.ok() == full.ok(), "indexed and exhaustive both succeed or both fail");
  if (!full.ok()) {
    Check((o.max_results == 0 || std::isnan(o.threshold)) &&
              full.status().code() == absl::StatusCode::kInvalidArgument &&
              indexed.status().code() == absl::StatusCode::kInvalidArgument,
          "only max_results 0 and a NaN threshold fail, with InvalidArgument");
    return 0;
  }
  Check(o.max_results > 0 && !std::isnan(o.threshold), "max_results 0 and a NaN threshold are refused");
  const std::vector<Match>& a = indexed->matches;
  const std::vector<Match>& b = full->matches;
  Check(a.size() == b.size(), "indexed and exhaustive: as many matches");
  Check(b.size() <= o.max_results, "at most max_results matches");
  const double threshold = std::clamp(o.threshold, 1.0, 100.0);
  for (size_t i = 0; i < b.size(); ++i) {
    Check(a[i].unit.id == b[i].unit.id, "indexed and exhaustive: the same units in the same order");
    Check(a[i].score == b[i].score && a[i].gross == b[i].gross, "indexed and exhaustive: the same scores");
    Check(a[i].penalties == b[i].penalties, "indexed and exhaustive: the same penalties");
    Check(a[i].edits == b[i].edits && a[i].raw_distance == b[i].raw_distance &&
              a[i].form_distance == b[i].form_distance,
          "indexed and exhaustive: the same distances");
    Check(a[i].adapted_target == b[i].adapted_target, "indexed and exhaustive: the same adapted target");
    Check(b[i].score >= threshold && b[i].score <= 102, "a match's score is between the threshold and 102");
    if (i > 0) Check(!RanksBefore(b[i], b[i - 1]), "matches best first");
  }
  Check(indexed->candidates_scored <= full->candidates_scored, "the index scores no more units than a scan");
  return 0;
}
