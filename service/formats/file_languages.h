// The languages of a file's two sides (XLIFF's source-language and
// target-language, 2.x's srcLang and trgLang), resolved against the memory's
// pair once per file, as tools write them:
//  - what ReaderOptions::file_source_language / file_target_language say wins
//    over the file (`qantara import --source-lang/--target-lang`);
//  - a tag is read by its primary subtag, any case, ISO 639-1 or -2
//    ("AR", "ara", "ar_EG", "en-US": text::ParseLanguage);
//  - a side the file leaves out (po2xliff writes no target-language) is the
//    memory's other language, and both left out are the memory's direction:
//    a warning says so;
//  - a side that names another language ("fr"), or both sides the same
//    language, is an error for the whole file (reported once, not per unit).
#ifndef QANTARA_SERVICE_FORMATS_FILE_LANGUAGES_H_
#define QANTARA_SERVICE_FORMATS_FILE_LANGUAGES_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "service/formats/unit_reader.h"
#include "service/text/language.h"

namespace qantara::formats {

struct FileLanguages {
  text::Language source;  // of the file's source side
  text::Language target;  // of the file's target side
  // Empty, or one sentence for a warning: which side was inferred, and why.
  std::string inferred;
};

// `source_tag`, `target_tag`: what the file says (empty when it says
// nothing). InvalidArgument names the tags and the memory's pair.
absl::StatusOr<FileLanguages> ResolveFileLanguages(std::string_view source_tag, std::string_view target_tag,
                                                   const ReaderOptions& options);

}  // namespace qantara::formats

#endif  // QANTARA_SERVICE_FORMATS_FILE_LANGUAGES_H_
