// Throughput of the text engine on Arabic: normalisation (keys and keys with
// offset maps) and normalisation + tokenisation, single thread, in MB/s of
// input. Goal (issue 3): >= 10 MB/s normalised + tokenised.
//
// Input: the Arabic side of NTREX-128 from $QANTARA_SHARED/data/ntrex128-ar-en
// (real news prose), repeated to about 4 MB; a generated Arabic text when the
// shared data is absent (said so on stderr).
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "benchmark/benchmark.h"
#include "service/text/normalizer.h"
#include "service/text/tokenizer.h"

namespace qantara::text {
namespace {

constexpr size_t kTargetBytes = 4 << 20;

std::string Repeat(const std::string& unit) {
  std::string out;
  out.reserve(kTargetBytes + unit.size());
  while (out.size() < kTargetBytes) out += unit;
  return out;
}

std::string GeneratedArabic() {
  // Varied news-like Arabic with some harakat, digits of both scripts,
  // Latin names and punctuation.
  static const char* kSentences[] = {
      "قالَ وزيرُ الخارجيةِ إنّ المحادثاتِ ستُستأنف الأسبوعَ المقبلَ في العاصمةِ. ",
      "وأعلنت الشركة عن أرباح بلغت ١٢٫٥ مليون دولار خلال عام ٢٠٢٣، بزيادة ٧٪ عن العام السابق. ",
      "وقال المتحدث باسم منظمة الصحة العالمية (WHO) إن الوضع \"مستقر\" حتى الآن. ",
      "وتشير التقديرات إلى أن أكثر من 3,000 شخص شاركوا في المسيرة يوم الجمعة. ",
      "هل ستتمكن الحكومة من تنفيذ الإصلاحات الاقتصادية المطلوبة؟ ",
      "ونقلت وكالة رويترز عن مسؤولين قولهم إن الاتفاق «قريب جداً». ",
  };
  std::string unit;
  for (const char* s : kSentences) unit += s;
  unit += "\n";
  return unit;
}

const std::string& Input() {
  static const std::string* input = [] {
    std::string unit;
    const char* shared = std::getenv("QANTARA_SHARED");
    const std::string path =
        std::string(shared ? shared : "../shared") + "/data/ntrex128-ar-en/newstest2019-ref.arb.txt";
    std::ifstream f(path, std::ios::binary);
    if (f) {
      std::ostringstream ss;
      ss << f.rdbuf();
      unit = ss.str();
      std::fprintf(stderr, "text_bench: input NTREX-128 Arabic (%s, %zu bytes, repeated)\n", path.c_str(),
                   unit.size());
    } else {
      unit = GeneratedArabic();
      std::fprintf(stderr, "text_bench: %s absent; using generated Arabic text\n", path.c_str());
    }
    return new std::string(Repeat(unit));
  }();
  return *input;
}

void BM_NormalizeKey(benchmark::State& state) {
  const std::string& in = Input();
  auto n = *Normalizer::Create();
  for (auto _ : state) {
    auto k = n->Key(in);
    benchmark::DoNotOptimize(k);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.size()));
}
BENCHMARK(BM_NormalizeKey)->Unit(benchmark::kMillisecond);

void BM_NormalizeWithOffsets(benchmark::State& state) {
  const std::string& in = Input();
  auto n = *Normalizer::Create();
  for (auto _ : state) {
    auto k = n->Normalize(in);
    benchmark::DoNotOptimize(k);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.size()));
}
BENCHMARK(BM_NormalizeWithOffsets)->Unit(benchmark::kMillisecond);

// The goal: normalised + tokenised (every token carries its normalised form).
void BM_NormalizeTokenize(benchmark::State& state) {
  const std::string& in = Input();
  TokenizerOptions o;
  o.language = Language::kArabic;
  o.split_clitics = state.range(0) != 0;
  o.stem = state.range(1) != 0;
  auto t = *Tokenizer::Create(o);
  size_t tokens = 0;
  for (auto _ : state) {
    auto r = t->Tokenize(in);
    tokens = r->size();
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.size()));
  state.counters["tokens"] = static_cast<double>(tokens);
}
BENCHMARK(BM_NormalizeTokenize)
    ->ArgNames({"clitics", "stem"})
    ->Args({0, 0})
    ->Args({1, 0})
    ->Args({1, 1})
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace qantara::text

BENCHMARK_MAIN();
