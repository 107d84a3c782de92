// Streaming XLIFF reader for 1.2 (also 1.0/1.1) and 2.x files from CAT tools.
// See unit_reader.h for the push model, errors, limits and security.
//
// What it reads:
// - XLIFF 1.2: every <trans-unit> with a <source> and a non-empty <target>,
//   languages from <file source-language target-language> (a <target
//   xml:lang> overrides); id, <note>s. <alt-trans>, <header>, <bin-unit> and
//   other tools' elements (sdl:, mq:, m:) are ignored.
// - XLIFF 1.2 segmentation (Trados SDLXLIFF, Okapi): a trans-unit whose
//   <seg-source> holds <mrk mtype="seg" mid="N"> segments, and whose <target>
//   holds them too (or that has no target), gives one unit per seg-source
//   segment: id "trans-unit-id/N", the target's <mrk mid="N"> as its target,
//   its line that of the seg-source <mrk>. Text and codes between segments are
//   left out. A target without segment <mrk>s is the whole unit's (the
//   seg-source is then ignored). Trados' track changes: <mrk
//   mtype="x-sdl-deleted"> text is dropped, other <mrk>s are transparent.
// - XLIFF 2.x: every <segment> of every <unit> with a non-empty <target>;
//   languages from <xliff srcLang trgLang>; the id is "unit-id/segment-id"
//   (just the unit id when the segment has no id); unit <note>s;
//   <ignorable> is left out.
// - translate="no" on a unit, or on a group or file around it (unless the
//   unit says translate="yes"), skips it; so does po2xliff's PO header
//   (restype="x-gettext-domain-header").
// - The file's direction may be either way round: units are turned to the
//   memory's direction (ReaderOptions). A file whose languages are not the
//   ar/en pair fails its units ("file languages fr -> de").
// - Statuses (xliff_flavours.cc): the first of these a unit or segment has
//   decides. "taken": read by default; "final": also with
//   ReaderOptions::xliff_only_final; anything else is kSkipped with a reason
//   naming the status (`not confirmed (Trados conf="Draft")`).
//
//   | producer | status                                   | taken | final |
//   | -------- | ---------------------------------------- | ----- | ----- |
//   | Trados   | <sdl:seg conf> ApprovedTranslation,      | yes   | yes   |
//   |          |   ApprovedSignOff                        |       |       |
//   |          | Translated                               | yes   | no    |
//   |          | Draft, RejectedTranslation,              | no    | no    |
//   |          |   RejectedSignOff, none, any other       |       |       |
//   | memoQ    | mq:status Reviewer1Confirmed,            | yes   | yes   |
//   |          |   Reviewer2Confirmed, Proofread          |       |       |
//   |          | ManuallyConfirmed                        | yes   | no    |
//   |          | NotStarted, PartiallyEdited, Rejected,   | no    | no    |
//   |          |   MachineTranslated, any other           |       |       |
//   | Phrase   | m:confirmed="1" (one confirmation per    | yes   | yes   |
//   |          |   workflow step, m:level)                |       |       |
//   |          | m:confirmed="0"                          | no    | no    |
//   | XLIFF 1.2| approved="yes", state final, signed-off  | yes   | yes   |
//   |          | state new, needs-translation, initial    | no    | no    |
//   |          | any other state, or none                 | yes   | no    |
//   | XLIFF 2.x| state final                              | yes   | yes   |
//   |          | state initial                            | no    | no    |
//   |          | translated, reviewed, or none            | yes   | no    |
//
//   Locks (sdl:seg locked, mq:locked, m:locked) change nothing: a locked
//   segment is taken or not by its status. Whatever the status, a unit without
//   a target (or an empty one) is skipped as "not translated (no target)".
// - Inline codes become TMX codes in Segment::markup (so TmxWriter can
//   export them), with the XLIFF element (or its 2.x originalData) as the
//   native code: 1.2 <g> -> bpt/ept, <x> -> ph, <bx>/<ex> -> bpt/ept (by rid),
//   <bpt>/<ept>/<ph>/<it> kept with their content; 2.x <pc> -> bpt/ept, <ph> ->
//   ph, <sc>/<ec> -> bpt/ept (isolated ones -> it). <mrk> is transparent, 2.x
//   <sm>/<em> are dropped, <cp> becomes its character. Unbalanced codes (an
//   <ex>/<ec> with no opener, an opener never closed) fail the unit (the
//   segment, when segmented). Phrase's tags ({1>...<1}) are text to XLIFF and
//   stay text.
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
