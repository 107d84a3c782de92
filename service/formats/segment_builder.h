// Internal to qantara_formats: builds one Segment (canonical TMX markup,
// plain text with placeholders, inline codes) from parse events, checking
// inline-code balance and a byte limit. Used by the TMX and XLIFF readers
// (XLIFF codes are mapped onto TMX elements).
#ifndef QANTARA_SERVICE_FORMATS_SEGMENT_BUILDER_H_
#define QANTARA_SERVICE_FORMATS_SEGMENT_BUILDER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "service/formats/translation_unit.h"

namespace qantara::formats::internal {

using Attr = std::pair<std::string_view, std::string_view>;

class SegmentBuilder {
 public:
  // Starts an empty segment whose markup plus the memory of its InlineCode
  // records may take at most `max_bytes` (the text and native codes, never
  // longer than the markup, are not counted).
  void Reset(size_t max_bytes);

  // Character data (decoded): segment text, or native code inside a code
  // element, or markup only inside <sub>.
  void Text(std::string_view text);

  // A TMX element inside <seg>: bpt/ept/it/ph/ut/hi, or sub inside a code.
  // Anything else records an error.
  void StartTmxElement(std::string_view name, const std::vector<Attr>& attrs);
  void EndTmxElement();

  // An inline code element with the given TMX attributes (in order).
  void StartCode(InlineCode::Element element, const std::vector<Attr>& attrs);
  void EndCode() { EndTmxElement(); }

  // True inside a bpt/ept/it/ph/ut element (where only <sub> may appear).
  bool in_native_code() const;

  // Records the first error (the segment will not be delivered) and frees
  // the buffers; later events are ignored.
  void Fail(std::string reason);
  bool failed() const { return failed_; }
  const std::string& error() const { return error_; }

  // Bytes buffered so far.
  size_t bytes() const { return seg_.markup.size() + seg_.text.size() + native_bytes_; }

  // Checks that every bpt has its ept, then moves markup, text and codes
  // into `out` (other fields untouched). Returns false (see error()) when
  // the segment failed.
  bool Finish(Segment* out);

 private:
  enum class Frame { kCode, kHi, kNested };
  struct Open {
    Frame frame;
    std::string_view name;  // static TMX name, or the nested element's name (copied below)
    size_t code_index;      // kCode/kHi: index into seg_.codes
    bool pending;           // start tag written without its closing '>'
    std::string nested_name;
  };

  void CloseStartTag();
  void WriteStartTag(std::string_view name, const std::vector<Attr>& attrs);
  // Fails the segment when its markup and code records exceed the limit.
  bool CheckLimit();
  void FailTooLong();

  Segment seg_;
  std::vector<Open> stack_;
  std::vector<std::string> open_bpt_;  // i of bpt elements not yet closed
  size_t native_bytes_ = 0;
  size_t max_bytes_ = 0;
  bool failed_ = false;
  std::string error_;
};

}  // namespace qantara::formats::internal

#endif  // QANTARA_SERVICE_FORMATS_SEGMENT_BUILDER_H_
