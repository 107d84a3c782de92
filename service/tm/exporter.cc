// tm::ExportTmx (service/tm/exporter.h): a memory's units through the TMX
// unit mapping (tmx_units.h) into the TMX writer.
#include "service/tm/exporter.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "service/formats/tmx_writer.h"
#include "service/text/language.h"
#include "service/tm/tmx_units.h"

namespace qantara::tm {

absl::Status ExportTmx(Memories& memories, const ExportOptions& options, const ExportOutput& out,
                       const std::function<bool()>& cancelled) {
  absl::StatusOr<MemoryInfo> info = memories.GetMemory(options.memory);
  if (!info.ok()) return info.status();
  absl::StatusOr<LanguagePair> languages = ParseLanguagePair(info->source_lang, info->target_lang);
  if (!languages.ok()) return languages.status();
  match::UnitFilter filter = options.filter;
  if (options.changed_after_us != 0) filter.changed_after_us = options.changed_after_us;
  // Written so that NaN fails too.
  if (!(options.min_confidence >= 0 && options.min_confidence <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("min_confidence must be 0 to 1 (got ", options.min_confidence, ")"));
  }
  if (!(filter.min_alignment_confidence >= 0 && filter.min_alignment_confidence <= 1)) {
    return absl::InvalidArgumentError(absl::StrCat("filter.min_alignment_confidence must be 0 to 1 (got ",
                                                   filter.min_alignment_confidence, ")"));
  }
  if (options.min_confidence != 0) filter.min_alignment_confidence = options.min_confidence;
  const bool filtered = !filter.empty();

  formats::TmxWriterOptions writer_options;
  writer_options.header.srclang = info->source_lang;
  // The memory's creation date, not the export's: exporting the same units
  // twice gives the same bytes (a backup's export can be compared with the
  // source's).
  if (info->created_at_us > 0) writer_options.header.creation_date = info->created_at_us / 1000000;
  writer_options.header.props.push_back({std::string(kMemoryProp), info->name});
  if (!info->description.empty()) {
    writer_options.header.props.push_back({std::string(kDescriptionProp), info->description});
  }
  ExportCounts counts;
  uint64_t scanned = 0;
  formats::TmxWriter tmx(std::move(writer_options),
                         [&](std::string_view bytes) -> absl::Status { return out(bytes, counts); });
  absl::Status s = memories.ScanUnits(
      options.memory, 0,
      [&](const match::Unit& u) -> absl::Status {
        // Every 1,024 units read, written or not (a filter may skip them all).
        if ((++scanned & 1023) == 0 && cancelled && cancelled()) {
          return absl::CancelledError("export cancelled");
        }
        if (filtered && !filter.Matches(u)) return absl::OkStatus();
        absl::StatusOr<formats::TranslationUnit> tu =
            ToFileUnit(u, languages->source, info->source_lang, languages->target, info->target_lang);
        if (!tu.ok()) {
          ++counts.unwritable;
          return absl::OkStatus();
        }
        absl::Status w = tmx.Write(*tu);
        if (absl::IsInvalidArgument(w)) {
          ++counts.unwritable;
          return absl::OkStatus();
        }
        if (w.ok()) ++counts.units;
        return w;
      },
      &counts.damaged);
  if (!s.ok()) return s;
  return tmx.Finish();
}

}  // namespace qantara::tm
