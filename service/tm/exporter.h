// tm::ExportTmx: a memory, or the units of it a filter selects, written as a
// TMX 1.4b file in chunks (units in the order they were added, from one
// snapshot), counting the units a text of which cannot be written to XML.
// Lossless: every stored field of a unit is in the file (TMX attributes,
// else x-qantara props: tmx_units.h), and the header holds the memory's
// name, description and creation date; the same units export to the same
// bytes.
// Plain C++ (no proto types): the rpc ImportExportService streams the chunks.
#ifndef QANTARA_SERVICE_TM_EXPORTER_H_
#define QANTARA_SERVICE_TM_EXPORTER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
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
};

struct ExportCounts {
  uint64_t units = 0;       // units written
  uint64_t unwritable = 0;  // units left out: a text cannot be written to XML
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

}  // namespace qantara::tm

#endif  // QANTARA_SERVICE_TM_EXPORTER_H_
