// Parsing a Segment's stored TMX markup back into its plain text (with
// placeholders) and inline codes.
#include "service/formats/segment_markup.h"

#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "service/formats/expat_stream.h"
#include "service/formats/segment_builder.h"

namespace qantara::formats {
namespace {

class MarkupHandler : public internal::XmlHandler {
 public:
  explicit MarkupHandler(size_t max_bytes) { builder.Reset(max_bytes); }
  void StartElement(const char* name, const char** attrs) override {
    if (depth++ == 0) return;  // the <seg> wrapper
    attrs_.clear();
    for (const char** a = attrs; *a != nullptr; a += 2) attrs_.emplace_back(a[0], a[1]);
    builder.StartTmxElement(name, attrs_);
  }
  void EndElement(const char* name) override {
    if (--depth == 0) return;
    builder.EndTmxElement();
  }
  void Text(std::string_view text) override { builder.Text(text); }

  internal::SegmentBuilder builder;
  int depth = 0;

 private:
  std::vector<internal::Attr> attrs_;
};

}  // namespace

absl::Status ParseSegmentMarkup(std::string_view markup, Segment* out) {
  MarkupHandler handler(std::numeric_limits<size_t>::max());
  internal::ExpatStream stream(&handler, /*namespaces=*/false, markup.size() + 1024);
  absl::Status s = stream.Feed("<seg>");
  if (s.ok()) s = stream.Feed(markup);
  if (s.ok()) s = stream.Feed("</seg>");
  if (s.ok()) s = stream.Finish();
  if (!s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("segment markup: ", std::string(s.message())));
  }
  if (!handler.builder.Finish(out)) {
    return absl::InvalidArgumentError(absl::StrCat("segment markup: ", handler.builder.error()));
  }
  return absl::OkStatus();
}

}  // namespace qantara::formats
