// Rendering the text commands' results (segment, tokenize) as the text or
// JSON the CLI prints on stdout. Pure functions of the server's answer and
// the parsed arguments.
#ifndef QANTARA_CLIENTS_CLI_RENDER_TEXT_H_
#define QANTARA_CLIENTS_CLI_RENDER_TEXT_H_

#include <string>

#include "clients/cli/args.h"
#include "qantara/v1/text.pb.h"

namespace qantara::cli {

// One sentence a line.
std::string RenderSegment(const qantara::v1::SegmentResponse& resp);

// One token a line, TEXT TAB CLASS TAB NORM[ TAB STEM][ TAB CLITICS] (tabs
// and line breaks inside escaped as \t \n \r, a backslash as \\); or with
// --json {language, rules, tokens: [...]}.
std::string RenderTokenize(const qantara::v1::TokenizeResponse& resp, const TokenizeArgs& args);

}  // namespace qantara::cli

#endif  // QANTARA_CLIENTS_CLI_RENDER_TEXT_H_
