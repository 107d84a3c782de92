// The Arabic/English normalizer: each rule (harakat, alef forms, tatweel,
// digits, bidi marks, NFKC, case, quotes), offsets back to the original,
// invalid UTF-8, large input and concurrent use.
#include "service/text/normalizer.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace qantara::text {
namespace {

std::string KeyOf(std::string_view text, const NormalizationOptions& o = NormalizationOptions::All()) {
  auto n = Normalizer::Create(o);
  EXPECT_TRUE(n.ok()) << n.status();
  auto k = (*n)->Key(text);
  EXPECT_TRUE(k.ok()) << k.status();
  // Key() and Normalize() always agree.
  auto full = (*n)->Normalize(text);
  EXPECT_TRUE(full.ok());
  EXPECT_EQ(full->text, *k);
  return *k;
}

NormalizationOptions Only(bool NormalizationOptions::*rule) {
  NormalizationOptions o = NormalizationOptions::None();
  o.*rule = true;
  return o;
}

NormalizationOptions AllBut(bool NormalizationOptions::*rule) {
  NormalizationOptions o = NormalizationOptions::All();
  o.*rule = false;
  return o;
}

// Every offset is a character start of the original, non-decreasing, and
// the last one is the input size.
void ExpectOffsetsValid(std::string_view original, const NormalizedText& n) {
  ASSERT_EQ(n.source_offsets.size(), n.text.size() + 1);
  EXPECT_EQ(n.source_offsets.back(), original.size());
  for (size_t i = 0; i < n.text.size(); ++i) {
    ASSERT_LT(n.source_offsets[i], original.size());
    EXPECT_NE(static_cast<unsigned char>(original[n.source_offsets[i]]) & 0xC0, 0x80)
        << "offset " << i << " points into the middle of a character";
    if (i > 0) {
      EXPECT_LE(n.source_offsets[i - 1], n.source_offsets[i]);
    }
  }
}

TEST(NormalizationOptions, BitsRecordEachRule) {
  EXPECT_EQ(NormalizationOptions::None().Bits(), 0u);
  EXPECT_EQ(NormalizationOptions::All().Bits(), (1u << 11) - 1);
  EXPECT_EQ(AllBut(&NormalizationOptions::ta_marbuta_to_ha).Bits(),
            ((1u << 11) - 1) & ~static_cast<uint32_t>(kRuleTaMarbutaToHa));
  EXPECT_EQ(Only(&NormalizationOptions::fold_case).Bits(), static_cast<uint32_t>(kRuleFoldCase));
  for (uint32_t bits : {0u, 5u, 0x2AAu, 0x7FFu}) {
    EXPECT_EQ(NormalizationOptions::FromBits(bits).Bits(), bits);
  }
}

TEST(NormalizationRule, NamesRoundTrip) {
  uint32_t all = 0;
  for (NormalizationRule r : kAllNormalizationRules) {
    auto parsed = ParseNormalizationRule(NormalizationRuleName(r));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, r);
    all |= r;
  }
  EXPECT_EQ(all, NormalizationOptions::All().Bits());
  EXPECT_EQ(*ParseNormalizationRule("format-marks"), kRuleStripFormatMarks);
  EXPECT_EQ(*ParseNormalizationRule("ta_marbuta"), kRuleTaMarbutaToHa);
  auto bad = ParseNormalizationRule("vowels");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(bad.status().message()).find("diacritics"), std::string::npos);
  EXPECT_EQ(NormalizationRuleNames(kRuleNfkc | kRuleFoldCase),
            (std::vector<std::string_view>{"nfkc", "fold_case"}));
}

TEST(Normalizer, KeyRecordsRules) {
  NormalizationOptions o = AllBut(&NormalizationOptions::hamza_carriers);
  auto n = Normalizer::Create(o);
  ASSERT_TRUE(n.ok());
  auto r = (*n)->Normalize("x");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rules, o.Bits());
  EXPECT_EQ(r->rules & kRuleHamzaCarriers, 0u);
  EXPECT_EQ((*n)->options().Bits(), o.Bits());
}

TEST(Normalizer, StripsHarakatAndQuranicMarks) {
  // كَتَبَ الطَّالِبُ الدَّرْسَ
  EXPECT_EQ(KeyOf("كَتَبَ الطَّالِبُ الدَّرْسَ"), "كتب الطالب الدرس");
  EXPECT_EQ(KeyOf("مُحَمَّدٌ"), "محمد");                                // damma, fatha, shadda, tanween
  EXPECT_EQ(KeyOf("كِتَابًا"), "كتابا");                              // tanween fath
  EXPECT_EQ(KeyOf("ذٰلِكَ"), "ذلك");                                  // superscript alef U+0670
  EXPECT_EQ(KeyOf("الرَّحِيمِ ۝"), "الرحيم ۝");  // end of ayah (not a mark) stays
  EXPECT_EQ(KeyOf("عَلَيۡهِمۡ"), "عليهم");                              // Quranic sukun U+06E1
  EXPECT_EQ(KeyOf("كَتَبَ", AllBut(&NormalizationOptions::strip_diacritics)), "كَتَبَ");
  EXPECT_EQ(KeyOf("كَتَبَ", Only(&NormalizationOptions::strip_diacritics)), "كتب");
}

TEST(Normalizer, ShaddaBeforeOrAfterVowelIsTheSame) {
  // Canonical order differs (fatha+shadda vs shadda+fatha); the keys must not.
  NormalizationOptions o = AllBut(&NormalizationOptions::strip_diacritics);
  EXPECT_EQ(KeyOf("مَّ", o), KeyOf("مَّ", o));
  EXPECT_EQ(KeyOf("مَّ"), "م");
}

TEST(Normalizer, UnifiesEachAlefForm) {
  EXPECT_EQ(KeyOf("آ"), "ا");  // madda
  EXPECT_EQ(KeyOf("أ"), "ا");  // hamza above
  EXPECT_EQ(KeyOf("إ"), "ا");  // hamza below
  EXPECT_EQ(KeyOf("ٱ"), "ا");  // wasla
  EXPECT_EQ(KeyOf("أحمد إبراهيم آمن ٱلله"), "احمد ابراهيم امن الله");
  // Decomposed forms (alef + combining hamza/madda) compose under NFKC, then unify.
  EXPECT_EQ(KeyOf("\u0627\u0654"), "ا");
  EXPECT_EQ(KeyOf("\u0627\u0653"), "ا");
  NormalizationOptions keep = AllBut(&NormalizationOptions::unify_alef);
  EXPECT_EQ(KeyOf("أحمد", keep), "أحمد");
  keep.strip_diacritics = false;
  EXPECT_EQ(KeyOf("\u0627\u0654", keep), "أ");  // NFKC composes
}

TEST(Normalizer, Tatweel) {
  EXPECT_EQ(KeyOf("كـــتـــاب"), "كتاب");
  EXPECT_EQ(KeyOf("كـتاب", AllBut(&NormalizationOptions::strip_tatweel)), "كـتاب");
}

TEST(Normalizer, AlefMaqsuraTaMarbutaHamzaCarriers) {
  EXPECT_EQ(KeyOf("مستشفى"), "مستشفي");
  EXPECT_EQ(KeyOf("مدرسة"), "مدرسه");
  EXPECT_EQ(KeyOf("مسؤول"), "مسوول");
  EXPECT_EQ(KeyOf("رئيس"), "رييس");
  EXPECT_EQ(KeyOf("مستشفى", AllBut(&NormalizationOptions::alef_maqsura_to_ya)), "مستشفى");
  EXPECT_EQ(KeyOf("مدرسة", AllBut(&NormalizationOptions::ta_marbuta_to_ha)), "مدرسة");
  EXPECT_EQ(KeyOf("مسؤول رئيس", AllBut(&NormalizationOptions::hamza_carriers)), "مسؤول رئيس");
  // The spellings translators mix up meet in one key.
  EXPECT_EQ(KeyOf("إلى المدرسة"), KeyOf("الي المدرسه"));
}

TEST(Normalizer, DigitsInBothScripts) {
  EXPECT_EQ(KeyOf("٠١٢٣٤٥٦٧٨٩"), "0123456789");  // Arabic-Indic
  EXPECT_EQ(KeyOf("۰۱۲۳۴۵۶۷۸۹"), "0123456789");  // Extended (Persian/Urdu)
  EXPECT_EQ(KeyOf("عام ٢٠٢٤"), KeyOf("عام 2024"));
  EXPECT_EQ(KeyOf("٣٫٥ و١٬٠٠٠ و٥٠٪"), "3.5 و1,000 و50%");
  EXPECT_EQ(KeyOf("٢٠٢٤", AllBut(&NormalizationOptions::fold_digits)), "٢٠٢٤");
}

TEST(Normalizer, BidiAndFormatMarks) {
  const std::string marked =
      "\u200F\u0645\u0631\u062D\u0628\u0627\u200E \u202Bhello\u202C \u2067x\u2069\u061C"
      "\u200Bz\u200D\uFEFF";
  EXPECT_EQ(KeyOf(marked), "مرحبا hello xz");
  EXPECT_EQ(KeyOf("a\u200Eb", AllBut(&NormalizationOptions::strip_format_marks)), "a\u200Eb");
}

TEST(Normalizer, PresentationFormsFoldUnderNfkc) {
  // ﻻ (lam-alef ligature), ﷲ, isolated/final forms.
  EXPECT_EQ(KeyOf("\uFEFB"), "لا");
  EXPECT_EQ(KeyOf("\uFE8D\uFEDF\uFEE4\uFEAE\uFE8E\uFE93"), "المراه");
  EXPECT_EQ(KeyOf("\uFEFB", AllBut(&NormalizationOptions::nfkc)), "\uFEFB");
  // Full-width Latin and ligatures.
  EXPECT_EQ(KeyOf("ＡＢＣ ﬁle"), "abc file");
}

TEST(Normalizer, ArabicPunctuationStaysArabic) { EXPECT_EQ(KeyOf("نعم، لا؛ لماذا؟"), "نعم، لا؛ لماذا؟"); }

TEST(Normalizer, CaseFolding) {
  EXPECT_EQ(KeyOf("Hello WORLD"), "hello world");
  EXPECT_EQ(KeyOf("Straße ÉCOLE"), "strasse école");
  EXPECT_EQ(KeyOf("ΣΟΦΙΑ"), "σοφια");
  EXPECT_EQ(KeyOf("Hello", AllBut(&NormalizationOptions::fold_case)), "Hello");
}

TEST(Normalizer, QuotesAndDashes) {
  EXPECT_EQ(KeyOf("\u201Cquoted\u201D \u2018single\u2019 \u00ABقال\u00BB"), "\"quoted\" 'single' \"قال\"");
  EXPECT_EQ(KeyOf("a\u2013b\u2014c\u2212d\u2010e"), "a-b-c-d-e");
  EXPECT_EQ(KeyOf("it\u2019s", AllBut(&NormalizationOptions::unify_punctuation)), "it\u2019s");
  // NFKC expands the ellipsis; with NFKC off it stays.
  EXPECT_EQ(KeyOf("wait\u2026"), "wait...");
  EXPECT_EQ(KeyOf("wait\u2026", Only(&NormalizationOptions::unify_punctuation)), "wait\u2026");
}

TEST(Normalizer, MixedArabicAndLatin) {
  EXPECT_EQ(KeyOf("نظام Linux الإصدار ٥ (Version 5)"), "نظام linux الاصدار 5 (version 5)");
}

TEST(Normalizer, NoneChangesNothing) {
  const std::string s = "كَتَبَ Ｈello \u200F٢٠ ﻻ “x”";
  EXPECT_EQ(KeyOf(s, NormalizationOptions::None()), s);
}

TEST(Normalizer, EmptyInput) {
  auto n = Normalizer::Create();
  ASSERT_TRUE(n.ok());
  auto r = (*n)->Normalize("");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->text, "");
  EXPECT_EQ(r->source_offsets, std::vector<uint32_t>{0});
  EXPECT_EQ(*(*n)->Key(""), "");
}

TEST(Normalizer, InvalidUtf8IsAClearError) {
  auto n = Normalizer::Create();
  ASSERT_TRUE(n.ok());
  for (const std::string& bad :
       {std::string("ab\xD9"), std::string("\xC0\xAF"), std::string("سلام\xED\xA0\x80"),
        std::string("x\xFFy"), std::string("\xD9\x85\xD9")}) {
    auto r = (*n)->Normalize(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(std::string(r.status().message()).find("invalid UTF-8 at byte offset"), std::string::npos);
    EXPECT_FALSE((*n)->Key(bad).ok());
  }
  auto r = (*n)->Normalize("ab\xD9");
  EXPECT_NE(std::string(r.status().message()).find("offset 2"), std::string::npos);
  // A bad byte inside a combining sequence is caught too.
  EXPECT_FALSE((*n)->Normalize("\xD8\xA8\xD9\x8E\xD9").ok());
}

TEST(Normalizer, OffsetsPointBackToTheOriginal) {
  auto n = Normalizer::Create();
  ASSERT_TRUE(n.ok());
  const std::string original = "\u200Fأَحْمَدُ ﻻ Straße ٢٠٢٤ “x” كـتاب";
  auto r = (*n)->Normalize(original);
  ASSERT_TRUE(r.ok());
  ExpectOffsetsValid(original, *r);
  EXPECT_EQ(r->text, "احمد لا strasse 2024 \"x\" كتاب");
  // "احمد" starts at the alef after the RLM (3 bytes).
  EXPECT_EQ(r->source_offsets[0], 3u);
  // Span of "strasse" in the key maps back to "Straße" in the original.
  const size_t k = r->text.find("strasse");
  const size_t o = original.find("Straße");
  EXPECT_EQ(r->source_offsets[k], o);
  EXPECT_EQ(r->source_offsets[k + 7], o + std::string("Straße").size());
  // Both bytes of ASCII "ss" come from ß.
  EXPECT_EQ(r->source_offsets[k + 4], o + 4);
  EXPECT_EQ(r->source_offsets[k + 5], o + 4);
  // Every byte of the ligature's expansion points at the ligature.
  const size_t lam = r->text.find("لا");
  EXPECT_EQ(r->source_offsets[lam], original.find("ﻻ"));
  EXPECT_EQ(r->source_offsets[lam + 3], original.find("ﻻ"));
  // Digits map one to one.
  const size_t d = r->text.find("2024");
  EXPECT_EQ(r->source_offsets[d + 1], original.find("٢٠٢٤") + 2);
}

TEST(Normalizer, OffsetsValidUnderEveryRuleSet) {
  const std::string original = "كَتَبَ الطَّالِبُ \u0627\u0654 Ｈello \u200F٢٠ ﻻ “x” e\u0301 ﷺ 한국어 😀 ß İ";
  for (uint32_t bits = 0; bits < (1u << 11); bits += 37) {
    auto n = Normalizer::Create(NormalizationOptions::FromBits(bits));
    ASSERT_TRUE(n.ok());
    auto r = (*n)->Normalize(original);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->rules, bits);
    ExpectOffsetsValid(original, *r);
    EXPECT_EQ(*(*n)->Key(original), r->text);
  }
}

TEST(Normalizer, CombiningSequencesOutsideArabic) {
  EXPECT_EQ(KeyOf("e\u0301cole"), "école");  // composes under NFKC
  EXPECT_EQ(KeyOf("\u0301x"), "\u0301x");    // a lone mark at the start survives
}

TEST(Normalizer, TenMegabyteInput) {
  std::string unit = "قالَ المسؤولُ إنّ الاجتماعَ سيُعقد في ٢٠٢٤ (Meeting \u201CQ3\u201D). ";
  std::string big;
  while (big.size() < 10 * 1024 * 1024) big += unit;
  auto n = Normalizer::Create();
  ASSERT_TRUE(n.ok());
  auto r = (*n)->Normalize(big);
  ASSERT_TRUE(r.ok());
  const std::string unit_key = *(*n)->Key(unit);
  ASSERT_EQ(r->text.size() % unit_key.size(), 0u);
  EXPECT_EQ(r->text.substr(0, unit_key.size()), unit_key);
  EXPECT_EQ(r->text.substr(r->text.size() - unit_key.size()), unit_key);
  ASSERT_EQ(r->source_offsets.size(), r->text.size() + 1);
  EXPECT_EQ(r->source_offsets.back(), big.size());
  EXPECT_EQ(r->source_offsets[r->text.size() - unit_key.size()], big.size() - unit.size());
}

TEST(Normalizer, ConcurrentUseIsSafe) {
  auto n = Normalizer::Create();
  ASSERT_TRUE(n.ok());
  std::vector<std::thread> threads;
  std::atomic<int> bad{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        auto k = (*n)->Key("أَحْمَدُ “Straße” ٢٠٢٤");
        if (!k.ok() || *k != "احمد \"strasse\" 2024") ++bad;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(bad.load(), 0);
}

}  // namespace
}  // namespace qantara::text
