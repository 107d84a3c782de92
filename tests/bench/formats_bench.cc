// Throughput of the TMX reader and writer (qantara_formats) on generated
// memories of 100k and 1M units written to a temp file.
//
//   ./build/tests/formats_bench            (ctest -L long runs it too)
//
// Figures (items/s and bytes/s are per wall-clock second; units_per_cpu_s per
// CPU second, the fairer figure on a shared machine): TmxWrite items/s = units written per second (goal >=
// 100,000 for the whole export); TmxRead items/s = units parsed per second (goal for the whole import >=
// 50,000, so the parser alone must be far faster); bytes/s = file MB/s; peak_rss_MB = the process's peak
// resident set after the run (100k runs first, so its figure is its own; constant memory means 1M shows about
// the same).
#include <expat.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "service/formats/tmx_reader.h"
#include "service/formats/tmx_writer.h"
#include "service/formats/xml_escape.h"

namespace qantara::formats {
namespace {

// CPU seconds used by this process so far (the machine may be shared: real
// time then overstates the cost; both figures are printed).
double CpuSeconds() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double PeakRssMb() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

std::string TempPath(std::string_view what, int64_t n) {
  return (std::filesystem::temp_directory_path() /
          absl::StrCat("qantara_formats_bench_", getpid(), "_", std::string(what), "_", n, ".tmx"))
      .string();
}

const char* kEnglish[] = {
    "The committee approved the annual budget", "Please read the terms and conditions carefully",
    "Click the button to save your changes", "The weather will be sunny tomorrow in the capital",
    "All accounts must have valid entries to continue"};
const char* kArabic[] = {"وافقت اللجنة على الميزانية السنوية", "يرجى قراءة الشروط والأحكام بعناية",
                         "انقر على الزر لحفظ التغييرات", "سيكون الطقس مشمسا غدا في العاصمة",
                         "يجب أن يكون لكل الحسابات إدخالات صالحة للمتابعة"};

// Unit i of the generated memory: varied text, every 10th with inline codes,
// dates, a user and a prop.
TranslationUnit MakeUnit(int64_t i) {
  TranslationUnit u;
  const std::string n = absl::StrCat(i);
  const std::string en = absl::StrCat(kEnglish[i % 5], " number ", n, ".");
  const std::string ar = absl::StrCat(kArabic[(i / 5) % 5], " رقم ", n, ".");
  u.source.language = text::Language::kEnglish;
  u.source.lang_tag = "en";
  u.target.language = text::Language::kArabic;
  u.target.lang_tag = "ar";
  if (i % 10 == 0) {
    u.source.markup =
        absl::StrCat("<bpt i=\"1\">&lt;b&gt;</bpt>", en, "<ept i=\"1\">&lt;/b&gt;</ept><ph x=\"2\">%s</ph>");
    u.target.markup =
        absl::StrCat("<bpt i=\"1\">&lt;b&gt;</bpt>", ar, "<ept i=\"1\">&lt;/b&gt;</ept><ph x=\"2\">%s</ph>");
  } else {
    AppendEscapedText(en, &u.source.markup);
    AppendEscapedText(ar, &u.target.markup);
  }
  u.id = n;
  u.creation_date = 1700000000 + i;
  u.creation_id = "translator";
  u.props = {{"x-domain", i % 2 ? "legal" : "news"}};
  return u;
}

void WriteMemory(const std::string& path, int64_t units, uint64_t* bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  TmxWriter writer({}, [f](std::string_view b) {
    if (std::fwrite(b.data(), 1, b.size(), f) != b.size()) return absl::InternalError("write");
    return absl::OkStatus();
  });
  for (int64_t i = 0; i < units; ++i) {
    absl::Status s = writer.Write(MakeUnit(i));
    if (!s.ok()) std::abort();
  }
  if (!writer.Finish().ok()) std::abort();
  std::fclose(f);
  *bytes = writer.bytes_written();
}

class CountingSink : public UnitSink {
 public:
  absl::Status OnUnit(TranslationUnit&& unit) override {
    ++units;
    chars += unit.source.text.size() + unit.target.text.size();
    return absl::OkStatus();
  }
  absl::Status OnProblem(const Problem&) override {
    ++problems;
    return absl::OkStatus();
  }
  int64_t units = 0;
  int64_t problems = 0;
  uint64_t chars = 0;
};

void BM_TmxWrite(benchmark::State& state) {
  const int64_t n = state.range(0);
  const std::string path = TempPath("write", n);
  uint64_t bytes = 0;
  const double cpu0 = CpuSeconds();
  for (auto _ : state) WriteMemory(path, n, &bytes);
  state.counters["units_per_cpu_s"] = static_cast<double>(state.iterations() * n) / (CpuSeconds() - cpu0);
  std::filesystem::remove(path);
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["file_MB"] = static_cast<double>(bytes) / 1e6;
  state.counters["peak_rss_MB"] = PeakRssMb();
}

void BM_TmxRead(benchmark::State& state) {
  const int64_t n = state.range(0);
  const std::string path = TempPath("read", n);
  uint64_t bytes = 0;
  WriteMemory(path, n, &bytes);  // not timed
  const double cpu0 = CpuSeconds();
  for (auto _ : state) {
    CountingSink sink;
    TmxReader reader(ReaderOptions(), &sink);
    absl::Status s = ReadFileInto(path, &reader, 256 * 1024);
    if (!s.ok() || sink.units != n || sink.problems != 0) {
      state.SkipWithError(absl::StrCat("read failed: ", std::string(s.message())).c_str());
      break;
    }
    benchmark::DoNotOptimize(sink.chars);
  }
  state.counters["units_per_cpu_s"] = static_cast<double>(state.iterations() * n) / (CpuSeconds() - cpu0);
  std::filesystem::remove(path);
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["file_MB"] = static_cast<double>(bytes) / 1e6;
  state.counters["peak_rss_MB"] = PeakRssMb();
}

// The floor: expat alone on the same file, with empty handlers.
void BM_ExpatBaseline(benchmark::State& state) {
  const int64_t n = state.range(0);
  const std::string path = TempPath("expat", n);
  uint64_t bytes = 0;
  WriteMemory(path, n, &bytes);  // not timed
  const double cpu0 = CpuSeconds();
  for (auto _ : state) {
    XML_Parser p = XML_ParserCreate(nullptr);
    XML_SetElementHandler(
        p, [](void*, const XML_Char*, const XML_Char**) {}, [](void*, const XML_Char*) {});
    XML_SetCharacterDataHandler(p, [](void*, const XML_Char*, int) {});
    std::FILE* f = std::fopen(path.c_str(), "rb");
    std::string buf(256 * 1024, '\0');
    size_t got;
    while ((got = std::fread(buf.data(), 1, buf.size(), f)) > 0) {
      XML_Parse(p, buf.data(), static_cast<int>(got), XML_FALSE);
    }
    XML_Parse(p, "", 0, XML_TRUE);
    std::fclose(f);
    XML_ParserFree(p);
  }
  state.counters["units_per_cpu_s"] = static_cast<double>(state.iterations() * n) / (CpuSeconds() - cpu0);
  std::filesystem::remove(path);
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}

BENCHMARK(BM_TmxWrite)
    ->Arg(100000)
    ->Arg(1000000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_TmxRead)->Arg(100000)->Arg(1000000)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ExpatBaseline)->Arg(1000000)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace qantara::formats

BENCHMARK_MAIN();
