// File helpers shared by the alignment benchmarks (align_cases,
// align_memory_cases): reading the cases of shared/bench/align/make_cases.py
// and writing beads in the form its score.py reads.
#ifndef QANTARA_TESTS_BENCH_ALIGN_CASE_FILES_H_
#define QANTARA_TESTS_BENCH_ALIGN_CASE_FILES_H_

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "service/align/aligner.h"

namespace qantara::bench {

// The bytes of file `p` (empty when it cannot be read).
inline std::string Slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// `s` split at '\n' (no empty line for a final newline).
inline std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t e = s.find('\n', pos);
    if (e == std::string::npos) e = s.size();
    out.push_back(s.substr(pos, e - pos));
    pos = e + 1;
  }
  return out;
}

// A bead as score.py reads it: "[0, 1]:[0]" (sentence indexes of each side).
inline std::string BeadLine(const align::Bead& b) {
  auto side = [](int x, int y) {
    std::string s = "[";
    for (int k = x; k < y; ++k) s += (k > x ? ", " : "") + std::to_string(k);
    return s + "]";
  };
  return side(b.ar_begin, b.ar_end) + ":" + side(b.en_begin, b.en_end);
}

}  // namespace qantara::bench

#endif  // QANTARA_TESTS_BENCH_ALIGN_CASE_FILES_H_
