// Properties of single characters, for the engines above the text engine
// that must not call ICU themselves (the aligner's analyzers).
#ifndef QANTARA_SERVICE_TEXT_CHAR_PROPS_H_
#define QANTARA_SERVICE_TEXT_CHAR_PROPS_H_

#include <cstdint>
#include <string_view>

namespace qantara::text {

// The first code point of UTF-8 `s`; -1 when `s` is empty or does not start
// with a well-formed sequence.
int32_t FirstCodePoint(std::string_view s);

// True for a code point of the Latin script (Unicode Script property).
bool IsLatinScript(int32_t c);

// True for an upper-case letter (general category Lu).
bool IsUppercase(int32_t c);

}  // namespace qantara::text

#endif  // QANTARA_SERVICE_TEXT_CHAR_PROPS_H_
