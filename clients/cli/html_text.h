// The running text of an HTML document, for aligning HTML document pairs
// (`qantara import-docs`). Plain C++ on libxml2's HTML parser: no gRPC.
#ifndef QANTARA_CLIENTS_CLI_HTML_TEXT_H_
#define QANTARA_CLIENTS_CLI_HTML_TEXT_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace qantara::cli {

// Parses `html` with libxml2's forgiving HTML parser (no network, no
// entities beyond HTML's own) and returns the text of its body as
// paragraphs separated by one blank line: every block element (p, div,
// h1-h6, li, td, th, dt, dd, blockquote, pre, tr, section, article, header,
// footer, aside, nav, figcaption, caption, address...) and every <br> ends
// a paragraph; whitespace runs inside a paragraph become one space. The
// contents of script, style, noscript, template, head (with its <title>)
// and comments are left out. The encoding is the document's <meta charset>
// when it declares one, else UTF-8; the result is UTF-8. InvalidArgument
// when the input cannot be parsed at all.
absl::StatusOr<std::string> HtmlToText(std::string_view html);

}  // namespace qantara::cli

#endif  // QANTARA_CLIENTS_CLI_HTML_TEXT_H_
