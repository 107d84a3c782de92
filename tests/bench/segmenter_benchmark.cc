// Throughput of sentence segmentation, single thread (goal: >= 20 MB/s of
// Arabic). The text is the Arabic side of NTREX from ../shared
// (QANTARA_SHARED) repeated to about 4 MB, or, when that is absent, a
// synthetic Arabic news text written here. Prints MB/s ("bytes_per_second").
// With QANTARA_BENCH_SRX=FILE it also measures the rules of that SRX file
// alone (replace mode), to compare a rule set with the built-in one.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "service/text/segmenter.h"

namespace qantara::text {
namespace {

std::string Corpus(Language lang) {
  std::string text;
  const char* shared = std::getenv("QANTARA_SHARED");
  if (shared != nullptr) {
    const std::string path =
        std::string(shared) + "/data/ntrex128-ar-en/" +
        (lang == Language::kArabic ? "newstest2019-ref.arb.txt" : "newstest2019-src.eng.txt");
    std::ifstream in(path, std::ios::binary);
    std::string lines((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // Lines into paragraphs of three sentences, as running prose.
    int n = 0;
    for (char c : lines) {
      if (c == '\n') {
        text += (++n % 3 == 0) ? "\n\n" : " ";
      } else {
        text += c;
      }
    }
  }
  if (text.empty()) {
    text = lang == Language::kArabic
               ? "أعلنت وزارة الصحة صباح اليوم عن افتتاح مستشفى جديد في مدينة الزرقاء. ويضم "
                 "المستشفى ٢٥٠ سريراً وأقساماً متخصصة. وقال د. سامي إن المشروع كلّف نحو ٤٠ مليون "
                 "دينار، وأضاف أن العمل بدأ قبل ثلاث سنوات. \"هل يكفي هذا؟\" تساءل أحد السكان.\n\n"
                 "أخبار الاقتصاد\nارتفعت أسعار النفط بنسبة 3.5 في المئة يوم الثلاثاء... وقال "
                 "محللون إن الطلب سيزداد.\n\n"
               : "The ministry opened a new hospital on Tuesday. Dr. Smith said it cost $40.5 "
                 "million. \"Is it enough?\" one resident asked. The U.S. Navy helped.\n\n"
                 "Markets in Brief\nOil rose 3.5 percent... Analysts said demand would grow.\n\n";
  }
  std::string out;
  while (out.size() < 4 * 1024 * 1024) out += text;
  return out;
}

void BM_Segment(benchmark::State& state, Language lang, bool user_srx) {
  const std::string text = Corpus(lang);
  SegmenterOptions options;
  options.language = lang;
  if (user_srx) {
    const char* path = std::getenv("QANTARA_BENCH_SRX");
    if (path == nullptr) {
      state.SkipWithError("QANTARA_BENCH_SRX not set");
      return;
    }
    std::ifstream in(path, std::ios::binary);
    options.srx.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    options.srx_mode = SegmenterOptions::SrxMode::kReplace;
  }
  auto seg = SentenceSegmenter::Create(options);
  if (!seg.ok()) {
    state.SkipWithError(std::string(seg.status().message()).c_str());
    return;
  }
  size_t sentences = 0;
  for (auto _ : state) {
    auto spans = (*seg)->Split(text);
    if (!spans.ok()) {
      state.SkipWithError(std::string(spans.status().message()).c_str());
      return;
    }
    sentences = spans->size();
    benchmark::DoNotOptimize(spans->data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.counters["sentences"] = static_cast<double>(sentences);
}

BENCHMARK_CAPTURE(BM_Segment, arabic, Language::kArabic, false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Segment, english, Language::kEnglish, false)->Unit(benchmark::kMillisecond);

void RegisterUserSrx() {
  if (std::getenv("QANTARA_BENCH_SRX") == nullptr) return;
  benchmark::RegisterBenchmark("BM_Segment/arabic_user_srx", BM_Segment, Language::kArabic, true)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_Segment/english_user_srx", BM_Segment, Language::kEnglish, true)
      ->Unit(benchmark::kMillisecond);
}

}  // namespace
}  // namespace qantara::text

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  qantara::text::RegisterUserSrx();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
