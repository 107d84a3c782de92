// Duplicate-policy names parsed into their proto enum, and numbers printed with
// thousands separators, for the CLI's commands.
#include "clients/cli/policy_text.h"

namespace qantara::cli {

bool ParsePolicy(const std::string& name, qantara::v1::DuplicatePolicy* out) {
  if (name == "skip")
    *out = qantara::v1::DUPLICATE_POLICY_SKIP_IDENTICAL;
  else if (name == "overwrite")
    *out = qantara::v1::DUPLICATE_POLICY_OVERWRITE_TARGET;
  else if (name == "keep")
    *out = qantara::v1::DUPLICATE_POLICY_KEEP_ALL;
  else
    return false;
  return true;
}

std::string Thousands(uint64_t n) {
  std::string s = std::to_string(n), out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && (s.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(s[i]);
  }
  return out;
}

}  // namespace qantara::cli
