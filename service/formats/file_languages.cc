// ResolveFileLanguages: a file's languages against the memory's pair.
#include "service/formats/file_languages.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "service/formats/translation_unit.h"

namespace qantara::formats {
namespace {

using text::Language;

Language Other(Language l, const ReaderOptions& o) {
  return l == o.source_language ? o.target_language : o.source_language;
}

// LanguageCode as a std::string (Debian's Abseil has its own string_view).
std::string Code(Language l) { return std::string(text::LanguageCode(l)); }

bool InPair(Language l, const ReaderOptions& o) { return l == o.source_language || l == o.target_language; }

}  // namespace

absl::StatusOr<FileLanguages> ResolveFileLanguages(std::string_view source_tag, std::string_view target_tag,
                                                   const ReaderOptions& options) {
  const std::string pair = absl::StrCat(Code(options.source_language), "/", Code(options.target_language));
  // Each side: the override, else the file's tag when it has one.
  std::optional<Language> src = options.file_source_language, tgt = options.file_target_language;
  auto read = [&](std::string_view tag, std::optional<Language>& side) -> absl::Status {
    if (side.has_value() || tag.empty()) return absl::OkStatus();
    absl::StatusOr<Language> l = text::ParseLanguage(tag);
    if (!l.ok() || !InPair(*l, options)) {
      return absl::InvalidArgumentError(
          absl::StrCat("file languages '", ShownInMessage(source_tag), "' -> '", ShownInMessage(target_tag),
                       "' are not the memory's ", pair,
                       " pair (--source-lang/--target-lang set them when the file says them wrong)"));
    }
    side = *l;
    return absl::OkStatus();
  };
  if (absl::Status s = read(source_tag, src); !s.ok()) return s;
  if (absl::Status s = read(target_tag, tgt); !s.ok()) return s;
  FileLanguages out{options.source_language, options.target_language, ""};
  if (src && tgt) {
    if (*src == *tgt) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the file's source and target are both '", Code(*src), "' (languages '", ShownInMessage(source_tag),
          "' -> '", ShownInMessage(target_tag), "'; the memory is ", pair, ")"));
    }
    out.source = *src;
    out.target = *tgt;
  } else if (src) {
    out.source = *src;
    out.target = Other(*src, options);
    out.inferred = absl::StrCat("the file names no target language: taken as '", Code(out.target),
                                "', the memory's other language");
  } else if (tgt) {
    out.target = *tgt;
    out.source = Other(*tgt, options);
    out.inferred = absl::StrCat("the file names no source language: taken as '", Code(out.source),
                                "', the memory's other language");
  } else {
    out.inferred = absl::StrCat("the file names no languages: taken as the memory's ", pair);
  }
  return out;
}

}  // namespace qantara::formats
