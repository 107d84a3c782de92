// align_memory_cases: aligns the cases of shared/bench/align/make_cases.py
// the way AlignService/AlignToMemory does (tm::AlignToMemory, dry run), with
// a real memory of 0, N, 2N... training pairs, for the "alignment gets better
// as the memory grows" benchmark (tests/bench/align_memory_eval.py).
//
// Usage: align_memory_cases CASES_DIR OUT_DIR (--train FILE.tsv | --train-docs DIR) --sizes 0,500,1000
//                           [--work DIR] [--dictd DIR] [--no-dict] [--doc-learning]
//                           [--min-count N] [--min-dice X] [--max-per-word N]
//   FILE.tsv       arabic TAB english, one training pair a line (never the test documents)
//   --sizes        memory sizes (the first K pairs of FILE.tsv)
//   --train-docs DIR  instead of FILE.tsv: cases (NAME.ar.doc + NAME.en.doc) aligned into
//                  the memory as import-docs does (AlignToMemory, default threshold); the
//                  sizes then count documents
//   --work DIR     where the RocksDB data dirs go (default: a temp dir, removed)
//   --doc-learning also a lexicon from each document's own first pass
//   --min-count, --min-dice, --max-per-word   the memory lexicon's learning options
//
// For each size K: a fresh data dir, a memory "bench" (ar -> en) filled with
// the first K pairs (Memories::AddUnits), its lexicon trained and stored
// by MemoryLexicons, then read back by a second MemoryLexicons (as a
// restarted server would); then every case is aligned through
// tm::AlignToMemory (dry run) with that memory, and written as
//   OUT_DIR/K/NAME.beads, NAME.conf  from NAME.ar + NAME.en
//   OUT_DIR/K/NAME.pairs             from NAME.ar.doc + NAME.en.doc
// It prints one line per size: size=K lexicon_entries=E train_ms=T align_ms=A.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "service/align/aligner.h"
#include "service/align/document.h"
#include "service/align/lexicon.h"
#include "service/match/analyzer.h"
#include "service/text/segmenter.h"
#include "service/tm/align_to_memory.h"
#include "service/tm/lexicons.h"
#include "service/tm/memories.h"
#include "storage/lexicon_store.h"
#include "storage/store.h"
#include "tests/bench/align_case_files.h"

namespace fs = std::filesystem;
using namespace qantara;
using bench::BeadLine;
using bench::Lines;
using bench::Slurp;

namespace {

int Fail(const std::string& what, const absl::Status& s) {
  std::fprintf(stderr, "align_memory_cases: %s: %s\n", what.c_str(), std::string(s.message()).c_str());
  return 1;
}

double Ms(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: align_memory_cases CASES_DIR OUT_DIR (--train FILE.tsv | --train-docs DIR) "
                 "--sizes 0,500,1000 "
                 "[--work DIR] [--dictd DIR] [--no-dict] [--doc-learning] [--min-count N] "
                 "[--min-dice X] [--max-per-word N]\n");
    return 2;
  }
  const fs::path cases = argv[1], out = argv[2];
  std::string train_file, train_docs_dir, dictd = align::kDefaultDictdDir, work;
  std::vector<size_t> sizes;
  bool doc_learning = false;
  tm::MemoryLexiconOptions lex_options;
  for (int k = 3; k < argc; ++k) {
    const std::string a = argv[k];
    if (a == "--train" && k + 1 < argc)
      train_file = argv[++k];
    else if (a == "--dictd" && k + 1 < argc)
      dictd = argv[++k];
    else if (a == "--work" && k + 1 < argc)
      work = argv[++k];
    else if (a == "--train-docs" && k + 1 < argc)
      train_docs_dir = argv[++k];
    else if (a == "--no-dict")
      dictd.clear();
    else if (a == "--doc-learning")
      doc_learning = true;
    else if (a == "--min-count" && k + 1 < argc)
      lex_options.learning.min_pair_count = std::stoi(argv[++k]);
    else if (a == "--min-dice" && k + 1 < argc)
      lex_options.learning.min_dice = std::stod(argv[++k]);
    else if (a == "--max-per-word" && k + 1 < argc)
      lex_options.learning.max_per_word = std::stoi(argv[++k]);
    else if (a == "--sizes" && k + 1 < argc) {
      std::stringstream ss(argv[++k]);
      std::string item;
      while (std::getline(ss, item, ',')) sizes.push_back(std::stoul(item));
    } else {
      std::fprintf(stderr, "align_memory_cases: unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  if ((train_file.empty() == train_docs_dir.empty()) || sizes.empty()) {
    std::fprintf(stderr, "align_memory_cases: --sizes and one of --train, --train-docs are required\n");
    return 2;
  }
  // Training pairs.
  std::vector<std::pair<std::string, std::string>> train;
  if (!train_file.empty()) {
    for (const std::string& line : Lines(Slurp(train_file))) {
      const size_t tab = line.find('\t');
      if (tab == std::string::npos) continue;
      train.emplace_back(line.substr(0, tab), line.substr(tab + 1));
    }
  }
  // The aligner, as the server makes it.
  auto t0 = std::chrono::steady_clock::now();
  auto aligner = align::CreateDefaultAligner(dictd, align::AlignerOptions());
  if (!aligner.ok()) return Fail("aligner", aligner.status());
  auto t1 = std::chrono::steady_clock::now();
  auto ar_seg = text::SentenceSegmenter::Create(text::Language::kArabic);
  auto en_seg = text::SentenceSegmenter::Create(text::Language::kEnglish);
  if (!ar_seg.ok() || !en_seg.ok()) return Fail("segmenters", absl::InternalError("create"));
  auto analyzer = match::CreateTextAnalyzer();
  if (!analyzer.ok()) return Fail("analyzer", analyzer.status());

  // The cases.
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(cases)) {
    const std::string f = e.path().filename().string();
    if (f.size() > 5 && f.substr(f.size() - 5) == ".gold") names.push_back(f.substr(0, f.size() - 5));
  }
  std::sort(names.begin(), names.end());
  std::vector<std::vector<std::string>> ar_lines, en_lines;
  std::vector<std::string> ar_docs, en_docs;
  std::vector<align::DocumentPairInput> sentence_inputs, doc_inputs;
  for (const std::string& n : names) {
    ar_lines.push_back(Lines(Slurp(cases / (n + ".ar"))));
    en_lines.push_back(Lines(Slurp(cases / (n + ".en"))));
    ar_docs.push_back(Slurp(cases / (n + ".ar.doc")));
    en_docs.push_back(Slurp(cases / (n + ".en.doc")));
  }
  for (size_t d = 0; d < names.size(); ++d) {
    align::DocumentPairInput in;
    for (const auto& l : ar_lines[d]) in.ar.push_back({l, false});
    for (const auto& l : en_lines[d]) in.en.push_back({l, false});
    sentence_inputs.push_back(std::move(in));
    auto sa = align::SegmentDocument(**ar_seg, ar_docs[d]);
    auto se = align::SegmentDocument(**en_seg, en_docs[d]);
    if (!sa.ok() || !se.ok()) return Fail(names[d], absl::InvalidArgumentError("segmentation"));
    doc_inputs.push_back({align::ToInput(ar_docs[d], *sa), align::ToInput(en_docs[d], *se)});
  }

  // Training documents (--train-docs): NAME.ar.doc + NAME.en.doc, segmented.
  std::vector<std::string> train_names, train_ar, train_en;
  std::vector<align::DocumentPairInput> train_inputs;
  if (!train_docs_dir.empty()) {
    for (const auto& e : fs::directory_iterator(train_docs_dir)) {
      const std::string f = e.path().filename().string();
      if (f.size() > 5 && f.substr(f.size() - 5) == ".gold") {
        train_names.push_back(f.substr(0, f.size() - 5));
      }
    }
    std::sort(train_names.begin(), train_names.end());
    for (const std::string& n : train_names) {
      train_ar.push_back(Slurp(fs::path(train_docs_dir) / (n + ".ar.doc")));
      train_en.push_back(Slurp(fs::path(train_docs_dir) / (n + ".en.doc")));
    }
    for (size_t d = 0; d < train_names.size(); ++d) {
      auto sa = align::SegmentDocument(**ar_seg, train_ar[d]);
      auto se = align::SegmentDocument(**en_seg, train_en[d]);
      if (!sa.ok() || !se.ok()) return Fail(train_names[d], absl::InvalidArgumentError("segmentation"));
      train_inputs.push_back({align::ToInput(train_ar[d], *sa), align::ToInput(train_en[d], *se)});
    }
  }
  const size_t available = train_docs_dir.empty() ? train.size() : train_inputs.size();

  fs::path work_dir = work;
  const bool own_work = work.empty();
  if (own_work) {
    std::random_device rd;
    work_dir = fs::temp_directory_path() / ("qantara-align-memory-" + std::to_string(rd()));
  }
  std::printf("lexicon_load_ms=%.1f docs=%zu train_pairs=%zu\n", Ms(t0, t1), names.size(), train.size());
  for (size_t size : sizes) {
    if (size > available) {
      std::fprintf(stderr, "align_memory_cases: only %zu training pairs or documents, skipping size %zu\n",
                   available, size);
      continue;
    }
    const fs::path dir = work_dir / ("m" + std::to_string(size));
    fs::remove_all(dir);
    auto store = storage::Store::Open(dir.string());
    if (!store.ok()) return Fail("store", store.status());
    auto memories = tm::Memories::Open(**store, **analyzer);
    if (!memories.ok()) return Fail("memories", memories.status());
    if (auto m = (*memories)->CreateMemory({"bench", "ar", "en", ""}); !m.ok()) {
      return Fail("memory", m.status());
    }
    storage::LexiconStore lexicon_store(**store);
    if (!train_docs_dir.empty()) {
      // The memory grows by aligning documents into it, as import-docs does.
      tm::MemoryLexicons importer(**memories, lexicon_store, lex_options);
      for (size_t k = 0; k < size; ++k) {
        tm::AlignToMemoryParams params;
        params.memory = "bench";
        params.input = train_inputs[k];
        auto r = tm::AlignToMemory(**aligner, **memories, &importer, params);
        if (!r.ok()) return Fail("import " + train_names[k], r.status());
      }
    } else {
      std::vector<match::Unit> units;
      for (size_t k = 0; k < size; ++k) {
        match::Unit u;
        u.source = train[k].first;
        u.target = train[k].second;
        u.origin = match::Origin::kImport;
        units.push_back(std::move(u));
      }
      if (!units.empty()) {
        auto added = (*memories)->AddUnits("bench", std::move(units), tm::DuplicatePolicy::kKeepAll);
        if (!added.ok()) return Fail("add units", added.status());
      }
    }
    auto t2 = std::chrono::steady_clock::now();
    {
      tm::MemoryLexicons trainer(**memories, lexicon_store, lex_options);
      auto trained = trainer.Get("bench", **aligner);
      if (!trained.ok()) return Fail("train", trained.status());
    }
    auto t3 = std::chrono::steady_clock::now();
    // A second instance reads the stored lexicon back (a restarted server).
    tm::MemoryLexicons lexicons(**memories, lexicon_store, lex_options);
    auto loaded = lexicons.Get("bench", **aligner);
    if (!loaded.ok()) return Fail("load", loaded.status());
    if (loaded->trained_now) {
      std::fprintf(stderr, "align_memory_cases: the stored lexicon was not read back\n");
      return 1;
    }
    const fs::path o = out / std::to_string(size);
    fs::create_directories(o);
    auto t4 = std::chrono::steady_clock::now();
    for (int pass = 0; pass < 2; ++pass) {
      for (size_t d = 0; d < names.size(); ++d) {
        tm::AlignToMemoryParams params;
        params.memory = "bench";
        params.input = pass == 0 ? sentence_inputs[d] : doc_inputs[d];
        params.dry_run = true;
        params.learn_from_document = doc_learning;
        auto r = tm::AlignToMemory(**aligner, **memories, &lexicons, params);
        if (!r.ok()) return Fail(names[d], r.status());
        if (pass == 0) {
          std::ofstream fb(o / (names[d] + ".beads")), fc(o / (names[d] + ".conf"));
          for (const auto& b : r->alignment.beads) {
            fb << BeadLine(b) << "\n";
            fc << b.confidence << "\n";
          }
        } else {
          std::ofstream fp(o / (names[d] + ".pairs"));
          for (const auto& b : r->alignment.beads) {
            if (b.ar_size() == 0 || b.en_size() == 0) continue;
            fp << align::JoinForField(doc_inputs[d].ar, b.ar_begin, b.ar_end) << "\t"
               << align::JoinForField(doc_inputs[d].en, b.en_begin, b.en_end) << "\n";
          }
        }
      }
    }
    auto t5 = std::chrono::steady_clock::now();
    const uint64_t units = (*memories)->GetMemory("bench")->units;
    std::printf(
        "size=%zu units=%llu lexicon_entries=%zu train_ms=%.1f align_ms=%.1f "
        "accept_threshold=%.4f\n",
        size, static_cast<unsigned long long>(units), loaded->lexicon ? loaded->lexicon->size() : 0,
        Ms(t2, t3), Ms(t4, t5), (*aligner)->options().accept_threshold);
    std::fflush(stdout);
    memories->reset();
    (void)(*store)->Close();
  }
  if (own_work) fs::remove_all(work_dir);
  return 0;
}
