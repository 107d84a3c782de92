// Parsing BCP 47 codes into the text engine's languages, and their codes back.
#include "service/text/language.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace qantara::text {

absl::StatusOr<Language> ParseLanguage(std::string_view code) {
  if (code.empty()) {
    return absl::InvalidArgumentError("language is required (ar or en)");
  }
  std::string_view primary = code.substr(0, code.find_first_of("-_"));
  std::string lower = absl::AsciiStrToLower(std::string(primary));
  if (lower == "ar" || lower == "ara") return Language::kArabic;
  if (lower == "en" || lower == "eng") return Language::kEnglish;
  // Quoted escaped and cut: the tag comes from a client.
  const std::string shown = absl::CHexEscape(std::string(code.substr(0, 32)));
  return absl::InvalidArgumentError(absl::StrCat(
      "unsupported language '", shown, code.size() > 32 ? "..." : "", "': qantara handles ar and en"));
}

std::string_view LanguageCode(Language lang) {
  switch (lang) {
    case Language::kArabic: return "ar";
    case Language::kEnglish: return "en";
  }
  return "?";
}

}  // namespace qantara::text
