// The spans of a text that the tokenizer keeps whole although ICU's word
// rules would cut them: placeholders, inline tags and entities, URLs and
// e-mail addresses. A plain scanner, no regular expressions.
#ifndef QANTARA_SERVICE_TEXT_SPECIAL_SPANS_H_
#define QANTARA_SERVICE_TEXT_SPECIAL_SPANS_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "service/text/tokenizer.h"

namespace qantara::text {

struct SpecialSpan {
  size_t begin = 0;  // byte offsets into the text
  size_t end = 0;
  TokenClass cls = TokenClass::kPlaceholder;  // kPlaceholder, kTag, kUrl or kEmail
};

// The special spans of `text`, in order and non-overlapping. Recognised:
//  placeholders  printf %s %d %5.2f %1$s %(name)s %@ (not "% d": a space
//                after % is prose), Windows/Qt %1, ICU/.NET {0} {0,number}
//                {name} {count, plural, ...}, {{name}}, ${name}, and the
//                LibreOffice/shell/Windows forms %PRODUCTNAME %NAME% $(ARG1)
//                $NAME (all capitals), $name$, Ruby's %{name}, and the
//                positional $1..$9 only when closed by $ ($1$) or enclosed
//                in quotes or brackets ('$1' "$1" [$1]): a bare $5 is money,
//                a symbol and a number (Translate Toolkit's standard checker
//                does not take $N for a variable either; only its
//                LibreOffice and Mozilla profiles do);
//  tags          <b> </b> <x id="1"/> <g id='2' ctype="x-bold"> (name, then
//                only name=value attributes, so "x<y and y>z" is no tag),
//                and entities &amp; &#1234; &#x6F3;
//  URLs          http:// https:// ftp:// and www. up to whitespace, quotes,
//                angle brackets or non-ASCII punctuation, without trailing
//                . , ; : ! ? and unbalanced closing brackets
//  e-mail        local@domain.tld (ASCII; the domain needs a dot and a
//                top-level label of 2+ letters)
// REQUIRES: `text` is valid UTF-8.
std::vector<SpecialSpan> FindSpecialSpans(std::string_view text);

}  // namespace qantara::text

#endif  // QANTARA_SERVICE_TEXT_SPECIAL_SPANS_H_
