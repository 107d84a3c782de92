// Mapping between the file formats' TranslationUnit (service/formats) and the
// memory's Unit (service/match), for import and export. Plain C++.
//
// How a file unit is stored:
// - Unit::source/target hold the segment as a CAT tool shows it: its text
//   with every inline code written back as its native code (e.g.
//   "Click <b>here</b>"), so lookups and the inline-code penalty see the tags.
//   A segment without inline codes is stored as its plain text.
// - When a segment has inline codes, its exact TMX <seg> content is kept in
//   the free attribute kSourceMarkupKey / kTargetMarkupKey, so that an export
//   restores the codes (bpt/ept/ph/it/hi with their attributes) exactly.
// - tuid -> context.id; creation/change dates and ids; usagecount.
// - <tu> props: "x-project"/"project", "x-domain"/"domain",
//   "x-client"/"client" -> project/domain/client; any other type -> a free
//   attribute of that name (repeated types joined by '\n'). <tu> notes -> the
//   free attribute kNoteKey (joined by '\n'). <tuv>-level props and notes are
//   not kept.
// - What TMX has no attribute for is written as <tu> props of type
//   "x-qantara-..." (kQantaraProps below: unit id, origin, alignment
//   confidence, dates to the microsecond when not whole seconds, context
//   before and after) and read back from them, so that an export imported
//   again gives back the same units (with ImportOptions::preserve_ids, the
//   same ids too). An unreadable value fails the unit. The header of an
//   export holds the memory's name and description the same way.
#ifndef QANTARA_SERVICE_TM_TMX_UNITS_H_
#define QANTARA_SERVICE_TM_TMX_UNITS_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "service/formats/translation_unit.h"
#include "service/match/unit.h"

namespace qantara::tm {

inline constexpr std::string_view kSourceMarkupKey = "tmx:seg-source";
inline constexpr std::string_view kTargetMarkupKey = "tmx:seg-target";
inline constexpr std::string_view kNoteKey = "tmx:note";

// <tu> props of a lossless export (tmx_units.h).
inline constexpr std::string_view kIdProp = "x-qantara-id";                  // unit id, decimal
inline constexpr std::string_view kOriginProp = "x-qantara-origin";          // manual | import | alignment
inline constexpr std::string_view kConfidenceProp = "x-qantara-confidence";  // 0..1, exact (%.17g)
inline constexpr std::string_view kCreatedUsProp = "x-qantara-created-us";   // when not whole seconds
inline constexpr std::string_view kChangedUsProp = "x-qantara-changed-us";
inline constexpr std::string_view kContextPrevProp = "x-qantara-context-prev";
inline constexpr std::string_view kContextNextProp = "x-qantara-context-next";
// <header> props of an export.
inline constexpr std::string_view kMemoryProp = "x-qantara-memory";
inline constexpr std::string_view kDescriptionProp = "x-qantara-description";

// The stored form of a file unit (origin kImport unless an x-qantara-origin
// prop says otherwise; id from x-qantara-id, else 0). `defaults` fill the
// project, domain and client the unit does not set itself.
// InvalidArgument names an x-qantara prop whose value does not parse.
absl::StatusOr<match::Unit> ToMemoryUnit(formats::TranslationUnit&& tu, const match::Attributes& defaults);

// The file form of a stored unit, in the memory's languages. Source and
// target tags are the memory's language tags (e.g. "ar-SA").
// Returns InvalidArgument when a text cannot be written to XML (e.g. a
// control character) or its stored markup does not parse.
absl::StatusOr<formats::TranslationUnit> ToFileUnit(const match::Unit& unit, text::Language source_language,
                                                    std::string_view source_tag,
                                                    text::Language target_language,
                                                    std::string_view target_tag);

// The segment's text with each inline code's placeholder replaced by its
// native code.
std::string NativeText(const formats::Segment& segment);

}  // namespace qantara::tm

#endif  // QANTARA_SERVICE_TM_TMX_UNITS_H_
