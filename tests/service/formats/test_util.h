// Helpers for the qantara_formats tests: a sink that collects everything, and
// feeding a whole document in chunks of a chosen size.
#ifndef QANTARA_TESTS_SERVICE_FORMATS_TEST_UTIL_H_
#define QANTARA_TESTS_SERVICE_FORMATS_TEST_UTIL_H_

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "service/formats/translation_unit.h"
#include "service/formats/unit_reader.h"
#include "service/text/utf8.h"

namespace qantara::formats::testing {

class CollectingSink : public UnitSink {
 public:
  absl::Status OnUnit(TranslationUnit&& unit) override {
    units.push_back(std::move(unit));
    if (stop_after_units > 0 && units.size() >= stop_after_units) {
      return absl::CancelledError("sink stopped");
    }
    return absl::OkStatus();
  }
  absl::Status OnProblem(const Problem& problem) override {
    problems.push_back(problem);
    return absl::OkStatus();
  }
  size_t CountProblems(Problem::Severity s) const {
    size_t n = 0;
    for (const Problem& p : problems) n += p.severity == s;
    return n;
  }
  std::vector<TranslationUnit> units;
  std::vector<Problem> problems;
  size_t stop_after_units = 0;
};

struct ReadResult {
  absl::Status status;  // first error of Feed() or Finish()
  std::vector<TranslationUnit> units;
  std::vector<Problem> problems;
  ReadStats stats;
  size_t errors() const {
    size_t n = 0;
    for (const Problem& p : problems) n += p.severity == Problem::Severity::kError;
    return n;
  }
};

// Feeds `data` to a new reader of `format` in chunks of `chunk` bytes.
inline ReadResult ReadAll(FileFormat format, std::string_view data, size_t chunk = 4096,
                          const ReaderOptions& options = ReaderOptions()) {
  CollectingSink sink;
  std::unique_ptr<UnitReader> reader = NewUnitReader(format, options, &sink);
  ReadResult r;
  for (size_t pos = 0; pos < data.size() && r.status.ok(); pos += chunk) {
    r.status = reader->Feed(data.substr(pos, chunk));
  }
  if (r.status.ok()) r.status = reader->Finish();
  r.units = std::move(sink.units);
  r.problems = std::move(sink.problems);
  r.stats = reader->stats();
  return r;
}

// Each inline-code placeholder as a string, to build expected texts.
inline const std::string kOpen(kOpeningPlaceholderUtf8);
inline const std::string kClose(kClosingPlaceholderUtf8);
inline const std::string kStand(kStandalonePlaceholderUtf8);

inline ReadResult ReadXliff(std::string_view data, bool only_final = false, size_t chunk = 4096) {
  ReaderOptions options;
  options.xliff_only_final = only_final;
  return ReadAll(FileFormat::kXliff, data, chunk, options);
}

inline ReadResult ReadTmx(std::string_view data, size_t chunk = 4096,
                          const ReaderOptions& options = ReaderOptions()) {
  return ReadAll(FileFormat::kTmx, data, chunk, options);
}

inline std::string FixturePath(std::string_view name) {
  const char* src = std::getenv("QANTARA_SOURCE_DIR");
  return std::string(src != nullptr ? src : ".") + "/tests/service/formats/fixtures/" + std::string(name);
}

inline std::string ReadFileToString(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Re-encodes UTF-8 `in` as UTF-16 (LE or BE), with a byte-order mark if `bom`.
inline std::string Utf8ToUtf16(std::string_view in, bool big_endian, bool bom) {
  std::string out;
  auto put = [&](uint32_t u) {
    const char hi = static_cast<char>(u >> 8), lo = static_cast<char>(u & 0xFF);
    if (big_endian) {
      out.push_back(hi);
      out.push_back(lo);
    } else {
      out.push_back(lo);
      out.push_back(hi);
    }
  };
  if (bom) put(0xFEFF);
  for (size_t i = 0; i < in.size();) {
    uint32_t cp = text::DecodeUtf8(in, &i);  // REQUIRES: valid UTF-8
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put(0xD800 + (cp >> 10));
      put(0xDC00 + (cp & 0x3FF));
    } else {
      put(cp);
    }
  }
  return out;
}

}  // namespace qantara::formats::testing

#endif  // QANTARA_TESTS_SERVICE_FORMATS_TEST_UTIL_H_
