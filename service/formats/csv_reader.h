// Streaming CSV/TSV reader (on libcsv's push parser). See unit_reader.h for
// the push model; what differs from the XML readers is said here.
//
// What it reads:
// - UTF-8, with or without a byte-order mark; rows ended by CRLF, LF or CR;
//   blank lines are skipped. A UTF-16 file is a fatal error.
// - A header row naming the columns, its delimiter (comma, tab or
//   semicolon) decided from that line:
//     source, target             the two sides (any case), in the memory's
//                                direction unless ReaderOptions'
//                                file_source_language/file_target_language
//                                say the file's sides are other way round;
//     en, ar, en-US, ar_EG, eng, English, Arabic
//                                a side named by its language: the column in
//                                the memory's source language is the source
//                                (file_*_language are then refused: the
//                                header already says);
//     id, key, tuid, location    TranslationUnit::id (the first of them; a
//                                later one is kept as a prop);
//     note, notes, comment, comments, translator_comments,
//     developer_comments         notes;
//     project, domain, client, context
//                                props of that type (the importer maps the
//                                first three onto the unit's attributes);
//     fuzzy                      a row whose value is true/yes/1/fuzzy is
//                                skipped (kSkipped), as gettext does.
//   Other columns are ignored, with one kWarning (line 1) naming them.
//   Translate Toolkit's po2csv writes "location","source","target".
// - Fields as RFC 4180 says (CSV_STRICT): a field with the delimiter, a
//   quote or a line break is quoted, quotes inside doubled. Whitespace is
//   kept exactly (no trimming).
// - Without a header, a tab-separated file as `qantara add --tsv` reads it:
//   column 1 the source, column 2 the target (in the memory's direction,
//   or as file_*_language say); quotes are plain characters; columns after
//   the second are ignored (one kWarning).
//
// Per-row problems (kError, Problem::line = the row's first line; reading
// goes on): a row whose number of fields is not the header's, an empty
// source or target, text that is not valid UTF-8 (or holds a character XML
// cannot), a field over max_segment_bytes or a row over max_unit_bytes (the
// rest of it is not buffered), malformed quoting (a quote inside an unquoted
// field, text after a closing quote: the rest of that line is skipped).
// Fatal ("line L: ..."): a first line that is not a header and has no tab,
// a header without both sides, a first line over max_unit_bytes, a quoted
// field still open at the end of the file, a NUL byte in a headerless file.
#ifndef QANTARA_SERVICE_FORMATS_CSV_READER_H_
#define QANTARA_SERVICE_FORMATS_CSV_READER_H_

#include <string_view>

#include "service/formats/unit_reader.h"

namespace qantara::formats {

class CsvReader final : public UnitReader {
 public:
  // `sink` must outlive the reader.
  CsvReader(const ReaderOptions& options, UnitSink* sink);

  // Once the first line was read: its delimiter (',', '\t' or ';'), and
  // whether it was a header row. 0 / false before.
  char delimiter() const;
  bool has_header() const;
};

// Whether `first_bytes` look like a CSV/TSV file: not XML, and a first line
// that names a source and a target column (source/target or two languages)
// with a comma, tab or semicolon between, or that holds a tab.
bool LooksLikeCsv(std::string_view first_bytes);

}  // namespace qantara::formats

#endif  // QANTARA_SERVICE_FORMATS_CSV_READER_H_
