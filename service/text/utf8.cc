// UTF-8 validation and code point counting for the text engine.
#include "service/text/utf8.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "unicode/utf8.h"

namespace qantara::text {

absl::Status ValidateUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  if (text.size() > static_cast<size_t>(INT32_MAX)) {
    return absl::InvalidArgumentError("text larger than 2 GiB");
  }
  int32_t i = 0;
  while (i < length) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) {
      return absl::InvalidArgumentError(absl::StrCat("invalid UTF-8 at byte offset ", start));
    }
  }
  return absl::OkStatus();
}

size_t CountCodePoints(std::string_view text) {
  size_t n = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace qantara::text
