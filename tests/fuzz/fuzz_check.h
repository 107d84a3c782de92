// Shared checks of the fuzz targets: a broken invariant aborts (libFuzzer
// then saves the input as a crash).
#ifndef QANTARA_TESTS_FUZZ_FUZZ_CHECK_H_
#define QANTARA_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "service/text/segmenter.h"
#include "service/text/utf8.h"

namespace qantara::fuzz {

inline void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant broken: %s\n", what);
    std::abort();
  }
}

// Errors a text-engine call may return on arbitrary input.
inline void CheckExpectedError(const absl::Status& s) {
  Check(s.code() == absl::StatusCode::kInvalidArgument || s.code() == absl::StatusCode::kResourceExhausted,
        "unexpected error code");
}

inline bool IsSpaceByte(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// The segmenter's contract: spans in order, inside the text, code-point
// offsets agree with byte offsets, non-empty sentences (empty spans only
// with keep_empty), sentences do not start or end with ASCII whitespace,
// and gaps hold only whitespace (checked for ASCII, the common case).
inline void CheckSpans(std::string_view text, const std::vector<text::TextSpan>& spans, bool keep_empty) {
  size_t pos = 0;
  for (const text::TextSpan& s : spans) {
    Check(s.byte_begin >= pos, "spans out of order");
    Check(s.byte_begin <= s.byte_end && s.byte_end <= text.size(), "span outside the text");
    Check(s.char_begin == text::CountCodePoints(text.substr(0, s.byte_begin)), "char_begin");
    Check(s.char_end == text::CountCodePoints(text.substr(0, s.byte_end)), "char_end");
    if (s.byte_begin == s.byte_end) {
      Check(keep_empty, "empty span without keep_empty");
    } else {
      Check(!IsSpaceByte(text[s.byte_begin]) && !IsSpaceByte(text[s.byte_end - 1]), "untrimmed span");
    }
    for (size_t i = pos; i < s.byte_begin; ++i) {
      Check(static_cast<unsigned char>(text[i]) >= 0x80 || IsSpaceByte(text[i]), "text lost in a gap");
    }
    pos = s.byte_end;
  }
  for (size_t i = pos; i < text.size(); ++i) {
    Check(static_cast<unsigned char>(text[i]) >= 0x80 || IsSpaceByte(text[i]), "text lost at the end");
  }
}

}  // namespace qantara::fuzz

#endif  // QANTARA_TESTS_FUZZ_FUZZ_CHECK_H_
