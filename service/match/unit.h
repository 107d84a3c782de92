// The translation unit: the engine's plain data model of one stored segment
// pair, shared by the matcher, storage and the API layer.
#ifndef QANTARA_SERVICE_MATCH_UNIT_H_
#define QANTARA_SERVICE_MATCH_UNIT_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace qantara::match {

// Where a unit came from.
enum class Origin : uint8_t {
  kManual = 0,     // typed or added one by one
  kImport = 1,     // bulk import (TSV, TMX...)
  kAlignment = 2,  // produced by the aligner, with a confidence
};

// "manual", "import", "alignment".
std::string_view OriginName(Origin origin);
// Parses OriginName(); InvalidArgument otherwise.
absl::StatusOr<Origin> ParseOrigin(std::string_view name);

struct Attributes {
  std::string project;
  std::string domain;
  std::string client;
  std::map<std::string, std::string> extra;  // free key/value pairs
};

// The surroundings of the segment in its document.
struct UnitContext {
  std::string prev;  // previous source segment (as given)
  std::string next;  // next source segment (as given)
  std::string id;    // a string id (resource key, segment id), if any
};

struct Unit {
  uint64_t id = 0;            // unique within its memory, assigned by storage, never reused
  std::string source;         // as given, never altered (inline codes kept)
  std::string target;         // as given, never altered
  int64_t created_at_us = 0;  // microseconds since the Unix epoch (UTC)
  int64_t changed_at_us = 0;
  std::string created_by;
  std::string changed_by;
  Attributes attributes;
  UnitContext context;
  Origin origin = Origin::kManual;
  double alignment_confidence = 0;  // 0..1; meaningful for Origin::kAlignment
  uint64_t usage_count = 0;
  // 1 when added, +1 at every change of the content (storage sets it).
  uint64_t revision = 1;
};

// Restricts lookups and concordance to some units. Empty fields do not filter.
struct UnitFilter {
  std::string project;
  std::string domain;
  std::string client;
  std::map<std::string, std::string> extra;  // each key must have this value
  int64_t changed_after_us = 0;              // 0: open; else changed_at_us >= this
  int64_t changed_before_us = 0;             // 0: open; else changed_at_us < this
  // Units of Origin::kAlignment below this confidence are left out (others pass).
  double min_alignment_confidence = 0;

  bool empty() const;
  bool Matches(const Unit& unit) const;
};

}  // namespace qantara::match

#endif  // QANTARA_SERVICE_MATCH_UNIT_H_
