// Reader of gettext PO/POT files, through gettext's own parser
// (libgettextpo), behind the same push interface as the XML readers
// (unit_reader.h).
//
// What it reads:
// - Every message with a translation: msgid -> msgstr, turned to the
//   memory's direction. PO files do not say the language of their msgids:
//   the file's target side is the header's Language (ar_EG, ar, en...), its
//   source side the memory's other language (a warning says so), unless
//   ReaderOptions::file_source_language / file_target_language say
//   otherwise; a file of another pair fails once, before any unit.
// - msgctxt becomes the unit's id (its context for 102% matches); extracted
//   (#.) and translator (#) comments become notes, source references (#:)
//   the prop x-po-references (flags such as c-format are not kept).
// - Plural messages give one unit per form: the singular msgid with the
//   msgstr of n=1 (form 1 in Arabic, 0 in English, from the header's
//   Plural-Forms), msgid_plural with every other form; each carries the
//   prop x-po-plural-form = its index.
// - Skipped, with the reason: the header entry (silently, not a unit),
//   untranslated forms, obsolete (#~) entries, fuzzy entries (unless
//   ReaderOptions::po_include_fuzzy).
// - Problem::line is the line of the entry's msgid.
//
// The file is parsed whole when Finish() is called (gettext has no push
// parser): Feed() only stores the bytes, up to ReaderOptions::max_po_bytes
// (a larger file is a fatal error). Any syntax error gettext reports (an
// unterminated string, a duplicate msgid, a bad keyword...) is fatal, with
// its line, as a not-well-formed XML file is; no unit is then delivered. A
// charset other than UTF-8 in the header is converted with iconv.
//
// gettext's reader keeps global state, so reads are serialised process-wide
// (a mutex around the parse; units are delivered outside it).
#ifndef QANTARA_SERVICE_FORMATS_PO_READER_H_
#define QANTARA_SERVICE_FORMATS_PO_READER_H_

#include "service/formats/unit_reader.h"

namespace qantara::formats {

class PoReader final : public UnitReader {
 public:
  // `sink` must outlive the reader.
  PoReader(const ReaderOptions& options, UnitSink* sink);
};

// True when `first_bytes` look like the start of a PO file: after a BOM,
// blank lines and # comments, the first keyword is msgid or msgctxt.
bool LooksLikePo(std::string_view first_bytes);

}  // namespace qantara::formats

#endif  // QANTARA_SERVICE_FORMATS_PO_READER_H_
