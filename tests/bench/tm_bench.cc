// Translation-memory benchmark on the shared workload (tests/bench, labels
// bench;long). Prints figures; asserts nothing.
//
//   tm_bench --server-bin PATH [--units N] [--workload DIR] [--data DIR]
//            [--queries N] [--exhaustive-sample N] [--sets a,b] [--thresholds 70,50]
//            [--grpc 0] [--slowest N] [--variant-misses 1] [--build-only 1]
//            [--during-compaction 1] [--cache-mb N] [--key-cache-mb N] [--block-cache-mb N] [--auth 1]
//            [--fresh 1] [--passes N]
//
// --sets / --thresholds: only these query sets / thresholds (default: all);
// --grpc 0: in-process figures only; --slowest N: the N slowest first-pass
// queries of each set with their candidates; --variant-misses 1: the variant
// queries whose expected unit is not first at >= 95, with what came first;
// --build-only 1: stop after the bulk insert (a copy of that data dir is a
// "just loaded" one); --during-compaction 1: the in-process passes do not
// wait for the index compaction a just-loaded dir gets at the open;
// --cache-mb N: the posting and exact caches' budget in process (default:
// MemoryStoreOptions' default; the server keeps its default); --key-cache-mb N:
// the unit keys' budget in process likewise (0: every unit's keys read from
// RocksDB); --block-cache-mb N: RocksDB's block cache in process (default
// 256); --auth 1: the
// server runs with --auth (no rate limits) and every call sends the admin
// token it wrote to DATA/admin.token (the cost of access control);
// --fresh 1: novel queries: each query set x threshold in a process of its
// own (this binary again, with --cell 1), which opens the data dir, warms up
// and runs that cell alone (no other pass has read its tokens' lists before);
// the rows are gathered into one table (and the gRPC part, if any, runs
// after as usual); --passes 1: only the first pass (default 2: first and
// second, the same queries again).
//
// 1. builds the workload (../shared/bench/tm/make_workload.py) if missing;
// 2. bulk-inserts units.tsv into memory "bench" (ar -> en) of a fresh data dir
//    (kept for later runs): units/s, disk size;
// 3. in-process: opens the data dir (start time), runs every query set at
//    thresholds 70 and 50 (cold pass, then warm), p50/p99, candidates scored;
//    top-5 agreement with --exhaustive on a sample; orthographic-variant hits;
// 4. real server: start time on the data dir, gRPC lookup p50/p99, 4-client
//    throughput, 1,000 single AddUnit calls, peak RSS of the server.
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "qantara/v1/memory.grpc.pb.h"
#include "service/match/analyzer.h"
#include "service/tm/memories.h"
#include "storage/store.h"
#include "tests/bench/warm_memories.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

struct Query {
  std::string id, lang, text, unit_id;
};

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Pct(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * (v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    size_t t = line.find('\t', pos);
    out.push_back(line.substr(pos, t == std::string::npos ? std::string::npos : t - pos));
    if (t == std::string::npos) break;
    pos = t + 1;
  }
  return out;
}

std::vector<Query> ReadQueries(const fs::path& file, size_t max) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);  // header
  std::vector<Query> out;
  while (std::getline(in, line) && out.size() < max) {
    auto f = SplitTabs(line);
    if (f.size() < 4) continue;
    out.push_back(Query{f[0], f[1], f[2], f[3]});
  }
  return out;
}

long PeakRssKb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

long ProcHwmKb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

uint64_t DirBytes(const fs::path& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file(ec)) total += e.file_size(ec);
  }
  return total;
}

std::string Arg(int argc, char** argv, const std::string& name, const std::string& def) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (argv[i] == name) return argv[i + 1];
  }
  return def;
}

const char* kAllSets[] = {"heldout", "edited", "arabic_variants", "short", "nomatch"};

std::vector<std::string> SplitCommas(const std::string& s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t c = s.find(',', pos);
    if (c == std::string::npos) c = s.size();
    if (c > pos) out.push_back(s.substr(pos, c - pos));
    pos = c + 1;
  }
  return out;
}

double CpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace qantara;
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const char* shared_env = std::getenv("QANTARA_SHARED");
  const std::string shared = shared_env ? shared_env : "../shared";
  if (!fs::exists(fs::path(shared) / "bench/tm/make_workload.py")) {
    std::printf("SKIP: %s/bench/tm/make_workload.py not found (set QANTARA_SHARED)\n", shared.c_str());
    return 0;
  }
  const size_t units = std::stoul(Arg(argc, argv, "--units", "1000000"));
  const size_t per_set = std::stoul(Arg(argc, argv, "--queries", "500"));
  const size_t ex_sample = std::stoul(Arg(argc, argv, "--exhaustive-sample", "20"));
  const std::string server_bin = Arg(argc, argv, "--server-bin", "");
  const fs::path workload =
      Arg(argc, argv, "--workload", "/tmp/qantara-tm-workload-" + std::to_string(units));
  const fs::path data = Arg(argc, argv, "--data", "/tmp/qantara-tm-data-" + std::to_string(units));
  std::printf("== qantara TM benchmark: %zu units, %zu queries per set (and language mix of the set)\n",
              units, per_set);

  if (!fs::exists(workload / "units.tsv")) {
    const std::string cmd = "python3 " + shared + "/bench/tm/make_workload.py --data " + shared +
                            "/data --units " + std::to_string(units) + " --out " + workload.string() +
                            " --seed 1 > /dev/null";
    std::printf("building workload: %s\n", cmd.c_str());
    if (std::system(cmd.c_str()) != 0) {
      std::printf("FAIL: workload generation failed\n");
      return 1;
    }
  }

  auto analyzer = match::CreateTextAnalyzer();
  if (!analyzer.ok()) {
    std::printf("FAIL: %s\n", std::string(analyzer.status().message()).c_str());
    return 1;
  }

  // ---- bulk insert ----
  std::map<std::string, std::string> unit_arabic;  // id -> arabic text, for variant checks
  {
    std::ifstream in(workload / "units.tsv");
    std::string line;
    std::getline(in, line);
    const bool build = !fs::exists(data / "CURRENT");
    // The units' Arabic texts are read for the variant checks of passes
    // run in this process (10M of them take 2 GB and minutes to read).
    const std::string sets_arg = Arg(argc, argv, "--sets", "");
    const bool runs_here = !(Arg(argc, argv, "--fresh", "0") == "1" &&
                             Arg(argc, argv, "--cell", "0") != "1" && Arg(argc, argv, "--grpc", "1") == "0");
    if (!build &&
        (!runs_here || (!sets_arg.empty() && sets_arg.find("arabic_variants") == std::string::npos))) {
      in.setstate(std::ios::eofbit);
    }
    std::unique_ptr<storage::Store> store;
    std::unique_ptr<tm::Memories> mem;
    if (build) {
      store = *storage::Store::Open(data.string());
      mem = *tm::Memories::Open(*store, **analyzer);
      (void)mem->CreateMemory(tm::NewMemory{"bench", "ar", "en", "benchmark"});
    }
    std::vector<match::Unit> chunk;
    size_t n = 0;
    const auto t0 = Clock::now();
    while (std::getline(in, line)) {
      auto f = SplitTabs(line);
      if (f.size() < 3) continue;
      unit_arabic[f[0]] = f[1];
      if (!build) continue;
      match::Unit u;
      u.source = f[1];
      u.target = f[2];
      u.origin = match::Origin::kImport;
      chunk.push_back(std::move(u));
      if (chunk.size() == 5000) {
        auto r = mem->AddUnits("bench", std::move(chunk), tm::DuplicatePolicy::kKeepAll);
        if (!r.ok()) {
          std::printf("FAIL: add: %s\n", std::string(r.status().message()).c_str());
          return 1;
        }
        n += r->size();
        chunk.clear();
      }
    }
    if (build) {
      if (!chunk.empty())
        n += mem->AddUnits("bench", std::move(chunk), tm::DuplicatePolicy::kKeepAll)->size();
      // Included: the index write still running in the background.
      if (absl::Status s = mem->WaitForIndexWrites(); !s.ok()) {
        std::printf("FAIL: index write: %s\n", std::string(s.message()).c_str());
        return 1;
      }
      const double secs = Ms(Clock::now() - t0) / 1000;
      mem.reset();
      (void)store->Close();
      std::printf(
          "bulk insert: %zu units in %.1f s = %.0f units/s (in-process AddUnits, 5,000 a call, "
          "incl. tokenising both sides); peak RSS of the build %.0f MB\n",
          n, secs, n / secs, PeakRssKb() / 1024.0);
    } else {
      std::printf("bulk insert: data dir %s exists; reusing it\n", data.c_str());
    }
    std::printf("disk size: %.1f MB (%s)\n", DirBytes(data) / 1e6, data.c_str());
  }
  if (Arg(argc, argv, "--build-only", "0") == "1") return 0;

  std::vector<std::string> kSets;
  for (const std::string& s : SplitCommas(Arg(argc, argv, "--sets", ""))) kSets.push_back(s);
  if (kSets.empty()) kSets.assign(std::begin(kAllSets), std::end(kAllSets));
  std::vector<double> thresholds;
  for (const std::string& t : SplitCommas(Arg(argc, argv, "--thresholds", "70,50")))
    thresholds.push_back(std::stod(t));
  const size_t slowest = std::stoul(Arg(argc, argv, "--slowest", "0"));
  const bool variant_misses = Arg(argc, argv, "--variant-misses", "0") == "1";
  const bool with_grpc = Arg(argc, argv, "--grpc", "1") == "1";
  const bool during_compaction = Arg(argc, argv, "--during-compaction", "0") == "1";
  const bool auth = Arg(argc, argv, "--auth", "0") == "1";
  const bool fresh = Arg(argc, argv, "--fresh", "0") == "1";
  const bool cell = Arg(argc, argv, "--cell", "0") == "1";  // a child of --fresh 1
  const int passes = std::clamp(std::stoi(Arg(argc, argv, "--passes", "2")), 1, 2);
  // In a --cell child, the lines the parent gathers start with a tag.
  const std::string row_tag = cell ? "ROW\t" : "", exh_tag = cell ? "EXH\t" : "",
                    note_tag = cell ? "NOTE\t" : "";
  std::map<std::string, std::vector<Query>> sets;
  for (const std::string& s : kSets)
    sets[s] = ReadQueries(workload / "queries" / (std::string(s) + ".tsv"), 2 * per_set);

  auto request_for = [](const Query& q, double threshold, bool exhaustive) {
    tm::LookupRequest r;
    r.memories = {"bench"};
    r.text = q.text;
    r.reverse = q.lang == "en";
    r.options.threshold = threshold;
    r.options.max_results = 5;
    r.options.exhaustive = exhaustive;
    return r;
  };

  // ---- in-process, a process a set x threshold (--fresh 1) ----
  if (fresh && !cell) {
    std::vector<std::string> rows, exh, notes;
    for (double threshold : thresholds) {
      for (const std::string& s : kSets) {
        // Arg takes an option's first occurrence: the cell's own come first.
        std::string cmd = fs::read_symlink("/proc/self/exe").string() +
                          " --cell 1 --fresh 0 --grpc 0 --sets " + s + " --thresholds " +
                          std::to_string(static_cast<int>(threshold));
        for (int i = 1; i < argc; ++i) cmd += std::string(" '") + argv[i] + "'";
        cmd += " 2>&1";
        FILE* p = popen(cmd.c_str(), "r");
        if (p == nullptr) {
          std::printf("FAIL: cannot start %s\n", cmd.c_str());
          return 1;
        }
        char buf[4096];
        while (std::fgets(buf, sizeof buf, p) != nullptr) {
          std::string line(buf);
          if (line.rfind("ROW\t", 0) == 0) {
            rows.push_back(line.substr(4));
          } else if (line.rfind("EXH\t", 0) == 0) {
            exh.push_back(line.substr(4));
          } else if (line.rfind("NOTE\t", 0) == 0) {
            notes.push_back(s + "@" + std::to_string(static_cast<int>(threshold)) + ": " + line.substr(5));
          } else if (line.rfind("FAIL", 0) == 0) {
            std::printf("%s", line.c_str());
          }
        }
        if (pclose(p) != 0) {
          std::printf("FAIL: cell %s@%.0f failed: %s\n", s.c_str(), threshold, cmd.c_str());
          return 1;
        }
      }
    }
    std::printf("\nin process, novel queries: each set x threshold in a fresh process after its warm-up\n");
    std::printf("%-16s %5s %6s | %9s %9s | %9s %9s | %10s %10s | %8s %8s\n", "query set", "thr", "n",
                "1st p50", "1st p99", "2nd p50", "2nd p99", "cand mean", "cand max", "1st cpu", "2nd cpu");
    for (const std::string& r : rows) std::printf("%s", r.c_str());
    std::printf("\n%-16s %5s %6s | %12s | %12s %12s | %8s\n", "query set", "thr", "sample", "top5 equal",
                "exh p50", "exh p99", "speed-up");
    for (const std::string& r : exh) std::printf("%s", r.c_str());
    std::printf("\n");
    for (const std::string& r : notes) std::printf("%s", r.c_str());
  }
  // ---- in-process ----
  if (!fresh || cell) {
    const auto t0 = Clock::now();
    storage::StoreOptions store_options;
    if (const std::string mb = Arg(argc, argv, "--block-cache-mb", ""); !mb.empty()) {
      store_options.block_cache_bytes = std::stoull(mb) << 20;
    }
    auto store = storage::Store::Open(data.string(), store_options);
    if (!store.ok()) {
      std::printf("FAIL: %s\n", std::string(store.status().message()).c_str());
      return 1;
    }
    storage::MemoryStoreOptions mem_options;
    if (const std::string mb = Arg(argc, argv, "--cache-mb", ""); !mb.empty()) {
      mem_options.cache_bytes = std::stoull(mb) << 20;
    }
    if (const std::string mb = Arg(argc, argv, "--key-cache-mb", ""); !mb.empty()) {
      mem_options.key_cache_bytes = std::stoull(mb) << 20;
    }
    auto mem = tm::Memories::Open(**store, **analyzer, mem_options);
    std::printf("%sin-process open of the data dir (Store + MemoryStore): %.0f ms\n", note_tag.c_str(),
                Ms(Clock::now() - t0));
    const auto tw = Clock::now();
    (*mem)->StartWarmUp();
    (*mem)->WaitForWarmUp();
    std::printf(
        "%sbackground warm-up of the unit keys and frequent tokens' posting lists (the server serves "
        "meanwhile): %.0f ms; RSS now %.0f MB\n",
        note_tag.c_str(), Ms(Clock::now() - tw), PeakRssKb() / 1024.0);
    if (during_compaction) {
      // --during-compaction 1: the passes start at once, while the runs a
      // bulk load left are being compacted (on a just-loaded data dir).
      std::printf("index compaction: not waited for (the passes below run during it)\n");
    } else {
      // Runs left by a bulk load are compacted into one once writes stop
      // (storage/index_compactor.h); the passes below read the result.
      const auto tc = Clock::now();
      const double c0 = CpuSeconds();
      (*mem)->WaitForIndexCompactions();
      std::printf(
          "index compaction after the open (runs a bulk load left; none on a settled dir): %.1f s, "
          "%.1f s CPU\n",
          Ms(Clock::now() - tc) / 1000, CpuSeconds() - c0);
      const double r0 = CpuSeconds();
      const double settle = bench::SettleRocks(**mem, **store);
      std::printf(
          "RocksDB's compactions after the first snapshot (last-level files of a fresh load; none on a "
          "settled dir): %.1f s, %.1f s CPU\n",
          settle, CpuSeconds() - r0);
    }
    auto info = (*mem)->GetMemory("bench");
    std::printf("memory 'bench': %llu units\n", static_cast<unsigned long long>(info->units));

    if (!cell) {
      std::printf("\n%-16s %5s %6s | %9s %9s | %9s %9s | %10s %10s | %8s %8s\n", "query set", "thr", "n",
                  "1st p50", "1st p99", "2nd p50", "2nd p99", "cand mean", "cand max", "1st cpu", "2nd cpu");
    }
    struct Slow {
      double cold_ms = 0, warm_ms = 0;
      uint64_t cand = 0;
      size_t matches = 0;
      const Query* q = nullptr;
    };
    std::vector<std::string> slow_lines;
    for (double threshold : thresholds) {
      for (const std::string& s : kSets) {
        std::vector<double> cold, warm;
        std::vector<Slow> per(sets[s].size());
        double cand = 0, cand_max = 0, cpu[2] = {0, 0};
        for (int pass = 0; pass < passes; ++pass) {
          const double c0 = CpuSeconds();
          for (size_t i = 0; i < sets[s].size(); ++i) {
            const Query& q = sets[s][i];
            const auto t = Clock::now();
            auto r = (*mem)->Lookup(request_for(q, threshold, false));
            const double ms = Ms(Clock::now() - t);
            if (!r.ok()) continue;
            (pass == 0 ? cold : warm).push_back(ms);
            (pass == 0 ? per[i].cold_ms : per[i].warm_ms) = ms;
            per[i].q = &q;
            if (pass == passes - 1) {
              cand += r->candidates_scored;
              cand_max = std::max<double>(cand_max, r->candidates_scored);
              per[i].cand = r->candidates_scored;
              per[i].matches = r->matches.size();
            }
          }
          cpu[pass] = CpuSeconds() - c0;
        }
        std::printf(
            "%s%-16s %5.0f %6zu | %8.3fms %8.3fms | %8.3fms %8.3fms | %10.0f %10.0f | %7.2fs %7.2fs\n",
            row_tag.c_str(), s.c_str(), threshold, cold.size(), Pct(cold, 0.5), Pct(cold, 0.99),
            Pct(warm, 0.5), Pct(warm, 0.99), cand / std::max<size_t>(1, (passes == 2 ? warm : cold).size()),
            cand_max, cpu[0], cpu[1]);
        if (slowest > 0) {
          std::sort(per.begin(), per.end(),
                    [](const Slow& a, const Slow& b) { return a.cold_ms > b.cold_ms; });
          for (size_t i = 0; i < std::min(slowest, per.size()) && per[i].q != nullptr; ++i) {
            char buf[512];
            std::snprintf(buf, sizeof buf, "  %s@%.0f %s: 1st %.2fms 2nd %.2fms cand %llu matches %zu: %.80s",
                          s.c_str(), threshold, per[i].q->id.c_str(), per[i].cold_ms, per[i].warm_ms,
                          static_cast<unsigned long long>(per[i].cand), per[i].matches,
                          per[i].q->text.c_str());
            slow_lines.push_back(buf);
          }
        }
      }
    }
    if (!slow_lines.empty()) {
      if (!cell) std::printf("\nslowest first-pass queries (time, candidates scored in the last pass):\n");
      for (const std::string& l : slow_lines) std::printf("%s%s\n", note_tag.c_str(), l.c_str());
    }

    // Orthographic variants: the unit first, at >= 95.
    if (sets.count("arabic_variants")) {
      size_t hits = 0, same_text = 0, total = 0;
      for (const Query& q : sets["arabic_variants"]) {
        auto r = (*mem)->Lookup(request_for(q, 70, false));
        ++total;
        if (!r.ok() || r->matches.empty()) continue;
        const auto& m = r->matches[0];
        const bool hit = m.score >= 95 && std::to_string(m.unit.id) == q.unit_id;
        if (variant_misses && !hit) {
          std::printf(
              "variant miss %s (unit %s): first unit %llu score %.1f %s text; query: %s\n  expected: %s\n  "
              "first:    %s\n",
              q.id.c_str(), q.unit_id.c_str(), static_cast<unsigned long long>(m.unit.id), m.score,
              m.unit.source == unit_arabic[q.unit_id] ? "same" : "other", q.text.c_str(),
              unit_arabic[q.unit_id].c_str(), m.unit.source.c_str());
          for (const auto& p : m.penalties) std::printf("    penalty %s %.0f\n", p.kind.c_str(), p.points);
        }
        if (m.score < 95) continue;
        if (std::to_string(m.unit.id) == q.unit_id) ++hits;
        if (m.unit.source == unit_arabic[q.unit_id]) ++same_text;
      }
      std::printf(
          "%sarabic variants: expected unit first at score >= 95: %zu/%zu (%.1f%%); a unit with "
          "the expected unit's exact text first at >= 95: %zu/%zu (%.1f%%)\n",
          cell ? note_tag.c_str() : "\n", hits, total, 100.0 * hits / std::max<size_t>(total, 1), same_text,
          total, 100.0 * same_text / std::max<size_t>(total, 1));
    }

    // Agreement with the exhaustive scan (sample) and its cost.
    if (!cell) {
      std::printf("\n%-16s %5s %6s | %12s | %12s %12s | %8s\n", "query set", "thr", "sample", "top5 equal",
                  "exh p50", "exh p99", "speed-up");
    }
    for (double threshold : thresholds) {
      for (const std::string& s : kSets) {
        size_t equal = 0, n = 0;
        std::vector<double> idx_ms, ex_ms;
        for (size_t i = 0; i < sets[s].size() && n < ex_sample;
             i += std::max<size_t>(1, sets[s].size() / ex_sample)) {
          const Query& q = sets[s][i];
          auto t = Clock::now();
          auto a = (*mem)->Lookup(request_for(q, threshold, false));
          idx_ms.push_back(Ms(Clock::now() - t));
          t = Clock::now();
          auto b = (*mem)->Lookup(request_for(q, threshold, true));
          ex_ms.push_back(Ms(Clock::now() - t));
          if (!a.ok() || !b.ok()) continue;
          ++n;
          bool same = a->matches.size() == b->matches.size();
          for (size_t k = 0; same && k < a->matches.size(); ++k) {
            same =
                a->matches[k].unit.id == b->matches[k].unit.id && a->matches[k].score == b->matches[k].score;
          }
          equal += same;
        }
        std::printf("%s%-16s %5.0f %6zu | %5zu/%-6zu | %10.1fms %10.1fms | %7.0fx\n", exh_tag.c_str(),
                    s.c_str(), threshold, n, equal, n, Pct(ex_ms, 0.5), Pct(ex_ms, 0.99),
                    Pct(ex_ms, 0.5) / std::max(1e-6, Pct(idx_ms, 0.5)));
      }
    }
    auto st = (*mem)->Stats();
    std::printf(
        "%sin-process peak RSS (whole bench process so far): %.0f MB; posting lists cached for %llu tokens, "
        "exact lists "
        "%llu: %.1f of %.0f MB (hits %llu, misses %llu, evictions %llu); unit keys %llu (%.1f of %.0f MB; "
        "memories with their keys on disk: %llu)\n",
        cell ? note_tag.c_str() : "\n", PeakRssKb() / 1024.0,
        static_cast<unsigned long long>(st->cached_postings),
        static_cast<unsigned long long>(st->cached_exact), st->cached_bytes / 1048576.0,
        st->cache_budget_bytes / 1048576.0, static_cast<unsigned long long>(st->cache_hits),
        static_cast<unsigned long long>(st->cache_misses),
        static_cast<unsigned long long>(st->cache_evictions),
        static_cast<unsigned long long>(st->cached_unit_keys), st->cached_unit_keys_bytes / 1048576.0,
        st->key_cache_budget_bytes / 1048576.0, static_cast<unsigned long long>(st->memories_keys_uncached));
    mem->reset();
    (void)(*store)->Close();
  }

  // ---- the real server over gRPC ----
  if (server_bin.empty() || !with_grpc) {
    std::printf("(no --server-bin or --grpc 0: gRPC figures skipped)\n");
    return 0;
  }
  int out_pipe[2];
  if (pipe(out_pipe) != 0) return 1;
  const auto t0 = Clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out_pipe[1], 1);
    close(out_pipe[0]);
    if (auth) {
      execl(server_bin.c_str(), server_bin.c_str(), "--listen", "127.0.0.1:0", "--data-dir", data.c_str(),
            "--log-level", "error", "--auth", "--token-calls-per-s", "0", static_cast<char*>(nullptr));
    } else {
      execl(server_bin.c_str(), server_bin.c_str(), "--listen", "127.0.0.1:0", "--data-dir", data.c_str(),
            "--log-level", "warn", static_cast<char*>(nullptr));
    }
    _exit(127);
  }
  close(out_pipe[1]);
  std::string first;
  char c;
  while (read(out_pipe[0], &c, 1) == 1 && c != '\n') first += c;
  const double start_ms = Ms(Clock::now() - t0);
  const std::string address = first.substr(first.rfind(' ') + 1);
  std::printf("\nserver start on the data dir (exec to 'listening'): %.0f ms (%s)\n", start_ms,
              first.c_str());
  std::string token;  // --auth: the admin token the server wrote
  if (auth) {
    std::ifstream in(data / "admin.token");
    std::getline(in, token);
    std::printf("access control on: every call sends the admin token of %s\n",
                (data / "admin.token").c_str());
  }
  auto with_token = [&token](grpc::ClientContext& ctx) {
    if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
  };
  auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  auto stub = qantara::v1::MemoryService::NewStub(channel);
  auto grpc_lookup = [&](qantara::v1::MemoryService::Stub& s, const Query& q, double threshold) {
    grpc::ClientContext ctx;
    with_token(ctx);
    qantara::v1::LookupRequest req;
    req.add_memories("bench");
    req.set_text(q.text);
    req.set_reverse(q.lang == "en");
    req.set_threshold(threshold);
    req.set_max_results(5);
    qantara::v1::LookupResponse resp;
    return s.Lookup(&ctx, req, &resp);
  };
  std::printf("%-16s %5s %6s | %9s %9s | %9s %9s\n", "query set", "thr", "n", "1st p50", "1st p99", "2nd p50",
              "2nd p99");
  for (double threshold : thresholds) {
    for (const std::string& s : kSets) {
      std::vector<double> cold, warm;
      for (int pass = 0; pass < 2; ++pass) {
        for (const Query& q : sets[s]) {
          const auto t = Clock::now();
          grpc::Status st = grpc_lookup(*stub, q, threshold);
          if (st.ok()) (pass == 0 ? cold : warm).push_back(Ms(Clock::now() - t));
        }
      }
      std::printf("%-16s %5.0f %6zu | %8.3fms %8.3fms | %8.3fms %8.3fms\n", s.c_str(), threshold, warm.size(),
                  Pct(cold, 0.5), Pct(cold, 0.99), Pct(warm, 0.5), Pct(warm, 0.99));
    }
  }
  // Throughput: 4 clients, each its own channel, all sets mixed, threshold 70.
  {
    std::vector<Query> all;
    for (const std::string& s : kSets) all.insert(all.end(), sets[s].begin(), sets[s].end());
    std::atomic<size_t> done{0};
    const auto t = Clock::now();
    std::vector<std::thread> threads;
    for (int c = 0; c < 4; ++c) {
      threads.emplace_back([&, c] {
        auto ch = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
        auto st = qantara::v1::MemoryService::NewStub(ch);
        for (size_t i = c; i < all.size(); i += 4) {
          if (grpc_lookup(*st, all[i], 70).ok()) ++done;
        }
      });
    }
    for (auto& th : threads) th.join();
    const double secs = Ms(Clock::now() - t) / 1000;
    std::printf(
        "gRPC throughput, 4 concurrent clients, threshold 70, all sets: %zu lookups in %.2f s = %.0f "
        "lookups/s\n",
        done.load(), secs, done / secs);
  }
  // 1,000 single adds, one call each, each followed by nothing; then check the last is found.
  {
    grpc::ClientContext cctx;
    with_token(cctx);
    qantara::v1::CreateMemoryRequest creq;
    creq.set_name("bench-adds-" + std::to_string(getpid()));
    creq.set_source_lang("ar");
    creq.set_target_lang("en");
    qantara::v1::Memory created;
    (void)stub->CreateMemory(&cctx, creq, &created);
    std::vector<double> lat;
    const std::vector<Query> heldout = ReadQueries(workload / "queries" / "heldout.tsv", 2 * per_set);
    const auto t = Clock::now();
    for (int i = 0; i < 1000; ++i) {
      grpc::ClientContext ctx;
      with_token(ctx);
      qantara::v1::AddUnitRequest req;
      req.set_memory(creq.name());
      req.mutable_unit()->set_source(heldout[i % heldout.size()].text + " " + std::to_string(i));
      req.mutable_unit()->set_target("t" + std::to_string(i));
      qantara::v1::AddUnitResponse resp;
      const auto t1 = Clock::now();
      (void)stub->AddUnit(&ctx, req, &resp);
      lat.push_back(Ms(Clock::now() - t1));
    }
    const double total = Ms(Clock::now() - t);
    std::printf("1,000 single AddUnit calls (one client): %.0f ms total, p50 %.3f ms, p99 %.3f ms\n", total,
                Pct(lat, 0.5), Pct(lat, 0.99));
    // An added unit is returned by the very next lookup (into the big memory).
    grpc::ClientContext actx;
    with_token(actx);
    qantara::v1::AddUnitRequest areq;
    areq.set_memory("bench");
    areq.mutable_unit()->set_source("وحدة جديدة فريدة للاختبار رقم 424242");
    areq.mutable_unit()->set_target("a brand new test unit");
    areq.set_policy(qantara::v1::DUPLICATE_POLICY_KEEP_ALL);
    qantara::v1::AddUnitResponse aresp;
    (void)stub->AddUnit(&actx, areq, &aresp);
    grpc::ClientContext lctx;
    with_token(lctx);
    qantara::v1::LookupRequest lreq;
    lreq.add_memories("bench");
    lreq.set_text(areq.unit().source());
    qantara::v1::LookupResponse lresp;
    grpc::Status ls = stub->Lookup(&lctx, lreq, &lresp);
    const bool found = ls.ok() && lresp.matches_size() > 0 && lresp.matches(0).unit_id() == aresp.unit_id();
    std::printf("unit added to the 1M memory returned by the next lookup: %s\n", found ? "yes" : "NO");
    grpc::ClientContext dctx;
    with_token(dctx);
    qantara::v1::DeleteUnitsRequest dreq;
    dreq.set_memory("bench");
    dreq.add_unit_ids(aresp.unit_id());
    qantara::v1::DeleteUnitsResponse dresp;
    (void)stub->DeleteUnits(&dctx, dreq, &dresp);
    grpc::ClientContext xctx;
    with_token(xctx);
    qantara::v1::DeleteMemoryRequest xreq;
    xreq.set_name(creq.name());
    qantara::v1::DeleteMemoryResponse xresp;
    (void)stub->DeleteMemory(&xctx, xreq, &xresp);
  }
  std::printf("server peak RSS (VmHWM): %.0f MB\n", ProcHwmKb(pid) / 1024.0);
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  std::printf("disk size after the run: %.1f MB\n", DirBytes(data) / 1e6);
  return 0;
}
