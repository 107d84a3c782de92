// Streaming TMX 1.4b reader (also reads TMX 1.1-1.3 files). See unit_reader.h
// for the push model, the errors, the limits and the security guarantees.
//
// What it reads:
// - Languages from <tuv xml:lang> or the older <tuv lang>, any case, with
//   region or script subtags and '_' separators ("AR-SA", "ar_EG", "en-US").
// - A <tu> with more than two <tuv> is reduced to the pair of the memory's
//   direction (ReaderOptions); the first <tuv> of each language wins. A unit
//   without both languages fails ("only en", "no ar variant (languages: en,
//   fr)"). The file's srclang (<tu srclang> or else <header srclang>) is kept
//   in TranslationUnit::srclang; the source side is always chosen by the
//   caller's direction.
// - <prop type> and <note> of <tu> and <tuv> into props/notes; header ones
//   into header().
// - tuid, creationdate, changedate, lastusagedate (TMX basic ISO dates; a
//   malformed date is dropped with a kWarning), creationid, changeid,
//   usagecount.
// - <seg> content: see translation_unit.h (canonical markup + text with
//   placeholders + codes). Unbalanced bpt/ept, an <it> without pos, an
//   unknown element in <seg> fail the unit. Whitespace is kept exactly.
// - A unit whose source or target segment is empty is skipped (kSkipped).
#ifndef QANTARA_SERVICE_FORMATS_TMX_READER_H_
#define QANTARA_SERVICE_FORMATS_TMX_READER_H_

#include "service/formats/tmx_header.h"
#include "service/formats/unit_reader.h"

namespace qantara::formats {

class TmxReader final : public UnitReader {
 public:
  // `sink` must outlive the reader.
  TmxReader(const ReaderOptions& options, UnitSink* sink);

  // True once </header> was read; header() is then complete.
  bool has_header() const;
  const TmxHeader& header() const;
};

}  // namespace qantara::formats

#endif  // QANTARA_SERVICE_FORMATS_TMX_READER_H_
