// Escaping for the XML that qantara_formats writes, and checks of what XML can hold.
#ifndef QANTARA_SERVICE_FORMATS_XML_ESCAPE_H_
#define QANTARA_SERVICE_FORMATS_XML_ESCAPE_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace qantara::formats {

// Appends `text` escaped for element content: & < > as entities, CR as
// "&#13;" (so that XML line-end normalisation cannot change it on re-read).
void AppendEscapedText(std::string_view text, std::string* out);

// Appends `value` escaped for a double-quoted attribute value: & < > " as
// entities, TAB, LF and CR as character references (attribute value
// normalisation would turn them into spaces otherwise).
void AppendEscapedAttribute(std::string_view value, std::string* out);

// Returns OK when `text` is valid UTF-8 made only of characters XML 1.0
// allows (TAB, LF, CR, U+0020..U+D7FF, U+E000..U+FFFD, U+10000..U+10FFFF).
// Otherwise InvalidArgument naming the byte offset of the first bad one.
absl::Status CheckXmlText(std::string_view text);

}  // namespace qantara::formats

#endif  // QANTARA_SERVICE_FORMATS_XML_ESCAPE_H_
