// Rendering the memory commands' results (lookup, concordance, memory
// create|list|show|delete, add) as the text or JSON the CLI prints on stdout.
// Pure functions of the server's answer and the parsed arguments.
#ifndef QANTARA_CLIENTS_CLI_RENDER_MEMORY_H_
#define QANTARA_CLIENTS_CLI_RENDER_MEMORY_H_

#include <string>

#include "clients/cli/args.h"
#include "qantara/v1/memory.pb.h"

namespace qantara::cli {

// Matches best first: score, gross score and penalties, the source with its
// differences in [...], the target; or with --json
// {"matches": [...], "candidates_scored": N}.
std::string RenderLookup(const qantara::v1::LookupResponse& resp, const LookupArgs& args);

// One hit a line, UNIT_ID TAB searched side (spans in [...]) TAB other side,
// then "(more: --page-token T)"; or with --json {"hits": [...], "next_page_token"}.
std::string RenderConcordance(const qantara::v1::ConcordanceResponse& resp, const ConcordanceArgs& args);

// One fragment a line: CONFIDENCE TAB source TAB target TAB units, then the
// words covered; or with --json {"fragments": [{"source", "target",
// "confidence", "unit_ids", ...}], "text_words", "covered_words"}.
std::string RenderFragments(const qantara::v1::FragmentsResponse& resp, const FragmentsArgs& args);

// NAME TAB SRC -> TGT TAB N units, one memory a line; or a JSON array.
std::string RenderMemoryList(const qantara::v1::ListMemoriesResponse& resp, bool json);

// "name: ...\nlanguages: ...\nunits: ...\ndescription: ..."; or a JSON object.
std::string RenderMemory(const qantara::v1::Memory& memory, bool json);

std::string RenderMemoryCreated(const qantara::v1::Memory& memory);
std::string RenderMemoryDeleted(const std::string& name, const qantara::v1::DeleteMemoryResponse& resp);

// "added unit N", "skipped (identical unit exists) unit N" or
// "overwrote target of unit N".
std::string RenderAddUnit(const qantara::v1::AddUnitResponse& resp);

// "added A, skipped S, overwritten O".
std::string RenderAddUnits(const qantara::v1::AddUnitsResponse& resp);

}  // namespace qantara::cli

#endif  // QANTARA_CLIENTS_CLI_RENDER_MEMORY_H_
