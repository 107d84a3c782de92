// align_cases: runs the aligner over a directory of cases made by
// shared/bench/align/make_cases.py and writes what score.py reads:
//   OUT/NAME.beads  from NAME.ar + NAME.en (one sentence a line)
//   OUT/NAME.pairs  from NAME.ar.doc + NAME.en.doc (segmented here), arabic TAB english
//   OUT/NAME.conf   confidence of each bead of NAME.beads, one a line (for calibration)
//   OUT/NAME.evidence  per bead of NAME.beads: posterior, score and its align::BeadEvidence
//                   (content, words, translated, form per side, length deviate)
//   OUT/NAME.share  the parallel share (align::ParallelShare at the accept threshold) of the
//                   sentence-level and of the end-to-end alignment, on one line
//   OUT/NAME.pairs.conf  per line of NAME.pairs: the bead's confidence, Arabic and English
//                   sentence counts (for the stored-pair precision of comparable_eval.py)
// Usage: align_cases CASES_DIR OUT_DIR [--no-dict] [--no-batch] [--dictd DIR]
//   --no-dict   no FreeDict (length and anchors only)
//   --no-batch  align each document pair alone (no lexicon learned from the batch)
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "service/align/aligner.h"
#include "service/align/document.h"
#include "service/align/lexicon.h"
#include "service/text/segmenter.h"
#include "tests/bench/align_case_files.h"

namespace fs = std::filesystem;
using namespace qantara;
using bench::BeadLine;
using bench::Lines;
using bench::Slurp;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: align_cases CASES_DIR OUT_DIR [--no-dict] [--no-batch] [--dictd DIR]\n");
    return 2;
  }
  const fs::path cases = argv[1], out = argv[2];
  bool dict = true, batch = true;
  std::string dictd = align::kDefaultDictdDir;
  for (int k = 3; k < argc; ++k) {
    std::string a = argv[k];
    if (a == "--no-dict")
      dict = false;
    else if (a == "--no-batch")
      batch = false;
    else if (a == "--dictd" && k + 1 < argc)
      dictd = argv[++k];
  }
  fs::create_directories(out);
  align::AlignerOptions opts;
  opts.learn_batch_lexicon = batch;
  auto t0 = std::chrono::steady_clock::now();
  absl::StatusOr<std::unique_ptr<align::Aligner>> aligner =
      align::CreateDefaultAligner(dict ? dictd : "", opts);
  auto t1 = std::chrono::steady_clock::now();
  auto ar_seg = text::SentenceSegmenter::Create(text::Language::kArabic);
  auto en_seg = text::SentenceSegmenter::Create(text::Language::kEnglish);
  if (!aligner.ok() || !ar_seg.ok() || !en_seg.ok()) {
    std::fprintf(stderr, "align_cases: cannot create the aligner or segmenters\n");
    return 1;
  }

  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(cases)) {
    const std::string f = e.path().filename().string();
    if (f.size() > 5 && f.substr(f.size() - 5) == ".gold") names.push_back(f.substr(0, f.size() - 5));
  }
  std::sort(names.begin(), names.end());
  // Sentence-level.
  std::vector<std::vector<std::string>> ar_lines, en_lines;
  std::vector<align::DocumentPairInput> inputs;
  size_t n_sent = 0;
  for (const std::string& n : names) {
    ar_lines.push_back(Lines(Slurp(cases / (n + ".ar"))));
    en_lines.push_back(Lines(Slurp(cases / (n + ".en"))));
  }
  for (size_t d = 0; d < names.size(); ++d) {
    align::DocumentPairInput in;
    for (const auto& l : ar_lines[d]) in.ar.push_back({l, false});
    for (const auto& l : en_lines[d]) in.en.push_back({l, false});
    n_sent += in.ar.size() + in.en.size();
    inputs.push_back(std::move(in));
  }
  auto t2 = std::chrono::steady_clock::now();
  auto result = (*aligner)->AlignBatch(inputs);
  auto t3 = std::chrono::steady_clock::now();
  if (!result.ok()) {
    std::fprintf(stderr, "align_cases: %s\n", std::string(result.status().message()).c_str());
    return 1;
  }
  for (size_t d = 0; d < names.size(); ++d) {
    std::ofstream fb(out / (names[d] + ".beads")), fc(out / (names[d] + ".conf"));
    std::ofstream fe(out / (names[d] + ".evidence"));
    for (const auto& b : (*result)[d].beads) {
      fb << BeadLine(b) << "\n";
      fc << b.confidence << "\n";
      const align::BeadEvidence& e = b.evidence;
      fe << b.posterior << " " << b.score << " " << e.ar_content << " " << e.en_content << " " << e.ar_words
         << " " << e.en_words << " " << e.ar_translated << " " << e.en_translated << " " << e.ar_form << " "
         << e.en_form << " " << e.length_z << " " << e.ar_length << " " << e.en_length << " "
         << (*result)[d].params.length.ratio() << " " << (*result)[d].params.length.variance() << " "
         << e.ar_matchable << " " << e.en_matchable << "\n";
    }
  }
  // End-to-end.
  std::vector<std::string> ar_docs, en_docs;
  std::vector<align::DocumentPairInput> doc_inputs;
  for (const std::string& n : names) {
    ar_docs.push_back(Slurp(cases / (n + ".ar.doc")));
    en_docs.push_back(Slurp(cases / (n + ".en.doc")));
  }
  for (size_t d = 0; d < names.size(); ++d) {
    auto sa = align::SegmentDocument(**ar_seg, ar_docs[d]);
    auto se = align::SegmentDocument(**en_seg, en_docs[d]);
    if (!sa.ok() || !se.ok()) return 1;
    doc_inputs.push_back({align::ToInput(ar_docs[d], *sa), align::ToInput(en_docs[d], *se)});
  }
  auto docs = (*aligner)->AlignBatch(doc_inputs);
  if (!docs.ok()) return 1;
  const double thr = (*aligner)->options().accept_threshold;
  for (size_t d = 0; d < names.size(); ++d) {
    std::ofstream(out / (names[d] + ".share")) << align::ParallelShare((*result)[d].beads, thr) << " "
                                               << align::ParallelShare((*docs)[d].beads, thr) << "\n";
    std::ofstream fp(out / (names[d] + ".pairs")), fpc(out / (names[d] + ".pairs.conf"));
    for (const auto& b : (*docs)[d].beads) {
      if (b.ar_size() == 0 || b.en_size() == 0) continue;
      fp << align::JoinForField(doc_inputs[d].ar, b.ar_begin, b.ar_end) << "\t"
         << align::JoinForField(doc_inputs[d].en, b.en_begin, b.en_end) << "\n";
      fpc << b.confidence << " " << b.ar_size() << " " << b.en_size() << "\n";
    }
  }
  auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
  std::printf(
      "lexicon_load_ms=%.1f align_ms=%.1f sentences=%zu docs=%zu accept_threshold=%.4f "
      "min_parallel_share=%.4f\n",
      ms(t0, t1), ms(t2, t3), n_sent, names.size(), thr, align::kDefaultMinParallelShare);
  return 0;
}
