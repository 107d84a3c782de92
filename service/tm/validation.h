// The checks the translation-memory layer makes of what callers hand it
// before anything is stored: memory names, language pairs, units.
#ifndef QANTARA_SERVICE_TM_VALIDATION_H_
#define QANTARA_SERVICE_TM_VALIDATION_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "service/match/unit.h"
#include "service/text/language.h"

namespace qantara::tm {

// A memory's two languages, parsed (text::ParseLanguage).
struct LanguagePair {
  text::Language source = text::Language::kArabic;
  text::Language target = text::Language::kEnglish;
  text::Language side(bool target_side) const { return target_side ? target : source; }
};

// InvalidArgument unless `name` is 1-200 bytes of UTF-8 without control
// characters.
absl::Status ValidateMemoryName(const std::string& name);

// The parsed pair; InvalidArgument when a code is not Arabic or English, or
// both sides are the same language.
absl::StatusOr<LanguagePair> ParseLanguagePair(const std::string& source, const std::string& target);

// OK, or InvalidArgument (an empty source or target, or invalid UTF-8).
absl::Status ValidateUnit(const match::Unit& unit);

}  // namespace qantara::tm

#endif  // QANTARA_SERVICE_TM_VALIDATION_H_
