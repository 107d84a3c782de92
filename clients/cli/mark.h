// Marking spans of a text for the CLI's human output.
#ifndef QANTARA_CLIENTS_CLI_MARK_H_
#define QANTARA_CLIENTS_CLI_MARK_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace qantara::cli {

// `text` with the byte ranges [b, e) bracketed: "[" ... "]"; an empty range
// (a word only in the query) shows as "[-]". Overlapping or out-of-range
// spans are skipped.
std::string Mark(const std::string& text, std::vector<std::pair<uint32_t, uint32_t>> spans);

}  // namespace qantara::cli

#endif  // QANTARA_CLIENTS_CLI_MARK_H_
