// The normalisation-rule options `qantara normalize` and `qantara tokenize`
// share: --rules LIST and one --no-RULE flag per rule.
#ifndef QANTARA_CLIENTS_CLI_RULE_OPTIONS_H_
#define QANTARA_CLIENTS_CLI_RULE_OPTIONS_H_

#include <array>
#include <iterator>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "qantara/v1/text.pb.h"
#include "service/text/normalizer.h"

namespace qantara::cli {

struct RuleArgs {
  std::string rules;  // "all" (default), "none" or a comma list of rule names
  std::array<bool, std::size(text::kAllNormalizationRules)> off{};  // --no-RULE
};

// Adds --rules and --no-nfkc, --no-diacritics, ... --no-punctuation to `cmd`.
// REQUIRES: `args` outlives the parse.
void AddRuleOptions(CLI::App* cmd, RuleArgs* args);

// The rules the options select, as the request message. InvalidArgument
// names an unknown rule in --rules.
absl::Status ToRequestRules(const RuleArgs& args, qantara::v1::NormalizationRules* out);

}  // namespace qantara::cli

#endif  // QANTARA_CLIENTS_CLI_RULE_OPTIONS_H_
