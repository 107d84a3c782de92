// The checks the translation-memory layer makes of what callers hand it
// before anything is stored: memory names, language pairs, units.
#ifndef QANTARA_SERVICE_TM_VALIDATION_H_
#define QANTARA_SERVICE_TM_VALIDATION_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "service/match/unit.h"
#include "service/text/language.h"
#include "storage/limits.h"

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

// What one unit may hold. A side of at most kMaxSegmentBytes has at most
// that many matching tokens (a token is at least one byte), which is what
// storage reads back (storage::kMaxSideTokens): no unit that passes can
// make a record the store cannot read.
inline constexpr size_t kMaxSegmentBytes = size_t{1} << 20;   // source, target: 1 MiB each
inline constexpr size_t kMaxContextBytes = size_t{1} << 20;   // context prev, next: 1 MiB each
inline constexpr size_t kMaxFieldBytes = 4096;                // created_by, project, context id, ...
inline constexpr size_t kMaxAttributes = 256;                 // free attributes of a unit
inline constexpr size_t kMaxAttributeValueBytes = 64 * 1024;  // one free attribute's value
inline constexpr size_t kMaxDescriptionBytes = storage::kMaxDescriptionBytes;  // a memory's description

// OK, or InvalidArgument naming what is wrong: an empty source or target,
// invalid UTF-8, a part over its limit above, an alignment confidence that
// is not a number from 0 to 1, a negative date.
absl::Status ValidateUnit(const match::Unit& unit);

// OK, or InvalidArgument: a description over kMaxDescriptionBytes or not UTF-8.
absl::Status ValidateDescription(const std::string& description);

}  // namespace qantara::tm

#endif  // QANTARA_SERVICE_TM_VALIDATION_H_
