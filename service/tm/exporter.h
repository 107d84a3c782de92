// tm::ExportTmx / ExportPo: a memory, or the units of it a filter selects,
// written as a TMX 1.4b or gettext PO file in chunks (units in the order they
// were added, from one snapshot), counting the units a text of which the
// file cannot hold.
// TMX is lossless: every stored field of a unit is in the file (TMX
// attributes, else x-qantara props: tmx_units.h), and the header holds the
// memory's name, description and creation date; the same units export to
// the same bytes.
// PO (service/formats/po_writer.h) holds what a PO file can: msgid = the
// unit's source (as stored: inline codes as their native text), msgstr =
// its target, msgctxt = its context id, translator comments = its notes
// (tmx:note), "#:" = its x-po-references; the header names the memory
// (Project-Id-Version), its target language (Language) and the export time
// (PO-Revision-Date). A second unit with the same source and context gets
// msgctxt "<context>|qantara:<unit id>" ("qantara:<unit id>" without a
// context), so that gettext and `qantara import` keep every unit.
// Plain C++ (no proto types): the rpc ImportExportService streams the chunks.
#ifndef QANTARA_SERVICE_TM_EXPORTER_H_
#define QANTARA_SERVICE_TM_EXPORTER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "service/formats/unit_reader.h"
#include "service/match/unit.h"
#include "service/tm/memories.h"

namespace qantara::tm {

struct ExportOptions {
  std::string memory;
  match::UnitFilter filter;  // empty: every unit
  // Non-zero: replaces filter.changed_after_us.
  int64_t changed_after_us = 0;
  // Non-zero: replaces filter.min_alignment_confidence. Both 0..1.
  double min_confidence = 0;
  // kTmx or kPo (Export; ExportTmx and ExportPo ignore it).
  formats::FileFormat format = formats::FileFormat::kTmx;
  // PO: the PO-Revision-Date, microseconds since the epoch (0: now).
  int64_t now_us = 0;
};

struct ExportCounts {
  uint64_t units = 0;       // units written
  uint64_t unwritable = 0;  // units left out: a text cannot be written to XML (PO: to PO)
  uint64_t damaged = 0;     // units left out: their stored record does not decode
};

// The next bytes of the file and the counts so far (including these bytes'
// units). A non-OK status ends the export with it.
using ExportOutput = std::function<absl::Status(std::string_view bytes, const ExportCounts& counts)>;

// Writes `options.memory` as TMX to `out`. `cancelled`, when given, is asked
// every 1024 units; true ends the export with Cancelled. Errors: NotFound
// (memory), InvalidArgument (a minimum confidence outside 0..1), out's or
// storage errors.
absl::Status ExportTmx(Memories& memories, const ExportOptions& options, const ExportOutput& out,
                       const std::function<bool()>& cancelled = nullptr);

// The same as a PO file (see the file comment).
absl::Status ExportPo(Memories& memories, const ExportOptions& options, const ExportOutput& out,
                      const std::function<bool()>& cancelled = nullptr);

// ExportTmx or ExportPo, by options.format (InvalidArgument for another).
absl::Status Export(Memories& memories, const ExportOptions& options, const ExportOutput& out,
                    const std::function<bool()>& cancelled = nullptr);

}  // namespace qantara::tm

#endif  // QANTARA_SERVICE_TM_EXPORTER_H_
