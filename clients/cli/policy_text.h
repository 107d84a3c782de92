// Small text helpers shared by the CLI's commands: duplicate-policy names and
// number formatting.
#ifndef QANTARA_CLIENTS_CLI_POLICY_TEXT_H_
#define QANTARA_CLIENTS_CLI_POLICY_TEXT_H_

#include <cstdint>
#include <string>

#include "qantara/v1/memory.pb.h"

namespace qantara::cli {

// "skip" | "overwrite" | "keep" -> the policy; false for anything else.
bool ParsePolicy(const std::string& name, qantara::v1::DuplicatePolicy* out);

// 1234567 -> "1,234,567".
std::string Thousands(uint64_t n);

}  // namespace qantara::cli

#endif  // QANTARA_CLIENTS_CLI_POLICY_TEXT_H_
