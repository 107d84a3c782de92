// The CLI's output (clients/cli/render_memory.h, render_text.h): the text and
// JSON of lookup, concordance, memory list/show, add, segment and tokenize,
// made from server answers built here (no server).
#include <string>

#include "clients/cli/render_memory.h"
#include "clients/cli/render_text.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace qantara::cli {
namespace {

namespace v1 = qantara::v1;
using ::testing::HasSubstr;

v1::LookupResponse OneMatch() {
  v1::LookupResponse resp;
  v1::Match* m = resp.add_matches();
  m->set_score(85);
  m->set_gross_score(90);
  v1::Penalty* p = m->add_penalties();
  p->set_kind("tags");
  p->set_points(5);
  m->set_source("the red car");
  m->set_target("السيارة الحمراء");
  m->set_unit_id(12345678901234ULL);
  m->set_memory("tm");
  v1::DiffSpan* d = m->add_diffs();
  d->set_kind("replace");
  d->set_query_begin(4);
  d->set_query_end(8);
  d->set_source_begin(4);
  d->set_source_end(7);
  resp.set_candidates_scored(3);
  return resp;
}

TEST(RenderTest, LookupText) {
  LookupArgs args;
  EXPECT_EQ(RenderLookup(OneMatch(), args),
            " 85.0  (gross 90.0; tags -5)  unit 12345678901234 in tm\n"
            "   source: the [red] car\n"
            "   target: السيارة الحمراء\n"
            "(3 candidates scored)\n");
}

TEST(RenderTest, LookupTextNoMatch) {
  LookupArgs args;
  args.threshold = 75;
  EXPECT_EQ(RenderLookup(v1::LookupResponse(), args), "no match at or above 75\n(0 candidates scored)\n");
}

TEST(RenderTest, LookupJson) {
  LookupArgs args;
  args.json = true;
  const nlohmann::json j = nlohmann::json::parse(RenderLookup(OneMatch(), args));
  ASSERT_EQ(j["matches"].size(), 1u);
  const nlohmann::json& m = j["matches"][0];
  EXPECT_EQ(m["score"], 85);
  EXPECT_EQ(m["gross_score"], 90);
  EXPECT_EQ(m["penalties"][0]["kind"], "tags");
  EXPECT_EQ(m["penalties"][0]["points"], 5);
  EXPECT_EQ(m["source"], "the red car");
  EXPECT_EQ(m["target"], "السيارة الحمراء");
  EXPECT_EQ(m["unit_id"], "12345678901234");  // a string: JSON numbers lose 64-bit ids
  EXPECT_EQ(m["memory"], "tm");
  EXPECT_EQ(m["adapted"], false);
  EXPECT_FALSE(m.contains("adapted_target"));
  EXPECT_EQ(m["diffs"][0]["source"], nlohmann::json::array({4, 7}));
  EXPECT_EQ(j["candidates_scored"], 3);
}

v1::ConcordanceResponse OneHit() {
  v1::ConcordanceResponse resp;
  v1::ConcordanceHit* h = resp.add_hits();
  h->mutable_unit()->set_unit_id(7);
  h->mutable_unit()->set_source("a red car");
  h->mutable_unit()->set_target("سيارة حمراء");
  v1::Span* s = h->add_spans();
  s->set_begin(2);
  s->set_end(5);
  resp.set_next_page_token("AQc99");
  return resp;
}

TEST(RenderTest, ConcordanceText) {
  ConcordanceArgs args;
  EXPECT_EQ(RenderConcordance(OneHit(), args), "7\ta [red] car\tسيارة حمراء\n(more: --page-token AQc99)\n");
}

TEST(RenderTest, ConcordanceJson) {
  ConcordanceArgs args;
  args.json = true;
  const nlohmann::json j = nlohmann::json::parse(RenderConcordance(OneHit(), args));
  ASSERT_EQ(j["hits"].size(), 1u);
  EXPECT_EQ(j["hits"][0]["unit_id"], "7");
  EXPECT_EQ(j["hits"][0]["source"], "a red car");
  EXPECT_EQ(j["hits"][0]["spans"], nlohmann::json::parse("[[2, 5]]"));
  EXPECT_EQ(j["next_page_token"], "AQc99");
}

v1::FragmentsResponse TwoFragments() {
  v1::FragmentsResponse resp;
  v1::Fragment* f = resp.add_fragments();
  f->set_source("مجلس الأمن");
  f->set_target("Security Council");
  f->set_confidence(2.0 / 3);
  f->add_unit_ids(6);
  f->add_unit_ids(5);
  f->set_supporting_units(2);
  f->mutable_source_span()->set_begin(7);
  f->mutable_source_span()->set_end(26);
  f->set_first_word(1);
  f->set_words(2);
  resp.set_text_words(5);
  resp.set_covered_words(2);
  return resp;
}

TEST(RenderTest, FragmentsText) {
  FragmentsArgs args;
  EXPECT_EQ(RenderFragments(TwoFragments(), args),
            "0.67\tمجلس الأمن\tSecurity Council\tunits 6,5 (of 2)\n(2 of 5 words covered)\n");
  EXPECT_EQ(RenderFragments(v1::FragmentsResponse(), args), "(0 of 0 words covered)\n");
}

TEST(RenderTest, FragmentsJson) {
  FragmentsArgs args;
  args.json = true;
  const nlohmann::json j = nlohmann::json::parse(RenderFragments(TwoFragments(), args));
  ASSERT_EQ(j["fragments"].size(), 1u);
  EXPECT_EQ(j["fragments"][0]["source"], "مجلس الأمن");
  EXPECT_EQ(j["fragments"][0]["target"], "Security Council");
  EXPECT_NEAR(j["fragments"][0]["confidence"].get<double>(), 2.0 / 3, 1e-9);
  EXPECT_EQ(j["fragments"][0]["unit_ids"], nlohmann::json::parse(R"(["6", "5"])"));
  EXPECT_EQ(j["fragments"][0]["supporting_units"], 2);
  EXPECT_EQ(j["fragments"][0]["source_span"], nlohmann::json::parse("[7, 26]"));
  EXPECT_EQ(j["fragments"][0]["first_word"], 1);
  EXPECT_EQ(j["fragments"][0]["words"], 2);
  EXPECT_EQ(j["text_words"], 5);
  EXPECT_EQ(j["covered_words"], 2);
}

v1::Memory Tm() {
  v1::Memory m;
  m.set_name("tm");
  m.set_source_lang("ar");
  m.set_target_lang("en");
  m.set_units(42);
  m.set_description("laws");
  m.mutable_create_time()->set_nanos(1000000);
  return m;
}

TEST(RenderTest, MemoryListText) {
  v1::ListMemoriesResponse resp;
  *resp.add_memories() = Tm();
  EXPECT_EQ(RenderMemoryList(resp, false), "tm\tar -> en\t42 units\n");
}

TEST(RenderTest, MemoryListJson) {
  v1::ListMemoriesResponse resp;
  *resp.add_memories() = Tm();
  const nlohmann::json j = nlohmann::json::parse(RenderMemoryList(resp, true));
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["name"], "tm");
  EXPECT_EQ(j[0]["units"], 42);
  EXPECT_EQ(RenderMemoryList(v1::ListMemoriesResponse(), true), "[]\n");
}

TEST(RenderTest, MemoryShowText) {
  EXPECT_EQ(RenderMemory(Tm(), false), "name: tm\nlanguages: ar -> en\nunits: 42\ndescription: laws\n");
}

TEST(RenderTest, MemoryShowJson) {
  const nlohmann::json j = nlohmann::json::parse(RenderMemory(Tm(), true));
  EXPECT_EQ(j, nlohmann::json::parse(R"({"name": "tm", "source_lang": "ar", "target_lang": "en",
      "units": 42, "description": "laws", "created_at_us": 1000})"));
}

TEST(RenderTest, AddUnit) {
  v1::AddUnitResponse resp;
  resp.set_unit_id(5);
  resp.set_outcome(v1::ADD_OUTCOME_ADDED);
  EXPECT_EQ(RenderAddUnit(resp), "added unit 5\n");
  resp.set_outcome(v1::ADD_OUTCOME_SKIPPED);
  EXPECT_EQ(RenderAddUnit(resp), "skipped (identical unit exists) unit 5\n");
  resp.set_outcome(v1::ADD_OUTCOME_OVERWRITTEN);
  EXPECT_EQ(RenderAddUnit(resp), "overwrote target of unit 5\n");
}

TEST(RenderTest, AddUnits) {
  v1::AddUnitsResponse resp;
  resp.set_added(3);
  resp.set_skipped(2);
  resp.set_overwritten(1);
  EXPECT_EQ(RenderAddUnits(resp), "added 3, skipped 2, overwritten 1\n");
}

TEST(RenderTest, Segment) {
  v1::SegmentResponse resp;
  resp.add_sentences()->set_text("جملة أولى.");
  resp.add_sentences()->set_text("");
  resp.add_sentences()->set_text("Second.");
  EXPECT_EQ(RenderSegment(resp), "جملة أولى.\n\nSecond.\n");
}

v1::TokenizeResponse Tokens() {
  v1::TokenizeResponse resp;
  v1::Token* t = resp.add_tokens();
  t->set_text("والكتاب");
  t->set_token_class(v1::TOKEN_CLASS_WORD);
  t->set_byte_begin(0);
  t->set_byte_end(14);
  t->set_char_begin(0);
  t->set_char_end(7);
  t->set_norm("والكتاب");
  t->add_proclitics("و");
  t->add_proclitics("ال");
  t->set_base("كتاب");
  v1::Token* p = resp.add_tokens();
  p->set_text("a\tb");
  p->set_token_class(v1::TOKEN_CLASS_PUNCTUATION);
  p->set_norm("a\tb");
  resp.add_rules_applied("alef");
  return resp;
}

TEST(RenderTest, TokenizeText) {
  TokenizeArgs args;
  EXPECT_EQ(RenderTokenize(Tokens(), args), "والكتاب\tword\tوالكتاب\na\\tb\tpunctuation\ta\\tb\n");
  args.clitics = true;
  args.stem = true;
  EXPECT_EQ(RenderTokenize(Tokens(), args),
            "والكتاب\tword\tوالكتاب\t-\tو+ال+كتاب\na\\tb\tpunctuation\ta\\tb\t-\t-\n");
}

TEST(RenderTest, TokenizeJson) {
  TokenizeArgs args;
  args.json = true;
  args.lang = "ar";
  args.clitics = true;
  const nlohmann::json j = nlohmann::json::parse(RenderTokenize(Tokens(), args));
  EXPECT_EQ(j["language"], "ar");
  EXPECT_EQ(j["rules"], nlohmann::json::array({"alef"}));
  ASSERT_EQ(j["tokens"].size(), 2u);
  EXPECT_EQ(j["tokens"][0]["class"], "word");
  EXPECT_EQ(j["tokens"][0]["byte_end"], 14);
  EXPECT_EQ(j["tokens"][0]["char_end"], 7);
  EXPECT_EQ(j["tokens"][0]["proclitics"], nlohmann::json::array({"و", "ال"}));
  EXPECT_EQ(j["tokens"][0]["base"], "كتاب");
  EXPECT_FALSE(j["tokens"][0].contains("stem"));  // only with --stem
  EXPECT_EQ(j["tokens"][1]["text"], "a\tb");      // JSON escapes; no \t by hand
}

}  // namespace
}  // namespace qantara::cli
