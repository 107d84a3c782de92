// Checks of memory names, language pairs and units.
#include "service/tm/validation.h"

#include "absl/strings/str_cat.h"
#include "service/text/utf8.h"

namespace qantara::tm {

absl::Status ValidateMemoryName(const std::string& name) {
  if (name.empty() || name.size() > 200)
    return absl::InvalidArgumentError("memory name must be 1 to 200 bytes");
  if (!text::ValidateUtf8(name).ok()) return absl::InvalidArgumentError("memory name is not UTF-8");
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f)
      return absl::InvalidArgumentError("memory name must not contain control characters");
  }
  return absl::OkStatus();
}

absl::StatusOr<LanguagePair> ParseLanguagePair(const std::string& source, const std::string& target) {
  auto src = text::ParseLanguage(source);
  if (!src.ok()) return src.status();
  auto tgt = text::ParseLanguage(target);
  if (!tgt.ok()) return tgt.status();
  if (*src == *tgt) {
    return absl::InvalidArgumentError(
        "a memory pairs Arabic with English: source and target languages must differ");
  }
  return LanguagePair{*src, *tgt};
}

absl::Status ValidateUnit(const match::Unit& u) {
  if (u.source.empty() || u.target.empty()) {
    return absl::InvalidArgumentError("a unit needs a non-empty source and target");
  }
  if (absl::Status s = text::ValidateUtf8(u.source); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("source: ", s.message()));
  }
  if (absl::Status s = text::ValidateUtf8(u.target); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("target: ", s.message()));
  }
  return absl::OkStatus();
}

}  // namespace qantara::tm
