// UTF-8 validation and offset helpers shared by the text engine.
#ifndef QANTARA_SERVICE_TEXT_UTF8_H_
#define QANTARA_SERVICE_TEXT_UTF8_H_

#include <cstddef>
#include <string_view>

#include "absl/status/status.h"

namespace qantara::text {

// Returns OK when `text` is well-formed UTF-8 (no overlongs, surrogates or
// code points above U+10FFFF). Otherwise InvalidArgument naming the byte
// offset of the first bad sequence.
absl::Status ValidateUtf8(std::string_view text);

// Number of code points in well-formed UTF-8 `text`.
// REQUIRES: ValidateUtf8(text).ok()
size_t CountCodePoints(std::string_view text);

}  // namespace qantara::text

#endif  // QANTARA_SERVICE_TEXT_UTF8_H_
