// Languages the text engine knows, and parsing of BCP 47 codes into them.
#ifndef QANTARA_SERVICE_TEXT_LANGUAGE_H_
#define QANTARA_SERVICE_TEXT_LANGUAGE_H_

#include <string_view>

#include "absl/status/statusor.h"

namespace qantara::text {

enum class Language { kArabic, kEnglish };

// Parses a BCP 47 code such as "ar", "AR-sa", "en_US" into its language.
// Region, script and variant subtags are accepted and ignored.
// Returns InvalidArgument for an empty code or a language qantara does not handle.
absl::StatusOr<Language> ParseLanguage(std::string_view code);

// "ar" or "en".
std::string_view LanguageCode(Language lang);

}  // namespace qantara::text

#endif  // QANTARA_SERVICE_TEXT_LANGUAGE_H_
