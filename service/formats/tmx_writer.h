// Streaming TMX 1.4b writer.
//
// Writes the XML declaration and <header> first, then one <tu> per Write(),
// then </body></tmx> on Finish(), handing the bytes to an output callback in
// blocks of about `flush_bytes` (e.g. one gRPC message each). Memory is one
// block, whatever the number of units. The output is UTF-8.
//
// Each unit is written as
//   <tu [tuid] [srclang] [creationdate] [creationid] [changedate] [changeid]
//       [lastusagedate] [usagecount]>  <note>*  <prop type>*
//     <tuv xml:lang="source lang_tag">  <note>*  <prop>*  <seg>markup</seg></tuv>
//     <tuv xml:lang="target lang_tag"> ... </tuv>
//   </tu>
// (one element a line, indented; never any whitespace added inside <seg>).
// with the segment markup written verbatim (inline codes restored) and every
// other string escaped, so that TmxReader reads back the same unit byte for
// byte (TranslationUnit::SameContent), given the same direction. srclang is
// written on the <tu> only when it differs from the header's (the reader
// falls back on the header's).
#ifndef QANTARA_SERVICE_FORMATS_TMX_WRITER_H_
#define QANTARA_SERVICE_FORMATS_TMX_WRITER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "service/formats/tmx_header.h"
#include "service/formats/translation_unit.h"

namespace qantara::formats {

struct TmxWriterOptions {
  // Written as the <header>; srclang should be the memory's source language.
  TmxHeader header;
  // Output block size: the callback gets blocks of at least this many bytes
  // (except the last).
  size_t flush_bytes = 256 * 1024;
};

class TmxWriter {
 public:
  // Receives the file's bytes in order. A non-OK status stops the writer:
  // the call that triggered the flush returns it, and so do later calls.
  using Output = std::function<absl::Status(std::string_view bytes)>;

  TmxWriter(TmxWriterOptions options, Output output);
  TmxWriter(const TmxWriter&) = delete;
  TmxWriter& operator=(const TmxWriter&) = delete;

  // Appends one unit. The unit is checked completely before any of it is
  // written: InvalidArgument (and nothing written) when a string is not
  // valid UTF-8 or holds a character XML 1.0 cannot carry (e.g. U+0001), or
  // a segment has neither markup nor text.
  // A segment with empty `markup` is written from its `text` (escaped), which
  // then must not hold placeholders (InvalidArgument).
  // REQUIRES: every non-empty Segment::markup is canonical TMX <seg> content,
  // as the readers produce it. REQUIRES: Finish() was not called.
  absl::Status Write(const TranslationUnit& unit);

  // Closes the document and flushes. REQUIRES: called once.
  absl::Status Finish();

  uint64_t units_written() const { return units_; }
  uint64_t bytes_written() const { return bytes_; }

 private:
  void Start();
  absl::Status MaybeFlush(bool force);

  TmxWriterOptions options_;
  Output output_;
  std::string buf_;
  bool started_ = false;
  bool finished_ = false;
  uint64_t units_ = 0;
  uint64_t bytes_ = 0;
  absl::Status status_;
};

}  // namespace qantara::formats

#endif  // QANTARA_SERVICE_FORMATS_TMX_WRITER_H_
