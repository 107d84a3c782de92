// libFuzzer target for the TMX, XLIFF, CSV and PO readers (-DQANTARA_FUZZ=ON, clang).
//
// Input: byte 0 picks the reader (TMX, XLIFF, CSV or PO: gettext's parser, so
// what a client's PO can do to the server) and the direction, byte 1 the
// chunk size; the rest is the file. Checks, beyond "no crash, no leak, no
// UB": every delivered unit writes as TMX and reads back identical, and its
// markup rebuilds the same text and codes; a CSV or PO read in one chunk delivers
// the same units and ends the same way.
//
//   tests/fuzz/run_fuzzers.sh   (builds it as build-fuzz/fuzz/fuzz_formats and runs it
//   from tests/fuzz/corpus/fuzz_formats)
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "service/formats/segment_markup.h"
#include "service/formats/tmx_reader.h"
#include "service/formats/tmx_writer.h"
#include "service/formats/unit_reader.h"

namespace qantara::formats {
namespace {

class Sink : public UnitSink {
 public:
  absl::Status OnUnit(TranslationUnit&& unit) override {
    units.push_back(std::move(unit));
    return absl::OkStatus();
  }
  absl::Status OnProblem(const Problem&) override { return absl::OkStatus(); }
  std::vector<TranslationUnit> units;
};

// A broken invariant: says which line, then aborts (libFuzzer saves the input).
void Fail(int line) {
  std::fprintf(stderr, "fuzz_formats: invariant at formats_fuzz.cc:%d broken\n", line);
  std::abort();
}
#define Check(ok) \
  if (!(ok)) Fail(__LINE__)

}  // namespace
}  // namespace qantara::formats

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace qantara::formats;
  if (size < 2) return 0;
  const FileFormat format = (data[0] & 16)  ? FileFormat::kPo
                            : (data[0] & 8) ? FileFormat::kCsv
                            : (data[0] & 1) ? FileFormat::kXliff
                                            : FileFormat::kTmx;
  ReaderOptions options;
  if (data[0] & 2) {
    options.source_language = qantara::text::Language::kArabic;
    options.target_language = qantara::text::Language::kEnglish;
  }
  options.xliff_only_final = data[0] & 4;
  options.po_include_fuzzy = data[0] & 4;
  options.max_segment_bytes = 4096;
  options.max_unit_bytes = 16384;
  options.max_token_bytes = 8192;
  const size_t chunk = 1 + data[1];
  std::string_view doc(reinterpret_cast<const char*>(data + 2), size - 2);

  Sink sink;
  std::unique_ptr<UnitReader> reader = NewUnitReader(format, options, &sink);
  absl::Status s;
  for (size_t pos = 0; pos < doc.size() && s.ok(); pos += chunk) s = reader->Feed(doc.substr(pos, chunk));
  if (s.ok()) s = reader->Finish();
  if (format == FileFormat::kCsv || format == FileFormat::kPo) {  // chunking changes nothing
    Sink whole;
    std::unique_ptr<UnitReader> one = NewUnitReader(format, options, &whole);
    absl::Status s1 = one->Feed(doc);
    if (s1.ok()) s1 = one->Finish();
    // gettext's grammar keeps a little state between reads (its plural
    // counter), which only changes the wording of a PO error: for PO the
    // outcome must agree, the message may differ.
    Check(format == FileFormat::kPo ? s1.code() == s.code() : s1 == s);
    Check(whole.units.size() == sink.units.size());
    for (size_t i = 0; i < whole.units.size(); ++i) {
      Check(whole.units[i].SameContent(sink.units[i]) && whole.units[i].line == sink.units[i].line);
    }
  }

  // Round trip of whatever was delivered.
  std::string out;
  TmxWriterOptions wo;
  wo.header.srclang = "";
  TmxWriter writer(wo, [&](std::string_view b) {
    out.append(b);
    return absl::OkStatus();
  });
  for (const TranslationUnit& u : sink.units) {
    Check(writer.Write(u).ok());
    for (const Segment* seg : {&u.source, &u.target}) {
      Segment rebuilt;
      Check(ParseSegmentMarkup(seg->markup, &rebuilt).ok());
      Check(rebuilt.markup == seg->markup && rebuilt.text == seg->text && rebuilt.codes == seg->codes);
    }
  }
  Check(writer.Finish().ok());
  Sink again;
  options.max_segment_bytes = options.max_unit_bytes = options.max_token_bytes = 1 << 20;
  TmxReader reread(options, &again);
  Check(reread.Feed(out).ok());
  Check(reread.Finish().ok());
  Check(again.units.size() == sink.units.size());
  for (size_t i = 0; i < sink.units.size(); ++i) {
    TranslationUnit expected = sink.units[i];
    // The writer cannot express an empty srclang when the header's is empty either way.
    Check(again.units[i].SameContent(expected));
  }
  return 0;
}
