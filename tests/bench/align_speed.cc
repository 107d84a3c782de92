// align_speed: the aligner's speed benchmark.
//   align_speed [--shared DIR] [--sentences N]
// Loads FreeDict (timed), builds an N x N sentence document pair from real
// Arabic-English sentence pairs (NTREX, UD PUD, the Quran, then Tatoeba from
// its longest: all distinct), with every 13th Arabic and every 17th English
// sentence dropped so the path is not the diagonal, aligns it with one
// thread (two passes, lexicon loaded) and prints (Arabic + English
// sentences) / second (wall and CPU), the FreeDict load time and the peak
// resident memory, and a hash of the beads (so a faster aligner can be checked
// to give the same alignment). Exits 0 with a message when the shared data is
// absent.
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "service/align/aligner.h"
#include "service/align/lexicon.h"

using namespace qantara;

static std::vector<std::string> ReadLines(const std::string& path) {
  std::vector<std::string> out;
  std::ifstream f(path);
  std::string line;
  while (std::getline(f, line)) out.push_back(line);
  return out;
}

static double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

// Column `k` (0-based) of a TAB-separated line.
static std::string Col(const std::string& line, int k) {
  size_t b = 0;
  for (int x = 0; x < k; ++x) {
    b = line.find('\t', b);
    if (b == std::string::npos) return "";
    ++b;
  }
  size_t e = line.find('\t', b);
  return line.substr(b, e == std::string::npos ? std::string::npos : e - b);
}

static long PeakRssKb() {
  rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

int main(int argc, char** argv) {
  std::string shared = std::getenv("QANTARA_SHARED") ? std::getenv("QANTARA_SHARED") : "../shared";
  int n = 10000;
  for (int k = 1; k < argc; ++k) {
    std::string a = argv[k];
    if (k + 1 < argc && a == "--shared")
      shared = argv[++k];
    else if (k + 1 < argc && a == "--sentences")
      n = std::atoi(argv[++k]);
  }
  const std::string dir = shared + "/data/ntrex128-ar-en/";
  std::vector<std::string> ar = ReadLines(dir + "newstest2019-ref.arb.txt");
  std::vector<std::string> en = ReadLines(dir + "newstest2019-src.eng.txt");
  if (ar.empty() || ar.size() != en.size()) {
    std::printf("align_speed: NTREX data not found under %s; skipping\n", dir.c_str());
    return 0;
  }
  auto add_tsv = [&](const std::string& path, int ar_col, int en_col, size_t limit) {
    std::vector<std::string> lines = ReadLines(path);
    if (ar_col > 0 && en_col > 0 && !lines.empty()) lines.erase(lines.begin());  // header
    if (ar_col == 1) {                                                           // Tatoeba: longest first
      std::stable_sort(lines.begin(), lines.end(),
                       [](const std::string& x, const std::string& y) { return x.size() > y.size(); });
    }
    for (const std::string& l : lines) {
      if (limit-- == 0) break;
      std::string a = Col(l, ar_col), e = Col(l, en_col);
      if (!a.empty() && !e.empty()) {
        ar.push_back(a);
        en.push_back(e);
      }
    }
  };
  add_tsv(shared + "/data/ud-pud-ar-en/pud-ar-en.tsv", 2, 3, 100000);
  add_tsv(shared + "/data/quran-json-npm/quran-ar-en.tsv", 2, 3, 100000);
  add_tsv(shared + "/data/tatoeba-manythings-ara-eng/ara.txt", 1, 0, 100000);
  std::printf("distinct sentence pairs available: %zu\n", ar.size());
  const long rss0 = PeakRssKb();
  // The server's aligner: FreeDict through the text engine's tokenizer.
  auto t0 = std::chrono::steady_clock::now();
  const double l0 = CpuSeconds();
  absl::StatusOr<std::unique_ptr<align::Aligner>> aligner =
      align::CreateDefaultAligner(align::kDefaultDictdDir, align::AlignerOptions());
  auto t1 = std::chrono::steady_clock::now();
  if (!aligner.ok()) {
    std::fprintf(stderr, "align_speed: %s\n", std::string(aligner.status().message()).c_str());
    return 1;
  }
  const double load_ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
  std::printf(
      "freedict_load_ms=%.0f freedict_load_cpu_ms=%.0f arabic_keys=%zu pairs=%zu "
      "rss_after_load_mb=%.0f\n",
      load_ms, (CpuSeconds() - l0) * 1000, (*aligner)->lexicon()->arabic_keys(),
      (*aligner)->lexicon()->pairs(), PeakRssKb() / 1024.0);

  for (int size : {2000, n}) {
    align::DocumentPairInput in;
    for (int k = 0; static_cast<int>(in.ar.size()) < size; ++k) {
      if (k % 13 != 5) in.ar.push_back({ar[k % ar.size()], false});
    }
    for (int k = 0; static_cast<int>(in.en.size()) < size; ++k) {
      if (k % 17 != 9) in.en.push_back({en[k % en.size()], false});
    }
    const long rss_before = PeakRssKb();
    const double c0 = CpuSeconds();
    auto a0 = std::chrono::steady_clock::now();
    auto res = (*aligner)->Align(in);
    auto a1 = std::chrono::steady_clock::now();
    const double cpu = CpuSeconds() - c0;
    if (!res.ok()) return 1;
    const double s = std::chrono::duration<double>(a1 - a0).count();
    uint64_t hash = 14695981039346656037ull;  // FNV-1a over the bead boundaries
    double confidence = 0;
    for (const align::Bead& b : res->beads) {
      for (int v : {b.ar_begin, b.ar_end, b.en_begin, b.en_end}) {
        hash = (hash ^ static_cast<uint32_t>(v)) * 1099511628211ull;
      }
      confidence += b.confidence;
    }
    std::printf(
        "size=%dx%d wall_s=%.3f cpu_s=%.3f sentences_per_second_wall=%.0f "
        "sentences_per_second_cpu=%.0f beads=%zu band=%d runs=%d "
        "peak_rss_mb=%.0f (before alignment %.0f, at start %.0f) beads_hash=%016llx "
        "confidence_sum=%.6f\n",
        size, size, s, cpu, 2.0 * size / s, 2.0 * size / cpu, res->beads.size(), res->stats.band,
        res->stats.runs, PeakRssKb() / 1024.0, rss_before / 1024.0, rss0 / 1024.0,
        static_cast<unsigned long long>(hash), confidence);
  }
  return 0;
}
