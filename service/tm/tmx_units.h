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

// The stored form of a file unit (origin kImport). `defaults` fill the
// project, domain and client the unit does not set itself.
match::Unit ToMemoryUnit(formats::TranslationUnit&& tu, const match::Attributes& defaults);

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
