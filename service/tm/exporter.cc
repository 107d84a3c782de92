// tm::ExportTmx and tm::ExportPo (service/tm/exporter.h): a memory's units,
// from one snapshot and through the filter, into the TMX writer (through the
// TMX unit mapping, tmx_units.h) or the PO writer.
#include "service/tm/exporter.h"

#include <sys/time.h>

#include <ctime>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "service/formats/po_writer.h"
#include "service/formats/tmx_writer.h"
#include "service/text/language.h"
#include "service/tm/tmx_units.h"

namespace qantara::tm {
namespace {

// What both formats need before the first unit.
struct Prepared {
  MemoryInfo info;
  LanguagePair languages;
  match::UnitFilter filter;
};

absl::StatusOr<Prepared> Prepare(Memories& memories, const ExportOptions& options) {
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
  return Prepared{*std::move(info), *languages, std::move(filter)};
}

// Calls `write` for each unit the filter takes; InvalidArgument from it
// counts the unit as unwritable.
absl::Status Scan(Memories& memories, const ExportOptions& options, const match::UnitFilter& filter,
                  ExportCounts& counts, const std::function<bool()>& cancelled,
                  const std::function<absl::Status(const match::Unit&)>& write) {
  const bool filtered = !filter.empty();
  uint64_t scanned = 0;
  return memories.ScanUnits(
      options.memory, 0,
      [&](const match::Unit& u) -> absl::Status {
        // Every 1,024 units read, written or not (a filter may skip them all).
        if ((++scanned & 1023) == 0 && cancelled && cancelled()) {
          return absl::CancelledError("export cancelled");
        }
        if (filtered && !filter.Matches(u)) return absl::OkStatus();
        absl::Status w = write(u);
        if (absl::IsInvalidArgument(w)) {
          ++counts.unwritable;
          return absl::OkStatus();
        }
        if (w.ok()) ++counts.units;
        return w;
      },
      &counts.damaged);
}

// "YYYY-MM-DD HH:MM+0000", as PO headers write dates.
std::string PoDate(int64_t us) {
  const time_t secs = static_cast<time_t>(us / 1000000);
  struct tm t;
  gmtime_r(&secs, &t);
  char buf[64];
  strftime(buf, sizeof buf, "%Y-%m-%d %H:%M+0000", &t);
  return buf;
}

int64_t NowUs() {
  struct timeval tv;
  gettimeofday(&tv, nullptr);
  return static_cast<int64_t>(tv.tv_sec) * 1000000 + tv.tv_usec;
}

}  // namespace

absl::Status ExportTmx(Memories& memories, const ExportOptions& options, const ExportOutput& out,
                       const std::function<bool()>& cancelled) {
  absl::StatusOr<Prepared> p = Prepare(memories, options);
  if (!p.ok()) return p.status();
  const MemoryInfo& info = p->info;
  formats::TmxWriterOptions writer_options;
  writer_options.header.srclang = info.source_lang;
  // The memory's creation date, not the export's: exporting the same units
  // twice gives the same bytes (a backup's export can be compared with the
  // source's).
  if (info.created_at_us > 0) writer_options.header.creation_date = info.created_at_us / 1000000;
  writer_options.header.props.push_back({std::string(kMemoryProp), info.name});
  if (!info.description.empty()) {
    writer_options.header.props.push_back({std::string(kDescriptionProp), info.description});
  }
  ExportCounts counts;
  formats::TmxWriter tmx(std::move(writer_options),
                         [&](std::string_view bytes) -> absl::Status { return out(bytes, counts); });
  absl::Status s = Scan(memories, options, p->filter, counts, cancelled, [&](const match::Unit& u) {
    absl::StatusOr<formats::TranslationUnit> tu =
        ToFileUnit(u, p->languages.source, info.source_lang, p->languages.target, info.target_lang);
    if (!tu.ok()) return absl::InvalidArgumentError(tu.status().message());
    return tmx.Write(*tu);
  });
  if (!s.ok()) return s;
  return tmx.Finish();
}

absl::Status ExportPo(Memories& memories, const ExportOptions& options, const ExportOutput& out,
                      const std::function<bool()>& cancelled) {
  absl::StatusOr<Prepared> p = Prepare(memories, options);
  if (!p.ok()) return p.status();
  const MemoryInfo& info = p->info;
  formats::PoWriterOptions writer_options;
  writer_options.header.project_id_version = info.name;
  writer_options.header.revision_date = PoDate(options.now_us != 0 ? options.now_us : NowUs());
  // PO writes language tags with '_' (ar_SA); the msgstrs are the memory's targets.
  writer_options.header.language = absl::StrReplaceAll(info.target_lang, {{"-", "_"}});
  writer_options.header.comments.push_back(absl::StrCat("Translation memory ", info.name, " (",
                                                        info.source_lang, " -> ", info.target_lang,
                                                        "), exported by qantara."));
  if (!info.description.empty()) writer_options.header.comments.push_back(info.description);
  ExportCounts counts;
  formats::PoWriter po(std::move(writer_options),
                       [&](std::string_view bytes) -> absl::Status { return out(bytes, counts); });
  absl::Status s = Scan(memories, options, p->filter, counts, cancelled, [&](const match::Unit& u) {
    formats::PoMessage m;
    m.msgctxt = u.context.id;
    m.msgid = u.source;
    m.msgstr = u.target;
    m.duplicate_tag = absl::StrCat("qantara:", u.id);
    const auto& extra = u.attributes.extra;
    if (auto note = extra.find(std::string(kNoteKey)); note != extra.end() && !note->second.empty()) {
      m.comments.push_back(note->second);
    }
    if (auto refs = extra.find("x-po-references"); refs != extra.end()) {
      m.references = absl::StrReplaceAll(refs->second, {{"\n", " "}});
    }
    return po.Write(m);
  });
  if (!s.ok()) return s;
  return po.Finish();
}

absl::Status Export(Memories& memories, const ExportOptions& options, const ExportOutput& out,
                    const std::function<bool()>& cancelled) {
  switch (options.format) {
    case formats::FileFormat::kTmx: return ExportTmx(memories, options, out, cancelled);
    case formats::FileFormat::kPo: return ExportPo(memories, options, out, cancelled);
    default: break;
  }
  return absl::InvalidArgumentError("format: only TMX and PO files are exported");
}

}  // namespace qantara::tm
