// Checks of memory names, language pairs and units.
#include "service/tm/validation.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "service/base/error_details.h"
#include "service/base/status_macros.h"
#include "service/text/utf8.h"
#include "storage/limits.h"

namespace qantara::tm {

absl::Status ValidateMemoryName(const std::string& name) {
  if (name.empty() || name.size() > storage::kMaxMemoryNameBytes)
    return FieldError("name",
                      absl::StrCat("memory name must be 1 to ", storage::kMaxMemoryNameBytes, " bytes"));
  if (!text::ValidateUtf8(name).ok()) return FieldError("name", "memory name is not UTF-8");
  // Valid UTF-8: decode each code point and refuse the invisible ones that
  // make two names look alike or reorder a listing (C0/C1 controls, bidi
  // embeddings, overrides, isolates and marks, line separators).
  for (size_t i = 0; i < name.size();) {
    const char32_t cp = text::DecodeUtf8(name, &i);
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
      return FieldError("name", absl::StrCat("memory name must not contain control characters (U+",
                                             absl::Hex(cp, absl::kZeroPad4), ")"));
    }
    if (cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
        (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF) {
      return FieldError("name",
                        absl::StrCat("memory name must not contain bidi or invisible control characters (U+",
                                     absl::Hex(cp, absl::kZeroPad4), ")"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<LanguagePair> ParseLanguagePair(const std::string& source, const std::string& target) {
  auto src = text::ParseLanguage(source);
  if (!src.ok()) return FieldError("source_lang", absl::StrCat("source_lang: ", src.status().message()));
  auto tgt = text::ParseLanguage(target);
  if (!tgt.ok()) return FieldError("target_lang", absl::StrCat("target_lang: ", tgt.status().message()));
  if (*src == *tgt) {
    return FieldError("target_lang",
                      "a memory pairs Arabic with English: source and target languages must differ");
  }
  return LanguagePair{*src, *tgt};
}

// A side within kMaxSegmentBytes has at most that many tokens: storage
// reads them back (storage/limits.h).
static_assert(kMaxSegmentBytes <= storage::kMaxSideTokens);

namespace {

// `field`: the request field (relative to the unit for a unit's fields).
absl::Status TooLong(const std::string& what, absl::string_view field, size_t bytes, size_t limit) {
  return WithQuota(
      FieldError(field, absl::StrCat(what, " has ", bytes, " bytes; at most ", limit, " are allowed"),
                 "LIMIT_EXCEEDED"),
      field, absl::StrCat("at most ", limit, " bytes"));
}

absl::Status CheckText(const std::string& what, absl::string_view field, const std::string& text,
                       size_t limit) {
  if (text.size() > limit) return TooLong(what, field, text.size(), limit);
  if (absl::Status s = text::ValidateUtf8(text); !s.ok()) {
    return FieldError(field, absl::StrCat(what, ": ", s.message()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateUnit(const match::Unit& u) {
  if (u.source.empty() || u.target.empty()) {
    return FieldError(u.source.empty() ? "source" : "target", "a unit needs a non-empty source and target");
  }
  QANTARA_RETURN_IF_ERROR(CheckText("source", "source", u.source, kMaxSegmentBytes));
  QANTARA_RETURN_IF_ERROR(CheckText("target", "target", u.target, kMaxSegmentBytes));
  QANTARA_RETURN_IF_ERROR(CheckText("context prev", "context.prev", u.context.prev, kMaxContextBytes));
  QANTARA_RETURN_IF_ERROR(CheckText("context next", "context.next", u.context.next, kMaxContextBytes));
  QANTARA_RETURN_IF_ERROR(CheckText("context id", "context.id", u.context.id, kMaxFieldBytes));
  QANTARA_RETURN_IF_ERROR(CheckText("created_by", "created_by", u.created_by, kMaxFieldBytes));
  QANTARA_RETURN_IF_ERROR(CheckText("changed_by", "changed_by", u.changed_by, kMaxFieldBytes));
  QANTARA_RETURN_IF_ERROR(CheckText("project", "attributes.project", u.attributes.project, kMaxFieldBytes));
  QANTARA_RETURN_IF_ERROR(CheckText("domain", "attributes.domain", u.attributes.domain, kMaxFieldBytes));
  QANTARA_RETURN_IF_ERROR(CheckText("client", "attributes.client", u.attributes.client, kMaxFieldBytes));
  if (u.attributes.extra.size() > kMaxAttributes) {
    return WithQuota(FieldError("attributes.extra",
                                absl::StrCat("a unit has ", u.attributes.extra.size(),
                                             " attributes; at most ", kMaxAttributes, " are allowed"),
                                "LIMIT_EXCEEDED"),
                     "attributes.extra", absl::StrCat("at most ", kMaxAttributes, " attributes"));
  }
  for (const auto& [key, value] : u.attributes.extra) {
    QANTARA_RETURN_IF_ERROR(CheckText("an attribute name", "attributes.extra", key, kMaxFieldBytes));
    QANTARA_RETURN_IF_ERROR(CheckText(absl::StrCat("attribute '", key.substr(0, 64), "'"), "attributes.extra",
                                      value, kMaxAttributeValueBytes));
  }
  if (!std::isfinite(u.alignment_confidence) || u.alignment_confidence < 0 || u.alignment_confidence > 1) {
    return FieldError(
        "alignment_confidence",
        absl::StrCat("alignment_confidence must be a number from 0 to 1, not ", u.alignment_confidence),
        "VALUE_OUT_OF_RANGE");
  }
  if (u.created_at_us < 0 || u.changed_at_us < 0) {
    return FieldError(u.created_at_us < 0 ? "created_at_us" : "changed_at_us",
                      "created_at_us and changed_at_us must not be negative", "VALUE_OUT_OF_RANGE");
  }
  return absl::OkStatus();
}

absl::Status ValidateDescription(const std::string& description) {
  return CheckText("the memory description", "description", description, kMaxDescriptionBytes);
}

}  // namespace qantara::tm
