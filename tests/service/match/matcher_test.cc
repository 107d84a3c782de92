// Lookup: exact and fuzzy matches best first, thresholds, penalties, numbers
// adapted, context 101/102, filters, reverse lookups, indexed equal to
// exhaustive, tie-breaks, large unit ids, typos; and MergeResults.
#include "service/match/matcher.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "service/match/scorer.h"
#include "service/match/typo.h"
#include "tests/service/match/memory_index.h"
#include "tests/service/match/simple_analyzer.h"

namespace qantara::match {
namespace {

using testing::MemoryIndex;
using testing::SimpleAnalyzer;

class MatcherTest : public ::testing::Test {
 protected:
  MatcherTest() : index_(analyzer_) {}

  uint64_t Add(std::string source, std::string target, int64_t changed = 0) {
    Unit u;
    u.id = ++next_id_;
    u.source = std::move(source);
    u.target = std::move(target);
    u.changed_at_us = changed == 0 ? static_cast<int64_t>(next_id_) : changed;
    index_.Add(u);
    return u.id;
  }

  // n units whose sources are sentence(1 .. max_words words), targets
  // "t<i>", random change dates; returns the sources.
  template <typename Sentence>
  std::vector<std::string> AddRandomUnits(int n, int max_words, Sentence&& sentence, std::mt19937& rng) {
    std::vector<std::string> sources;
    for (int i = 0; i < n; ++i) {
      std::string s = sentence(1 + static_cast<int>(rng() % max_words));
      sources.push_back(s);
      Add(s, "t" + std::to_string(i), 1 + rng() % 50);
    }
    return sources;
  }

  LookupResult Find(std::string_view text, LookupOptions options = {}) {
    auto q = analyzer_.Analyze(text, text::Language::kEnglish);
    auto r = Lookup(index_, analyzer_, *q, text::Language::kEnglish, text::Language::kArabic, options);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *std::move(r) : LookupResult{};
  }

  // Looks `q` up at `threshold` (top 5) indexed and exhaustively: the same
  // units in the same order with the same scores. Returns the candidates
  // each scored (indexed, exhaustive).
  std::pair<uint64_t, uint64_t> ExpectIndexedEqualsExhaustive(const std::string& q, double threshold) {
    LookupOptions o;
    o.threshold = threshold;
    o.max_results = 5;
    LookupResult indexed = Find(q, o);
    o.exhaustive = true;
    LookupResult full = Find(q, o);
    EXPECT_EQ(indexed.matches.size(), full.matches.size())
        << q << " @" << threshold << " best: "
        << (full.matches.empty() ? ""
                                 : full.matches[0].unit.source + " " + std::to_string(full.matches[0].score));
    for (size_t i = 0; i < std::min(indexed.matches.size(), full.matches.size()); ++i) {
      EXPECT_EQ(indexed.matches[i].unit.id, full.matches[i].unit.id) << q << " @" << threshold;
      EXPECT_DOUBLE_EQ(indexed.matches[i].score, full.matches[i].score);
    }
    return {indexed.candidates_scored, full.candidates_scored};
  }

  SimpleAnalyzer analyzer_;
  MemoryIndex index_;
  uint64_t next_id_ = 0;
};

TEST_F(MatcherTest, ExactAndFuzzyMatchesBestFirst) {
  const uint64_t exact = Add("Save the file", "T1");
  const uint64_t near = Add("Save the new file", "T2");
  Add("Open the door", "T3");
  LookupResult r = Find("Save the file");
  ASSERT_EQ(r.matches.size(), 2u);
  EXPECT_EQ(r.matches[0].unit.id, exact);
  EXPECT_DOUBLE_EQ(r.matches[0].score, 100);
  EXPECT_EQ(r.matches[0].unit.target, "T1");
  EXPECT_EQ(r.matches[1].unit.id, near);
  EXPECT_DOUBLE_EQ(r.matches[1].score, 75);
  EXPECT_LT(r.candidates_scored, 3u + 1);
}

// IndexView::TokenRange's default (views without their own): the list
// Postings answers at each length of the range.
TEST_F(MatcherTest, TokenRangeHoldsThePostingsOfEachLength) {
  const uint64_t two = Add("save file", "T1");
  const uint64_t three = Add("save the file", "T2");
  const uint64_t four = Add("save the new file", "T3");
  Add("open the door", "T4");
  const uint64_t save = analyzer_.Analyze("save", text::Language::kEnglish)->key.tokens.at(0).key;
  auto lists = index_.TokenRange(Side::kSource, save, 1, 5);
  ASSERT_TRUE(lists.ok()) << lists.status();
  EXPECT_TRUE((*lists)->At(1).empty());
  EXPECT_EQ((*lists)->At(2).ToVector(), (UnitIds{two}));
  EXPECT_EQ((*lists)->At(3).ToVector(), (UnitIds{three}));
  EXPECT_EQ((*lists)->At(4).ToVector(), (UnitIds{four}));
  EXPECT_TRUE((*lists)->At(5).empty());
}

TEST_F(MatcherTest, ThresholdAndMaxResults) {
  for (int i = 0; i < 10; ++i) Add("alpha beta gamma w" + std::to_string(i), "t");
  LookupOptions o;
  o.threshold = 70;
  o.max_results = 3;
  LookupResult r = Find("alpha beta gamma delta", o);
  ASSERT_EQ(r.matches.size(), 3u);
  for (const Match& m : r.matches) EXPECT_DOUBLE_EQ(m.score, 75);
  // Ties: newest first.
  EXPECT_GT(r.matches[0].unit.changed_at_us, r.matches[1].unit.changed_at_us);
  o.threshold = 80;
  EXPECT_TRUE(Find("alpha beta gamma delta", o).matches.empty());
}

// Found by tests/fuzz/fuzz_matcher: a NaN threshold passed the clamp to
// [1, 100] and reached an integer cast in MaxEdits (undefined behaviour).
// It is refused, indexed and exhaustive alike; infinities are clamped.
TEST_F(MatcherTest, NanThresholdIsRefusedInfinitiesClamped) {
  Add("alpha beta gamma", "t");
  auto q = analyzer_.Analyze("alpha beta gamma", text::Language::kEnglish);
  for (bool exhaustive : {false, true}) {
    LookupOptions o;
    o.exhaustive = exhaustive;
    o.threshold = std::numeric_limits<double>::quiet_NaN();
    auto r = Lookup(index_, analyzer_, *q, text::Language::kEnglish, text::Language::kArabic, o);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find("threshold"), std::string_view::npos) << r.status();
    o.threshold = std::numeric_limits<double>::infinity();
    EXPECT_EQ(Find("alpha beta gamma", o).matches.size(), 1u);
    o.threshold = -std::numeric_limits<double>::infinity();
    EXPECT_EQ(Find("alpha beta gamma", o).matches.size(), 1u);
  }
}

TEST_F(MatcherTest, PenaltiesBreakTiesAndAreListed) {
  const uint64_t cased = Add("save the file", "a");
  const uint64_t plain = Add("Save the file", "b");
  LookupResult r = Find("Save the file");
  ASSERT_EQ(r.matches.size(), 2u);
  EXPECT_EQ(r.matches[0].unit.id, plain);
  EXPECT_EQ(r.matches[1].unit.id, cased);
  EXPECT_DOUBLE_EQ(r.matches[1].gross, 100);
  // Both share the normalised source: "several translations" costs 1 each.
  ASSERT_EQ(r.matches[1].penalties.size(), 2u);
  EXPECT_EQ(r.matches[1].penalties[0].kind, "case");
  EXPECT_EQ(r.matches[1].penalties[1].kind, "multiple_translations");
  EXPECT_DOUBLE_EQ(r.matches[1].score, 98);
  EXPECT_DOUBLE_EQ(r.matches[0].score, 99);
}

// "Several translations" counts the units of one normalised source with the
// same numbers; a source of thousands of units ("Cancel") is read once.
TEST_F(MatcherTest, SeveralTranslationsCountsSameNumbersAndReadsEachUnitOnce) {
  std::vector<uint64_t> cancels;
  for (int i = 0; i < 300; ++i) cancels.push_back(Add("Cancel", "t" + std::to_string(i)));
  const uint64_t page4a = Add("Page 4 of 10", "a");
  const uint64_t page4b = Add("Page 4 of 10", "b");
  const uint64_t page7 = Add("Page 7 of 10", "c");
  index_.set_peek(false);  // as a view whose keys are on disk

  const size_t before = index_.key_reads();
  LookupResult r = Find("Cancel");
  // Every candidate read once (to rank it), not once more for the penalty.
  EXPECT_LE(index_.key_reads() - before, cancels.size());
  ASSERT_EQ(r.matches.size(), 5u);
  for (size_t i = 0; i < r.matches.size(); ++i) {
    EXPECT_EQ(r.matches[i].unit.id, cancels[cancels.size() - 1 - i]);  // newest first
    ASSERT_EQ(r.matches[i].penalties.size(), 1u);
    EXPECT_EQ(r.matches[i].penalties[0].kind, "multiple_translations");
    EXPECT_DOUBLE_EQ(r.matches[i].score, 99);
  }

  // Numbers: the two "Page 4" share theirs (penalised), "Page 7" is alone.
  r = Find("Page 7 of 10");
  ASSERT_EQ(r.matches.size(), 3u);
  EXPECT_EQ(r.matches[0].unit.id, page7);
  EXPECT_DOUBLE_EQ(r.matches[0].score, 100);
  EXPECT_TRUE(r.matches[0].penalties.empty());
  for (size_t i = 1; i < 3; ++i) {
    EXPECT_TRUE(r.matches[i].unit.id == page4a || r.matches[i].unit.id == page4b);
    ASSERT_EQ(r.matches[i].penalties.size(), 2u);
    EXPECT_EQ(r.matches[i].penalties[1].kind, "multiple_translations");
    EXPECT_DOUBLE_EQ(r.matches[i].score, 97);  // 2 for the number, 1 for the duplicate
  }
}

TEST_F(MatcherTest, NumberSubstitutionAdaptsTheTarget) {
  Add("Page 4 of 10", "Seite 4 von 10");
  LookupResult r = Find("Page 7 of 10");
  ASSERT_EQ(r.matches.size(), 1u);
  EXPECT_DOUBLE_EQ(r.matches[0].gross, 100);
  EXPECT_DOUBLE_EQ(r.matches[0].score, 98);
  EXPECT_TRUE(r.matches[0].adapted);
  EXPECT_EQ(r.matches[0].adapted_target, "Seite 7 von 10");
}

TEST_F(MatcherTest, ContextMatchesScore101And102) {
  Unit u;
  u.id = 1;
  u.source = "Cancel";
  u.target = "x";
  u.context = UnitContext{"Are you sure?", "Yes", "dlg.cancel"};
  index_.Add(u);
  LookupOptions o;
  o.context.prev = "are you sure?";
  o.context.next = "Yes";
  EXPECT_DOUBLE_EQ(Find("Cancel", o).matches.at(0).score, 101);
  o.context.id = "dlg.cancel";
  EXPECT_DOUBLE_EQ(Find("Cancel", o).matches.at(0).score, 102);
  o.context = UnitContext{"Something else", "", ""};
  EXPECT_DOUBLE_EQ(Find("Cancel", o).matches.at(0).score, 100);
}

TEST_F(MatcherTest, FiltersAndCallerPenalties) {
  Unit a;
  a.id = 1, a.source = "close the window", a.target = "x";
  a.attributes.project = "p1";
  index_.Add(a);
  Unit b = a;
  b.id = 2, b.source = "close the windows";
  b.attributes.project = "p2";
  b.origin = Origin::kAlignment;
  b.alignment_confidence = 0.4;
  index_.Add(b);
  LookupOptions o;
  o.threshold = 50;
  o.filter.project = "p2";
  LookupResult r = Find("close the window", o);
  ASSERT_EQ(r.matches.size(), 1u);
  EXPECT_EQ(r.matches[0].unit.id, 2u);
  o.filter = UnitFilter{};
  o.filter.min_alignment_confidence = 0.5;
  r = Find("close the window", o);
  ASSERT_EQ(r.matches.size(), 1u);
  EXPECT_EQ(r.matches[0].unit.id, 1u);
  o.filter = UnitFilter{};
  o.attribute_penalties = {AttributePenalty{"project", "p1", 30}};
  o.memory_penalty = 2;
  r = Find("close the window", o);
  ASSERT_EQ(r.matches.size(), 2u);
  EXPECT_EQ(r.matches[0].unit.id, 1u);  // 100 - 30 - 2
  EXPECT_DOUBLE_EQ(r.matches[0].score, 68);
  EXPECT_NEAR(r.matches[1].score, 200.0 / 3 - 2, 1e-9);
  EXPECT_EQ(r.matches[0].penalties.back().kind, "attribute");
}

TEST_F(MatcherTest, ReverseLookupComparesTargets) {
  Add("one", "alif ba ta");
  LookupOptions o;
  o.side = Side::kTarget;
  LookupResult r = Find("alif ba ta", o);
  ASSERT_EQ(r.matches.size(), 1u);
  EXPECT_EQ(r.matches[0].unit.source, "one");
  EXPECT_TRUE(Find("alif ba ta").matches.empty());
}

// `r` holds exactly unit `id`, at `score` when one is given.
void ExpectOnly(const LookupResult& r, uint64_t id, std::optional<double> score = std::nullopt) {
  ASSERT_EQ(r.matches.size(), 1u);
  EXPECT_EQ(r.matches[0].unit.id, id);
  if (score.has_value()) {
    EXPECT_NEAR(r.matches[0].score, *score, 1e-9);
  }
}

// The index gives exactly what an exhaustive scan gives.
TEST_F(MatcherTest, IndexedEqualsExhaustiveOnRandomCorpus) {
  std::mt19937 rng(42);
  const std::vector<std::string> vocab = {"the", "a",   "file",  "open",  "save", "close", "window", "new",
                                          "old", "red", "blue",  "door",  "Save", "File",  "42",     "7",
                                          "is",  "not", "found", "error", "x",    "y"};
  auto sentence = [&](int len) {
    std::string s;
    for (int i = 0; i < len; ++i) {
      if (i) s += rng() % 15 == 0 ? "  " : " ";
      s += vocab[rng() % (rng() % 3 == 0 ? vocab.size() : 6)];
    }
    if (rng() % 4 == 0) s += ".";
    return s;
  };
  const std::vector<std::string> sources = AddRandomUnits(600, 10, sentence, rng);
  int compared = 0;
  for (int qi = 0; qi < 300; ++qi) {
    index_.set_peek(qi % 2 == 0);    // keys through PeekKeys, or through Keys
    index_.set_sketch(qi % 4 == 1);  // read through Keys after the sketch
    std::string q = qi % 2 ? sentence(1 + rng() % 10) : sources[rng() % sources.size()];
    if (qi % 3 == 0) q += " extra";
    for (double threshold : {50.0, 70.0, 90.0}) {
      const auto [indexed, full] = ExpectIndexedEqualsExhaustive(q, threshold);
      EXPECT_EQ(full, 600u);
      EXPECT_LE(indexed, 600u);
      ++compared;
    }
  }
  EXPECT_EQ(compared, 900);
}

// Long queries of frequent words over long posting lists (thousands of ids
// a token and length, as at a million units): the prefix and count filters
// with their read budget still give exactly the exhaustive answer, also for
// queries with repeated words and words no unit has.
TEST_F(MatcherTest, FrequentWordsIndexedEqualsExhaustive) {
  std::mt19937 rng(11);
  const std::vector<std::string> vocab = {"the", "of", "and", "to", "in", "is", "that", "it", "was", "for"};
  auto sentence = [&](int len) {
    std::string s;
    for (int i = 0; i < len; ++i) s += (i ? " " : "") + vocab[rng() % vocab.size()];
    return s;
  };
  for (int i = 0; i < 5000; ++i) Add(sentence(10 + rng() % 4), "t" + std::to_string(i));
  int compared = 0;
  for (int qi = 0; qi < 40; ++qi) {
    std::string q = sentence(8 + rng() % 8);
    if (qi % 4 == 1) q += " zebra quokka";  // words no unit has
    if (qi % 4 == 2) q += " the the of";    // repeated words
    for (double threshold : {50.0, 70.0, 90.0}) {
      const auto [indexed, full] = ExpectIndexedEqualsExhaustive(q, threshold);
      EXPECT_LT(indexed, full);
      ++compared;
    }
  }
  EXPECT_EQ(compared, 120);
}

// Units of a few rare words among many frequent ones, queries edited from
// them: the rare words' lists give few candidates, each frequent word's long
// list then only adds to their counts (galloping through the list from one
// candidate to the next, candidates that can no longer reach the bound
// dropped between lists). The answer stays the exhaustive one.
TEST_F(MatcherTest, RareAndFrequentWordsIndexedEqualsExhaustive) {
  std::mt19937 rng(23);
  const std::vector<std::string> frequent = {"the", "of", "and", "to", "in", "is", "that", "it"};
  auto rare = [&] {
    std::string w;
    for (int i = 0; i < 5; ++i) w += static_cast<char>('a' + rng() % 26);
    return w;
  };
  std::vector<std::vector<std::string>> units;
  for (int i = 0; i < 6000; ++i) {
    std::vector<std::string> words;
    const int len = 9 + static_cast<int>(rng() % 5);
    for (int j = 0; j < len; ++j) words.push_back(j < 3 ? rare() : frequent[rng() % frequent.size()]);
    std::shuffle(words.begin(), words.end(), rng);
    std::string s;
    for (const std::string& w : words) s += (s.empty() ? "" : " ") + w;
    Add(s, "t" + std::to_string(i));
    units.push_back(std::move(words));
  }
  int compared = 0;
  for (int qi = 0; qi < 60; ++qi) {
    std::vector<std::string> words = units[rng() % units.size()];
    for (int edits = 1 + static_cast<int>(rng() % 3); edits > 0; --edits) {
      const size_t at = rng() % words.size();
      switch (rng() % 3) {
        case 0: words[at] = frequent[rng() % frequent.size()]; break;
        case 1: words.insert(words.begin() + at, rare()); break;
        default: words.erase(words.begin() + at); break;
      }
    }
    std::string q;
    for (const std::string& w : words) q += (q.empty() ? "" : " ") + w;
    for (double threshold : {50.0, 70.0, 90.0}) {
      const auto [indexed, full] = ExpectIndexedEqualsExhaustive(q, threshold);
      if (threshold == 90.0) {
        EXPECT_LT(indexed * 20, full) << q;  // the filters keep few candidates
      }
      ++compared;
    }
  }
  EXPECT_EQ(compared, 180);
}

// Many units tie at the bound (the same gross score): the tie-breaks
// (penalties, raw distance, date, id) decide, with candidates dropped before
// their alignment and reads; the answer stays the exhaustive one, also with
// memory and attribute penalties, duplicates (several translations) and dates
// that do not follow the ids.
TEST_F(MatcherTest, TiesAtTheBoundEqualExhaustive) {
  std::mt19937 rng(7);
  const std::vector<std::string> fillers = {"red", "blue", "green", "door", "window", "table"};
  for (int i = 0; i < 400; ++i) {
    std::string s = rng() % 5 == 0 ? "Open" : "open";
    s += " " + fillers[rng() % fillers.size()];
    if (rng() % 3 == 0) s += " " + fillers[rng() % fillers.size()];
    if (rng() % 6 == 0) s += ".";
    Unit u;
    u.id = ++next_id_;
    u.source = s;
    u.target = "t" + std::to_string(i);
    u.changed_at_us = 1 + rng() % 20;  // many equal dates, not in id order
    u.attributes.project = rng() % 4 == 0 ? "p1" : "p2";
    index_.Add(u);
  }
  for (const char* q : {"open", "open door", "Open red blue", "open the door."}) {
    for (double threshold : {30.0, 50.0, 70.0}) {
      for (uint32_t k : {1u, 5u, 20u}) {
        for (int variant = 0; variant < 3; ++variant) {
          LookupOptions o;
          o.threshold = threshold;
          o.max_results = k;
          if (variant == 1) o.memory_penalty = 1;
          if (variant == 2) o.attribute_penalties = {AttributePenalty{"project", "p2", 1}};
          LookupResult indexed = Find(q, o);
          o.exhaustive = true;
          LookupResult full = Find(q, o);
          ASSERT_EQ(indexed.matches.size(), full.matches.size()) << q << " @" << threshold << " k" << k;
          for (size_t i = 0; i < full.matches.size(); ++i) {
            EXPECT_EQ(indexed.matches[i].unit.id, full.matches[i].unit.id)
                << q << " @" << threshold << " k" << k;
            EXPECT_DOUBLE_EQ(indexed.matches[i].score, full.matches[i].score);
            EXPECT_EQ(indexed.matches[i].penalties, full.matches[i].penalties);
          }
        }
      }
    }
  }
}

// A two-word query at 45 shares one word with thousands of two-word units:
// they all tie at 50 (one substitution), so the k best are decided by date
// and id. Taken by their date bounds (IndexView::ChangedBounds), newest
// first, the lookup stops at the first unit whose date cannot win: the
// answer of the exhaustive scan, with a few dozen units read instead of
// every one of them. Dates random (with ties), ascending or descending with
// the ids; bounds per unit, or a block's newest date for 16 or 256 ids;
// with a memory penalty, a caller's penalty, a filter, a context, and k
// from 1 to 20. Without bounds every tied unit is read.
TEST(MatcherTiesTest, TiedUnitsAreTakenNewestFirstAndEndEarly) {
  for (int dates = 0; dates < 3; ++dates) {
    for (uint64_t block : {1u, 16u, 256u}) {
      SimpleAnalyzer analyzer;
      MemoryIndex index(analyzer);
      index.set_date_block(block);
      index.set_peek(false);  // keys read through Keys(), counted
      std::mt19937 rng(5 + dates);
      const int n = 3000;
      for (int i = 0; i < n; ++i) {
        Unit u;
        u.id = static_cast<uint64_t>(i + 1);
        u.source = std::string(i % 2 ? "alpha" : "beta") + " w" + std::to_string(i);
        u.target = "t" + std::to_string(i);
        u.changed_at_us = dates == 0   ? 1 + static_cast<int64_t>(rng() % 500)
                          : dates == 1 ? 10 + i
                                       : 10 + n - i;
        u.attributes.project = rng() % 3 == 0 ? "p1" : "p2";
        index.Add(u);
      }
      for (bool known : {true, false}) {
        index.set_changed_bounds(known);
        for (uint32_t k : {1u, 5u, 20u}) {
          for (int variant = 0; variant < 5; ++variant) {
            LookupOptions o;
            o.threshold = 45;  // 50 less a penalty still matches
            o.max_results = k;
            if (variant == 1) o.memory_penalty = 1;
            if (variant == 2) o.attribute_penalties = {AttributePenalty{"project", "p2", 1}};
            if (variant == 3) o.filter.project = "p1";
            if (variant == 4) o.context.prev = "before";
            const std::string what = "dates " + std::to_string(dates) + " block " + std::to_string(block) +
                                     (known ? " bounds" : " no bounds") + " k" + std::to_string(k) +
                                     " variant " + std::to_string(variant);
            auto q = analyzer.Analyze("alpha gamma", text::Language::kEnglish);
            const size_t before = index.key_reads();
            auto indexed = Lookup(index, analyzer, *q, text::Language::kEnglish, text::Language::kArabic, o);
            const size_t reads = index.key_reads() - before;
            o.exhaustive = true;
            auto full = Lookup(index, analyzer, *q, text::Language::kEnglish, text::Language::kArabic, o);
            ASSERT_TRUE(indexed.ok() && full.ok()) << what;
            ASSERT_EQ(indexed->matches.size(), k) << what;
            ASSERT_EQ(indexed->matches.size(), full->matches.size()) << what;
            for (size_t i = 0; i < k; ++i) {
              EXPECT_EQ(indexed->matches[i].unit.id, full->matches[i].unit.id) << what << " #" << i;
              EXPECT_DOUBLE_EQ(indexed->matches[i].score, full->matches[i].score) << what;
              EXPECT_EQ(indexed->matches[i].penalties, full->matches[i].penalties) << what;
            }
            // 1,500 units have "alpha". Without bounds, each is read; with
            // them, those of the blocks newer than the k-th match's (the
            // caller's penalty and the filter pass over two thirds and one
            // third of them: their blocks count too). Random dates in blocks
            // of 256 give every block about the newest date: the bounds then
            // tell little (the answer is still the exhaustive one).
            if (!known) {
              EXPECT_GE(reads, 1500u) << what;
            } else if (variant != 3 && !(dates == 0 && block == 256)) {
              EXPECT_LT(reads, 40 * k + 3 * block + 100) << what;
            }
          }
        }
      }
    }
  }
}

// Many units of one normalised source ("Cancel", written in several ways,
// dates not in id order: updated units): the exact path reads them newest
// first and stops once no older one can rank in the top k, with the answer
// of the exhaustive scan, also with penalties, filters, a context that may
// lift a match to 101/102, dates the index does not hold, and k above the
// number of units of the best writing.
// Units of the query's words in other orders (a no-match query over long
// posting lists): with sketches, the keys of only those whose sketch
// distance lets them reach the threshold are read, with the answer of the
// exhaustive scan; without, every candidate is read.
TEST_F(MatcherTest, SketchesSpareTheReadsOfUnitsThatCannotMatch) {
  std::mt19937 rng(17);
  const std::vector<std::string> words = {"alpha", "beta", "gamma", "delta", "epsilon",
                                          "zeta",  "eta",  "theta", "iota",  "kappa"};
  for (int i = 0; i < 3000; ++i) {
    std::vector<std::string> w = words;
    std::shuffle(w.begin(), w.end(), rng);
    if (i % 3 == 0) w.pop_back();
    std::string s;
    for (const auto& x : w) s += (s.empty() ? "" : " ") + x;
    Add(s, "t" + std::to_string(i), 1 + rng() % 100);
  }
  index_.set_peek(false);
  int spared = 0;
  for (int qi = 0; qi < 40; ++qi) {
    std::vector<std::string> w = words;
    std::shuffle(w.begin(), w.end(), rng);
    if (qi % 4 == 0) w[rng() % w.size()] = "omega";
    std::string q;
    for (const auto& x : w) q += (q.empty() ? "" : " ") + x;
    for (double threshold : {50.0, 70.0, 90.0}) {
      const std::string what = q + " @" + std::to_string(threshold);
      index_.set_sketch(false);
      size_t before = index_.key_reads();
      LookupOptions o;
      o.threshold = threshold;
      const LookupResult plain = Find(q, o);
      const size_t plain_reads = index_.key_reads() - before;
      index_.set_sketch(true);
      before = index_.key_reads();
      const LookupResult sketched = Find(q, o);
      const size_t sketched_reads = index_.key_reads() - before;
      o.exhaustive = true;
      const LookupResult full = Find(q, o);
      ASSERT_EQ(sketched.matches.size(), full.matches.size()) << what;
      ASSERT_EQ(plain.matches.size(), full.matches.size()) << what;
      for (size_t i = 0; i < full.matches.size(); ++i) {
        EXPECT_EQ(sketched.matches[i].unit.id, full.matches[i].unit.id) << what;
        EXPECT_DOUBLE_EQ(sketched.matches[i].score, full.matches[i].score) << what;
        EXPECT_EQ(sketched.matches[i].penalties, full.matches[i].penalties) << what;
      }
      // What the sketches passed over is what was not read.
      EXPECT_EQ(sketched_reads + sketched.candidates_sketched, plain_reads) << what;
      EXPECT_EQ(sketched.candidates_scored, sketched_reads) << what;
      if (threshold >= 70) {
        EXPECT_GT(plain_reads, 1000u) << what;  // every unit shares its words
        EXPECT_LT(sketched_reads * 10, plain_reads) << what;
        ++spared;
      }
    }
  }
  EXPECT_EQ(spared, 80);
}

// Hundreds of units of one text, tied with each other up to their writing
// (one word written otherwise than in the query, and one more word than
// it): one unit read gives the writing difference of all of them, the
// answer is the exhaustive one (newest first among the closest writing),
// and the units read are about the k of the answer.
TEST_F(MatcherTest, DuplicatesOfOneTextShareOneWritingRead) {
  std::mt19937 rng(23);
  std::vector<uint64_t> close_ids;
  for (int i = 0; i < 600; ++i) {
    const bool close = i % 2 == 0;  // "Files" (the second query's writing) or "files"
    const uint64_t id = Add(close ? "Open the Files now please" : "Open the files now please",
                            "t" + std::to_string(i), 1 + static_cast<int64_t>(rng() % 100000));
    if (close) close_ids.push_back(id);
  }
  index_.set_peek(false);
  for (uint32_t k : {1u, 5u, 20u}) {
    for (const char* q : {"Open the FILES now", "open the Files now"}) {
      LookupOptions o;
      o.threshold = 50;
      o.max_results = k;
      const size_t before = index_.unit_reads();
      const LookupResult indexed = Find(q, o);
      const size_t reads = index_.unit_reads() - before;
      o.exhaustive = true;
      const LookupResult full = Find(q, o);
      const std::string what = std::string(q) + " k" + std::to_string(k);
      ASSERT_EQ(indexed.matches.size(), k) << what;
      ASSERT_EQ(full.matches.size(), k) << what;
      for (size_t i = 0; i < k; ++i) {
        EXPECT_EQ(indexed.matches[i].unit.id, full.matches[i].unit.id) << what;
        EXPECT_EQ(indexed.matches[i].form_distance, full.matches[i].form_distance) << what;
      }
      // Two writings: a read for each, then the k of the answer.
      EXPECT_LE(reads, k + 2) << what;
    }
  }
  // "Files" as in the query beats "files": the newest units of that writing.
  LookupOptions o;
  o.threshold = 50;
  const LookupResult r = Find("open the Files now", o);
  ASSERT_EQ(r.matches.size(), 5u);
  for (const Match& m : r.matches) {
    EXPECT_TRUE(std::find(close_ids.begin(), close_ids.end(), m.unit.id) != close_ids.end()) << m.unit.source;
  }
  for (size_t i = 1; i < r.matches.size(); ++i) {
    EXPECT_GE(r.matches[i - 1].unit.changed_at_us, r.matches[i].unit.changed_at_us);
  }
}

// Variants of one sentence, each with another word in its last place,
// written like each other where they differ from the query ("colour" where
// it has "Colour"): all tie up to their writing, and their form distances
// are known from the first unit read (a word's form distance depends only
// on how the unit writes it), not from a read each.
TEST_F(MatcherTest, VariantsWrittenAlikeShareOneWritingRead) {
  std::mt19937 rng(31);
  for (int i = 0; i < 400; ++i) {
    Add("Open the colour settings now word" + std::to_string(i), "t" + std::to_string(i),
        1 + static_cast<int64_t>(rng() % 100000));
  }
  index_.set_peek(false);
  for (uint32_t k : {1u, 5u, 20u}) {
    LookupOptions o;
    o.threshold = 50;
    o.max_results = k;
    const size_t before = index_.unit_reads();
    const LookupResult indexed = Find("Open the Colour settings now please", o);
    const size_t reads = index_.unit_reads() - before;
    o.exhaustive = true;
    const LookupResult full = Find("Open the Colour settings now please", o);
    const std::string what = "k" + std::to_string(k);
    ASSERT_EQ(indexed.matches.size(), k) << what;
    ASSERT_EQ(full.matches.size(), k) << what;
    for (size_t i = 0; i < k; ++i) {
      EXPECT_EQ(indexed.matches[i].unit.id, full.matches[i].unit.id) << what;
      EXPECT_EQ(indexed.matches[i].form_distance, 1u) << what;
      EXPECT_EQ(full.matches[i].form_distance, 1u) << what;
    }
    // One read for the writing of "colour", then the k of the answer.
    EXPECT_LE(reads, k + 1) << what;
    for (size_t i = 1; i < k; ++i) {
      EXPECT_GE(indexed.matches[i - 1].unit.changed_at_us, indexed.matches[i].unit.changed_at_us) << what;
    }
  }
}

TEST_F(MatcherTest, ManyExactDuplicatesReadNewestFirstEqualExhaustive) {
  std::mt19937 rng(11);
  const std::vector<std::string> forms = {"Cancel",  "Cancel", "Cancel",  "cancel",
                                          "Cancel.", "CANCEL", "(Cancel)"};
  for (int i = 0; i < 500; ++i) {
    Unit u;
    u.id = ++next_id_;
    u.source = forms[rng() % forms.size()];
    u.target = "t" + std::to_string(i);
    u.changed_at_us = rng() % 10 == 0 ? 1000 + rng() % 5 : 1 + rng() % 400;  // ties; updated old units
    u.attributes.project = rng() % 4 == 0 ? "p1" : "p2";
    u.context.prev = rng() % 50 == 0 ? "Are you sure?" : "";
    index_.Add(u);
  }
  Add("Cancel 2", "t");
  Add("Cancel all", "t");
  index_.set_peek(false);  // keys read through Keys(), counted
  for (bool dates : {true, false}) {
    index_.set_exact_dates(dates);
    for (const char* q : {"Cancel", "cancel.", "CANCEL", "Cancel all"}) {
      for (uint32_t k : {1u, 5u, 60u}) {
        for (int variant = 0; variant < 5; ++variant) {
          LookupOptions o;
          o.threshold = 70;
          o.max_results = k;
          if (variant == 1) o.memory_penalty = 1;
          if (variant == 2) o.attribute_penalties = {AttributePenalty{"project", "p2", 1}};
          if (variant == 3) o.context.prev = "Are you sure?";
          if (variant == 4) o.filter.project = "p1";
          const std::string what = std::string(q) + " k" + std::to_string(k) + " variant " +
                                   std::to_string(variant) + (dates ? " dates" : " no dates");
          const size_t before = index_.key_reads();
          LookupResult indexed = Find(q, o);
          const size_t reads = index_.key_reads() - before;
          o.exhaustive = true;
          LookupResult full = Find(q, o);
          ASSERT_EQ(indexed.matches.size(), full.matches.size()) << what;
          for (size_t i = 0; i < full.matches.size(); ++i) {
            EXPECT_EQ(indexed.matches[i].unit.id, full.matches[i].unit.id) << what << " #" << i;
            EXPECT_DOUBLE_EQ(indexed.matches[i].score, full.matches[i].score) << what;
            EXPECT_EQ(indexed.matches[i].penalties, full.matches[i].penalties) << what;
          }
          // The plain lookup with k = 5: with dates, of a writing units have,
          // a few dozen reads (units newer than the 5th best); of a writing
          // none has (each unit may be it), or without dates, every unit of
          // the source (423 of the 500: "(Cancel)" is another source).
          if (k == 5 && variant == 0 && std::string(q) != "Cancel all") {
            if (dates && std::string(q) != "cancel.") {
              EXPECT_LT(reads, 100u) << what;
            } else {
              EXPECT_GE(reads, 400u) << what;
            }
          }
        }
      }
    }
  }
}

// The best writing may be the oldest: the newest units of the source ("cancel")
// fill the top k first, and the older "Cancel" still displace them.
TEST_F(MatcherTest, ExactDuplicatesOlderBetterWritingsStillWin) {
  std::vector<uint64_t> best;
  for (int i = 0; i < 3; ++i) best.push_back(Add("Cancel", "old", 10 + i));
  for (int i = 0; i < 200; ++i) Add(i % 2 ? "cancel" : "Cancel.", "new", 1000 + i);
  index_.set_peek(false);
  for (uint32_t k : {1u, 3u, 5u}) {
    LookupOptions o;
    o.max_results = k;
    LookupResult r = Find("Cancel", o);
    ASSERT_EQ(r.matches.size(), k);
    for (uint32_t i = 0; i < std::min<uint32_t>(k, 3); ++i) {
      EXPECT_EQ(r.matches[i].unit.id, best[2 - i]) << "k" << k << " #" << i;  // 99, newest first
      EXPECT_DOUBLE_EQ(r.matches[i].score, 99);
    }
    for (uint32_t i = 3; i < k; ++i) EXPECT_DOUBLE_EQ(r.matches[i].score, 98);
  }
}

// Units that differ from the query only in how words are written tie on
// score, penalties and differently written words; the closer writing (fewer
// character edits) ranks first, before the newer unit.
TEST_F(MatcherTest, CloserWritingBreaksTies) {
  const uint64_t close = Add("كَتَبَ الدرس", "a");  // kataba al-dars
  const uint64_t far = Add("كُتِبَّ الدرس", "b");    // kutibba al-dars, newer
  const uint64_t bare = Add("كتب الدرس الأول", "c");
  // The query: kataba without the last fatha.
  LookupOptions o;
  o.threshold = 50;
  LookupResult r = Find("كَتَب الدرس", o);
  ASSERT_EQ(r.matches.size(), 3u);
  EXPECT_EQ(r.matches[0].unit.id, close);
  EXPECT_EQ(r.matches[1].unit.id, far);
  EXPECT_EQ(r.matches[0].form_distance, 1u);
  EXPECT_EQ(r.matches[1].form_distance, 4u);  // a->u, a->i, +fatha, +shadda
  EXPECT_EQ(r.matches[0].raw_distance, r.matches[1].raw_distance);
  EXPECT_EQ(r.matches[2].unit.id, bare);
  o.max_results = 1;
  EXPECT_EQ(Find("كَتَب الدرس", o).matches.at(0).unit.id, close);
  o.exhaustive = true;
  EXPECT_EQ(Find("كَتَب الدرس", o).matches.at(0).unit.id, close);
}

// Unit ids beyond the dense counting range are counted too.
TEST_F(MatcherTest, VeryLargeUnitIds) {
  next_id_ = (uint64_t{1} << 24) - 3;  // ids 2^24 - 2 ... 2^24 + 3
  const char* things[] = {"door", "table", "chair"};
  for (int i = 0; i < 6; ++i) {
    Add(std::string(i % 2 ? "open the red " : "open the blue ") + things[i / 2], "t");
  }
  LookupOptions o;
  o.threshold = 50;
  o.max_results = 10;
  LookupResult r = Find("open the red window", o);
  ASSERT_EQ(r.matches.size(), 6u);
  EXPECT_EQ(r.matches[0].unit.id, (uint64_t{1} << 24) + 3);  // red, newest
  EXPECT_DOUBLE_EQ(r.matches[0].score, 75);
  EXPECT_EQ(r.matches[2].unit.id, (uint64_t{1} << 24) - 1);
  EXPECT_DOUBLE_EQ(r.matches[3].score, 50);
  o.exhaustive = true;
  LookupResult full = Find("open the red window", o);
  ASSERT_EQ(full.matches.size(), 6u);
  for (size_t i = 0; i < 6; ++i) EXPECT_EQ(r.matches[i].unit.id, full.matches[i].unit.id);
  // Ids far above the others (the matcher takes any; storage keeps ids up
  // to 2^47), beside small ones.
  next_id_ = (uint64_t{1} << 61) + 4;
  Add("open the red gate", "t");
  next_id_ = (uint64_t{1} << 62) - 10;
  Add("open the red window now", "t");
  for (const char* q : {"open the red window", "open the red gate", "red gate"}) {
    for (double t : {45.0, 70.0}) ExpectIndexedEqualsExhaustive(q, t);
  }
  EXPECT_EQ(Find("open the red gate").matches.at(0).unit.id, (uint64_t{1} << 61) + 5);
}

TEST(MergeResults, KeepsBestAcrossMemories) {
  LookupResult a, b;
  Match m1, m2, m3;
  m1.score = 90, m1.unit.id = 1;
  m2.score = 95, m2.unit.id = 2;
  m3.score = 80, m3.unit.id = 3;
  a.matches = {m1, m3};
  a.candidates_scored = 4;
  b.matches = {m2};
  b.candidates_scored = 2;
  LookupResult r = MergeResults({a, b}, 2);
  ASSERT_EQ(r.matches.size(), 2u);
  EXPECT_EQ(r.matches[0].unit.id, 2u);
  EXPECT_EQ(r.matches[1].unit.id, 1u);
  EXPECT_EQ(r.candidates_scored, 6u);
}

// A query word no unit has, one character edit from a word of a unit (a
// typo), counts as a partial edit: 1 / the longer word's length.
TEST_F(MatcherTest, TypoedWordIsAPartialEdit) {
  const uint64_t memory = Add("Out of memory", "T1");
  const uint64_t report = Add("Custom Multicolumn Report", "T2");
  const uint64_t sort = Add("Sort by description.", "T3");
  Add("Out of range", "T4");
  LookupOptions o;
  o.threshold = 75;
  LookupResult r = Find("Out of mmory", o);  // a letter dropped
  ASSERT_EQ(r.matches.size(), 1u);
  EXPECT_EQ(r.matches[0].unit.id, memory);
  EXPECT_NEAR(r.matches[0].score, 100.0 * (1 - (1.0 / 6) / 3), 1e-9);
  EXPECT_EQ(r.matches[0].edits, 1u);
  ASSERT_EQ(r.matches[0].diffs.size(), 1u);
  EXPECT_EQ(r.matches[0].diffs[0].kind, DiffSpan::kReplace);
  ExpectOnly(Find("Custom Multicolumn Rpeort", o), report,
             100.0 * (1 - (1.0 / 6) / 3));  // two letters swapped
  ExpectOnly(Find("Sot by description.", o), sort,
             100.0 * (1 - (1.0 / 4) / 3));        // the shorter word: 3 letters
  ExpectOnly(Find("Out of memorys", o), memory);  // a letter added
  ExpectOnly(Find("Out of memery", o), memory);   // a letter replaced
  // An exact match still ranks first, a typo below it.
  r = Find("Out of memory", o);
  ASSERT_GE(r.matches.size(), 1u);
  EXPECT_DOUBLE_EQ(r.matches[0].score, 100);
}

// Not typos: a word the memory knows, a word two edits away, short words.
TEST_F(MatcherTest, DifferentWordsAreNoTypos) {
  Add("Open the form", "T1");
  Add("Close the from", "T2");
  Add("Open the window", "T3");
  Add("Save as file", "T4");
  LookupOptions o;
  o.threshold = 75;
  // "from" is a word of the memory: not a typo of "form".
  LookupResult r = Find("Open the from", o);
  EXPECT_TRUE(r.matches.empty()) << r.matches[0].unit.source << " " << r.matches[0].score;
  EXPECT_TRUE(Find("Open the wndw", o).matches.empty());  // two edits
  EXPECT_TRUE(Find("Save an file", o).matches.empty());   // "an": two letters
  // Other scripts and mixed tokens have no typo neighbours either.
  EXPECT_TRUE(Find("Open the wind0w", o).matches.empty());
}

// Arabic words have typos too (harakat are already folded by the keys).
TEST_F(MatcherTest, ArabicTypo) {
  const uint64_t id = Add("Open the new file", "افتح الملف الجديد");
  LookupOptions o;
  o.threshold = 75;
  o.side = Side::kTarget;
  ExpectOnly(Find("افتح المف الجديد", o), id, 100.0 * (1 - (1.0 / 5) / 3));  // a letter dropped
  ExpectOnly(Find("افتح الملف الجدبد", o), id);                              // a letter replaced
}

TEST(TypoVariantsTest, OneEditVariants) {
  auto has = [](const std::vector<TypoVariant>& vs, std::string_view w) {
    return std::any_of(vs.begin(), vs.end(), [&](const TypoVariant& v) { return v.text == w; });
  };
  std::vector<TypoVariant> vs = TypoVariants("form");
  EXPECT_TRUE(has(vs, "from"));   // swap
  EXPECT_TRUE(has(vs, "for"));    // deletion
  EXPECT_TRUE(has(vs, "forms"));  // insertion
  EXPECT_TRUE(has(vs, "farm"));   // replacement
  EXPECT_FALSE(has(vs, "form"));
  EXPECT_FALSE(has(vs, "fo"));
  // 4 deletions + 3 swaps + 4 * 25 replacements + 5 * 26 insertions, less repeats.
  EXPECT_LE(vs.size(), 4u + 3 + 100 + 130);
  EXPECT_GT(vs.size(), 200u);
  vs = TypoVariants("sot");  // 3 letters: only insertions (the longer word has 4)
  EXPECT_TRUE(has(vs, "sort"));
  EXPECT_FALSE(has(vs, "so"));
  EXPECT_FALSE(has(vs, "sat"));
  // Marks of mnemonics and compounds: kept, never inserted; letters count.
  EXPECT_TRUE(has(TypoVariants("_idth"), "_width"));
  EXPECT_TRUE(has(TypoVariants("_trasnlation"), "_translation"));
  EXPECT_FALSE(has(TypoVariants("width"), "_width"));
  EXPECT_TRUE(TypoVariants("_of").empty());
  EXPECT_TRUE(TypoVariants("of").empty());
  EXPECT_TRUE(TypoVariants("wind0w").empty());
  EXPECT_TRUE(TypoVariants("café").empty());
  vs = TypoVariants("الملف");
  EXPECT_TRUE(has(vs, "الملفا"));
  EXPECT_TRUE(has(vs, "المف"));
  for (const TypoVariant& v : vs) EXPECT_GE(v.length, 4u);
}

// With typos in the queries, the index still gives what an exhaustive scan
// gives (typo neighbours widen the candidates' lists; the shared-token bound
// counts a typo pair as shared).
TEST_F(MatcherTest, TyposIndexedEqualsExhaustive) {
  std::mt19937 rng(7);
  const std::vector<std::string> vocab = {"account", "balance", "report",   "invoice", "customer",
                                          "vendor",  "payment", "transfer", "budget",  "ledger",
                                          "period",  "of",      "the",      "new",     "open",
                                          "close",   "form",    "from",     "42"};
  auto sentence = [&](int len) {
    std::string s;
    for (int i = 0; i < len; ++i) s += (i ? " " : "") + vocab[rng() % vocab.size()];
    return s;
  };
  auto typo = [&](std::string s) {
    // One edit in one word of 3+ letters.
    std::vector<std::pair<size_t, size_t>> words;
    for (size_t i = 0; i < s.size();) {
      size_t j = s.find(' ', i);
      if (j == std::string::npos) j = s.size();
      if (j - i >= 3 && !std::isdigit(static_cast<unsigned char>(s[i]))) words.emplace_back(i, j);
      i = j + 1;
    }
    if (words.empty()) return s;
    auto [b, e] = words[rng() % words.size()];
    const size_t at = b + rng() % (e - b - 1);
    switch (rng() % 4) {
      case 0: s.erase(at, 1); break;
      case 1: std::swap(s[at], s[at + 1]); break;
      case 2: s.insert(at, 1, static_cast<char>('a' + rng() % 26)); break;
      default: s[at] = static_cast<char>('a' + rng() % 26); break;
    }
    return s;
  };
  const std::vector<std::string> sources = AddRandomUnits(800, 8, sentence, rng);
  int compared = 0, typo_matches = 0;
  for (int qi = 0; qi < 300; ++qi) {
    index_.set_peek(qi % 2 == 0);
    index_.set_sketch(qi % 4 == 1);  // a typo pair's unit passes its sketch
    std::string q = typo(qi % 3 ? sources[rng() % sources.size()] : sentence(1 + rng() % 8));
    if (qi % 5 == 0) q = typo(q);
    for (double threshold : {50.0, 70.0, 90.0}) {
      ExpectIndexedEqualsExhaustive(q, threshold);
      ++compared;
    }
    LookupOptions o;
    o.threshold = 70;
    const size_t q_len = analyzer_.Analyze(q, text::Language::kEnglish)->key.tokens.size();
    for (const Match& m : Find(q, o).matches) {
      const size_t u_len = analyzer_.Analyze(m.unit.source, text::Language::kEnglish)->key.tokens.size();
      if (m.gross > GrossScore(m.edits, q_len, u_len) + 1e-9) ++typo_matches;  // a typo pair's cost
    }
  }
  EXPECT_EQ(compared, 900);
  EXPECT_GT(typo_matches, 50);
}

}  // namespace
}  // namespace qantara::match
