// XliffParser, private to the XLIFF reader: its element contexts (Ctx, Node),
// the state of the unit and segment being read (with a 1.2 unit's <seg-source>
// segments and tool statuses), and the name helpers its element handlers
// (xliff_elements.cc, xliff_inline.cc, xliff_segments.cc, xliff_reader.cc) share.
#ifndef QANTARA_SERVICE_FORMATS_XLIFF_PARSER_H_
#define QANTARA_SERVICE_FORMATS_XLIFF_PARSER_H_

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "service/formats/file_languages.h"
#include "service/formats/reader_core.h"
#include "service/formats/segment_builder.h"
#include "service/formats/xliff_flavours.h"

namespace qantara::formats::xliff_internal {

using internal::Attr;
using internal::AttrOr;
using internal::FindAttr;

inline constexpr std::string_view kXmlLang = "http://www.w3.org/XML/1998/namespace|lang";

inline std::string_view Local(const char* name) {
  const char* bar = std::strrchr(name, '|');
  return bar != nullptr ? std::string_view(bar + 1) : std::string_view(name);
}

inline bool InXliffNamespace(const char* name) {
  const char* bar = std::strrchr(name, '|');
  if (bar == nullptr) return true;
  return std::string_view(name, static_cast<size_t>(bar - name))
             .rfind("urn:oasis:names:tc:xliff:document:", 0) == 0;
}

enum class Ctx {
  kContainer,  // xliff, file, body, group: may hold units
  kSkip,       // ignored with everything inside
  kUnit,       // 1.2 trans-unit, 2.x unit
  kSegment,    // 2.x segment
  kNotes,      // 2.x notes
  kNote,
  kOrigData,     // 2.x originalData
  kData,         // 2.x data
  kSeg,          // source or target
  kCode,         // an inline element mapped onto a builder code (ends with EndCode)
  kPaired,       // g / pc: content is segment text; ends by emitting an ept
  kTransparent,  // mrk: content is segment text
  kSegMrk,       // 1.2 <mrk mtype="seg"> of a segmented unit: one segment's text
  kSdlSegDefs,   // Trados <sdl:seg-defs>: the status of each segment
  kEmpty,        // handled at start (x, bx, ex, ph/sc/ec in 2.x, cp, sm, em)
};

struct Node {
  Node(Ctx c, int i = 0, std::string close = {}) : ctx(c), pair_i(i), close_native(std::move(close)) {}
  Ctx ctx;
  int pair_i;                 // kPaired: i of the bpt to close
  std::string close_native;   // kPaired: native code of the closing tag
  bool no_translate = false;  // kContainer: translate="no" here or above
};

// XliffReader's parser: the XLIFF 1.2 and 2.x element handlers.
class XliffParser final : public internal::ReaderCore {
 public:
  XliffParser(const ReaderOptions& options, UnitSink* sink)
      : ReaderCore(options, sink, /*namespaces=*/true) {}

  absl::Status Finish() override { return FinishStream(in_unit_ ? "unit" : "", unit_line_); }
  void StartElement(const char* name, const char** attrs) override;
  void EndElement(const char* name) override;
  void Text(std::string_view text) override;

  int version() const { return version_; }

 private:
  void StartInline(const char* name, std::string_view local, const char** attrs);
  // Resolves src_lang_ and tgt_lang_ (a warning when a side is inferred);
  // false when the file is not of the memory's pair (the stream is aborted).
  bool StartFile();
  void StartUnit(const char** attrs);
  void StartSide(bool target, const char** attrs);
  void EndSide();
  // Delivers the unit or segment read into source_ / target_, or the problem
  // why not (`seg_error`: a 1.2 segment's own error).
  void EndUnitOrSegment(std::string id, int64_t line, const UnitStatus& status, bool translate_no,
                        const std::string& seg_error = {});
  // 1.2 segmentation: a <mrk mtype="seg"> of the seg-source or target begins
  // or ends; at the unit's end, one unit per seg-source segment.
  void StartSegMrk(const char** attrs);
  void EndSegMrk();
  void EndSegmentedUnit();
  // i for a bx/ex or sc/ec key in the current segment; 0 when unknown and !create.
  int PairNumber(const std::string& key, bool create) {
    for (const auto& [k, n] : pair_keys_) {
      if (k == key) return n;
    }
    if (!create) return 0;
    pair_keys_.emplace_back(key, ++pair_counter_);
    return pair_counter_;
  }
  std::string DataRef(const char** attrs, std::string_view attr) {
    const char* ref = FindAttr(attrs, attr);
    if (ref == nullptr) return std::string();
    for (const auto& [k, v] : data_) {
      if (k == ref) return v;
    }
    return std::string();
  }
  void Code(InlineCode::Element e, std::vector<Attr> attrs, const std::string& native) {
    builder_.StartCode(e, attrs);
    builder_.Text(native);
    builder_.EndCode();
  }

  int version_ = 0;
  std::vector<Node> stack_;

  // Languages of the current <file> (1.2) or document (2.x): as the file
  // says them, and resolved (file_languages.h) by StartFile.
  std::string src_lang_;
  std::string tgt_lang_;
  text::Language file_src_ = text::Language::kEnglish;
  text::Language file_tgt_ = text::Language::kArabic;
  std::string file_original_;

  // The unit being read.
  bool in_unit_ = false;
  int64_t unit_line_ = 0;
  std::string unit_id_;
  std::string unit_state_;  // 1.2: <target state>
  bool unit_approved_ = false;
  bool unit_translate_no_ = false;
  bool unit_header_ = false;                // 1.2 restype="x-gettext-domain-header" (po2xliff's PO header)
  std::optional<std::string> mq_status_;    // memoQ mq:status
  std::optional<std::string> m_confirmed_;  // Phrase m:confirmed
  // Trados <sdl:seg id conf>: conf by segment id ("" when it has none).
  std::vector<std::pair<std::string, std::string>> sdl_confs_;
  std::vector<std::string> notes_;
  std::vector<std::pair<std::string, std::string>> data_;  // 2.x originalData
  UnitState unit_level_;                                   // 2.x: the unit's state before its current segment
  // The 2.x segment being read.
  std::string seg_id_;
  std::string seg_state_;
  int64_t seg_line_ = 0;
  // Both sides of the current unit / segment.
  Segment source_;
  Segment target_;
  bool has_source_ = false;
  bool has_target_ = false;
  std::string target_lang_override_;
  // The side being read.
  bool side_is_target_ = false;
  bool side_is_seg_source_ = false;
  // 1.2 segmentation: the segments of <seg-source> and <target>, by mid. A
  // unit is read segment by segment when its seg-source holds segments and
  // its target does too (or it has none).
  struct MrkSegment {
    std::string mid;
    Segment seg;
    std::string error;
    int64_t line = 0;
  };
  std::vector<MrkSegment> seg_sources_;
  std::vector<MrkSegment> seg_targets_;
  bool target_has_mrks_ = false;
  bool in_seg_mrk_ = false;
  std::string mrk_mid_;
  int64_t mrk_line_ = 0;
  // While a segment <mrk> is read: the side's own builder and pairing state.
  internal::SegmentBuilder outer_builder_;
  int outer_pair_counter_ = 0;
  std::vector<std::pair<std::string, int>> outer_pair_keys_;
  internal::SegmentBuilder builder_;
  int pair_counter_ = 0;
  std::vector<std::pair<std::string, int>> pair_keys_;
  std::string data_id_;  // the <data> being read (its text is value())
};

}  // namespace qantara::formats::xliff_internal

#endif  // QANTARA_SERVICE_FORMATS_XLIFF_PARSER_H_
