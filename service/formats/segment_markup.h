// Rebuilding a Segment's text and inline codes from its stored TMX markup.
//
// Storage can keep only Segment::markup (the lossless form) and derive the
// matching text (placeholders) and the codes again with this function.
#ifndef QANTARA_SERVICE_FORMATS_SEGMENT_MARKUP_H_
#define QANTARA_SERVICE_FORMATS_SEGMENT_MARKUP_H_

#include <string_view>

#include "absl/status/status.h"
#include "service/formats/translation_unit.h"

namespace qantara::formats {

// Parses `markup` as the content of a TMX <seg> and sets out->markup (in
// canonical form: equal to `markup` when that came from a reader), out->text
// and out->codes; other fields of *out are left alone.
// Returns InvalidArgument ("segment markup: ...") when `markup` is not
// well-formed XML content, holds an entity other than the five built-in ones,
// an element TMX does not allow in <seg>, or unbalanced bpt/ept.
absl::Status ParseSegmentMarkup(std::string_view markup, Segment* out);

}  // namespace qantara::formats

#endif  // QANTARA_SERVICE_FORMATS_SEGMENT_MARKUP_H_
