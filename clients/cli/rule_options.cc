// The --rules LIST and --no-RULE flags of `qantara normalize` and `tokenize`,
// and their conversion into the request's NormalizationRules.
#include "clients/cli/rule_options.h"

#include <string>

#include "absl/strings/str_split.h"

namespace qantara::cli {

void AddRuleOptions(CLI::App* cmd, RuleArgs* args) {
  std::string names;
  for (text::NormalizationRule r : text::kAllNormalizationRules) {
    if (!names.empty()) names += ",";
    names += std::string(text::NormalizationRuleName(r));
  }
  cmd->add_option("--rules", args->rules,
                  "normalisation rules to apply: all (default), none, or a comma list of " + names)
      ->group("Normalisation");
  for (size_t i = 0; i < std::size(text::kAllNormalizationRules); ++i) {
    std::string flag(text::NormalizationRuleName(text::kAllNormalizationRules[i]));
    for (char& c : flag) {
      if (c == '_') c = '-';
    }
    cmd->add_flag("--no-" + flag, args->off[i], "switch off the " + flag + " rule")->group("Normalisation");
  }
}

absl::Status ToRequestRules(const RuleArgs& args, qantara::v1::NormalizationRules* out) {
  uint32_t bits = text::NormalizationOptions::All().Bits();
  if (!args.rules.empty() && args.rules != "all") {
    bits = 0;
    if (args.rules != "none") {
      for (absl::string_view part : absl::StrSplit(args.rules, ',', absl::SkipWhitespace())) {
        std::string name(part);
        name.erase(0, name.find_first_not_of(' '));
        name.erase(name.find_last_not_of(' ') + 1);
        absl::StatusOr<text::NormalizationRule> r = text::ParseNormalizationRule(name);
        if (!r.ok()) return r.status();
        bits |= *r;
      }
    }
  }
  for (size_t i = 0; i < std::size(text::kAllNormalizationRules); ++i) {
    if (args.off[i]) bits &= ~static_cast<uint32_t>(text::kAllNormalizationRules[i]);
  }
  const text::NormalizationOptions o = text::NormalizationOptions::FromBits(bits);
  out->set_nfkc(o.nfkc);
  out->set_diacritics(o.strip_diacritics);
  out->set_tatweel(o.strip_tatweel);
  out->set_format_marks(o.strip_format_marks);
  out->set_alef(o.unify_alef);
  out->set_alef_maqsura(o.alef_maqsura_to_ya);
  out->set_ta_marbuta(o.ta_marbuta_to_ha);
  out->set_hamza(o.hamza_carriers);
  out->set_digits(o.fold_digits);
  out->set_fold_case(o.fold_case);
  out->set_punctuation(o.unify_punctuation);
  return absl::OkStatus();
}

}  // namespace qantara::cli
