// Checks of memory names, language pairs and units.
#include "service/tm/validation.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "service/base/status_macros.h"
#include "service/text/utf8.h"
#include "storage/limits.h"

namespace qantara::tm {

absl::Status ValidateMemoryName(const std::string& name) {
  if (name.empty() || name.size() > storage::kMaxMemoryNameBytes)
    return absl::InvalidArgumentError(
        absl::StrCat("memory name must be 1 to ", storage::kMaxMemoryNameBytes, " bytes"));
  if (!text::ValidateUtf8(name).ok()) return absl::InvalidArgumentError("memory name is not UTF-8");
  // Valid UTF-8: decode each code point and refuse the invisible ones that
  // make two names look alike or reorder a listing (C0/C1 controls, bidi
  // embeddings, overrides, isolates and marks, line separators).
  for (size_t i = 0; i < name.size();) {
    const unsigned char b = static_cast<unsigned char>(name[i]);
    const size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? b : b & (0x7F >> n);
    for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(name[i + k]) & 0x3F);
    i += n;
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
      return absl::InvalidArgumentError(absl::StrCat("memory name must not contain control characters (U+",
                                                     absl::Hex(cp, absl::kZeroPad4), ")"));
    }
    if (cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
        (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF) {
      return absl::InvalidArgumentError(
          absl::StrCat("memory name must not contain bidi or invisible control characters (U+",
                       absl::Hex(cp, absl::kZeroPad4), ")"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<LanguagePair> ParseLanguagePair(const std::string& source, const std::string& target) {
  auto src = text::ParseLanguage(source);
  if (!src.ok()) return absl::InvalidArgumentError(absl::StrCat("source_lang: ", src.status().message()));
  auto tgt = text::ParseLanguage(target);
  if (!tgt.ok()) return absl::InvalidArgumentError(absl::StrCat("target_lang: ", tgt.status().message()));
  if (*src == *tgt) {
    return absl::InvalidArgumentError(
        "a memory pairs Arabic with English: source and target languages must differ");
  }
  return LanguagePair{*src, *tgt};
}

// A side within kMaxSegmentBytes has at most that many tokens: storage
// reads them back (storage/limits.h).
static_assert(kMaxSegmentBytes <= storage::kMaxSideTokens);

namespace {

absl::Status TooLong(const std::string& what, size_t bytes, size_t limit) {
  return absl::InvalidArgumentError(
      absl::StrCat(what, " has ", bytes, " bytes; at most ", limit, " are allowed"));
}

absl::Status CheckText(const std::string& what, const std::string& text, size_t limit) {
  if (text.size() > limit) return TooLong(what, text.size(), limit);
  if (absl::Status s = text::ValidateUtf8(text); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": ", s.message()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateUnit(const match::Unit& u) {
  if (u.source.empty() || u.target.empty()) {
    return absl::InvalidArgumentError("a unit needs a non-empty source and target");
  }
  QANTARA_RETURN_IF_ERROR(CheckText("source", u.source, kMaxSegmentBytes));
  QANTARA_RETURN_IF_ERROR(CheckText("target", u.target, kMaxSegmentBytes));
  QANTARA_RETURN_IF_ERROR(CheckText("context prev", u.context.prev, kMaxContextBytes));
  QANTARA_RETURN_IF_ERROR(CheckText("context next", u.context.next, kMaxContextBytes));
  QANTARA_RETURN_IF_ERROR(CheckText("context id", u.context.id, kMaxFieldBytes));
  QANTARA_RETURN_IF_ERROR(CheckText("created_by", u.created_by, kMaxFieldBytes));
  QANTARA_RETURN_IF_ERROR(CheckText("changed_by", u.changed_by, kMaxFieldBytes));
  QANTARA_RETURN_IF_ERROR(CheckText("project", u.attributes.project, kMaxFieldBytes));
  QANTARA_RETURN_IF_ERROR(CheckText("domain", u.attributes.domain, kMaxFieldBytes));
  QANTARA_RETURN_IF_ERROR(CheckText("client", u.attributes.client, kMaxFieldBytes));
  if (u.attributes.extra.size() > kMaxAttributes) {
    return absl::InvalidArgumentError(absl::StrCat("a unit has ", u.attributes.extra.size(),
                                                   " attributes; at most ", kMaxAttributes, " are allowed"));
  }
  for (const auto& [key, value] : u.attributes.extra) {
    QANTARA_RETURN_IF_ERROR(CheckText("an attribute name", key, kMaxFieldBytes));
    QANTARA_RETURN_IF_ERROR(
        CheckText(absl::StrCat("attribute '", key.substr(0, 64), "'"), value, kMaxAttributeValueBytes));
  }
  if (!std::isfinite(u.alignment_confidence) || u.alignment_confidence < 0 || u.alignment_confidence > 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("alignment_confidence must be a number from 0 to 1, not ", u.alignment_confidence));
  }
  if (u.created_at_us < 0 || u.changed_at_us < 0) {
    return absl::InvalidArgumentError("created_at_us and changed_at_us must not be negative");
  }
  return absl::OkStatus();
}

absl::Status ValidateDescription(const std::string& description) {
  return CheckText("the memory description", description, kMaxDescriptionBytes);
}

}  // namespace qantara::tm
