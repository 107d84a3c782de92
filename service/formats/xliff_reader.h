// Streaming XLIFF reader for 1.2 (also 1.0/1.1) and 2.x files from CAT tools.
// See unit_reader.h for the push model, errors, limits and security.
//
// What it reads:
// - XLIFF 1.2: every <trans-unit> with a <source> and a non-empty <target>,
//   languages from <file source-language target-language> (a <target
//   xml:lang> overrides); id, <note>s. <alt-trans>, <seg-source>, <header>
//   and <bin-unit> are ignored.
// - XLIFF 2.x: every <segment> of every <unit> with a non-empty <target>;
//   languages from <xliff srcLang trgLang>; the id is "unit-id/segment-id"
//   (just the unit id when the segment has no id); unit <note>s.
// - The file's direction may be either way round: units are turned to the
//   memory's direction (ReaderOptions). A file whose languages are not the
//   ar/en pair fails its units ("file languages fr -> de").
// - Taken units: see ReaderOptions::xliff_only_final. Others are reported as
//   kSkipped with the reason (no target, state="new", translate="no"...).
// - Inline codes become TMX codes in Segment::markup (so TmxWriter can
//   export them), with the XLIFF element (or its 2.x originalData) as the
//   native code: 1.2 <g> -> bpt/ept, <x> -> ph, <bx>/<ex> -> bpt/ept (by rid),
//   <bpt>/<ept>/<ph>/<it> kept with their content; 2.x <pc> -> bpt/ept, <ph> ->
//   ph, <sc>/<ec> -> bpt/ept (isolated ones -> it). <mrk> is transparent, 2.x
//   <sm>/<em> are dropped, <cp> becomes its character. Unbalanced codes (an
//   <ex>/<ec> with no opener, an opener never closed) fail the unit.
#ifndef QANTARA_SERVICE_FORMATS_XLIFF_READER_H_
#define QANTARA_SERVICE_FORMATS_XLIFF_READER_H_

#include "service/formats/unit_reader.h"

namespace qantara::formats {

class XliffReader final : public UnitReader {
 public:
  // `sink` must outlive the reader.
  XliffReader(const ReaderOptions& options, UnitSink* sink);

  // 1 or 2 once the root element was read, else 0.
  int major_version() const;
};

}  // namespace qantara::formats

#endif  // QANTARA_SERVICE_FORMATS_XLIFF_READER_H_
