// A partial or conditional change of one unit: the update mask (paths of
// qantara.v1.Unit, as strings) and the revision the change was made from.
#ifndef QANTARA_SERVICE_TM_UNIT_UPDATE_H_
#define QANTARA_SERVICE_TM_UNIT_UPDATE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "service/match/unit.h"

namespace qantara::tm {

struct UnitUpdate {
  // The new content; unit.id names the unit.
  match::Unit unit;
  // Fields to change (see kUnitMaskPaths); empty: replace the texts,
  // attributes, context, origin, confidence and usage count (0 keeps it).
  std::vector<std::string> mask;
  // The revision the change was made from; 0: do not check.
  uint64_t expected_revision = 0;
};

// The paths an update mask may name ("attributes.extra.<key>" besides).
inline constexpr const char* kUnitMaskPaths[] = {"source",
                                                 "target",
                                                 "attributes",
                                                 "attributes.project",
                                                 "attributes.domain",
                                                 "attributes.client",
                                                 "attributes.extra",
                                                 "context",
                                                 "context.prev",
                                                 "context.next",
                                                 "context.id",
                                                 "origin",
                                                 "alignment_confidence",
                                                 "usage_count"};

// InvalidArgument naming the first unknown or repeated path (at most 64 paths).
absl::Status ValidateUnitMask(const std::vector<std::string>& mask);

// `stored` with the fields of `mask` taken from `patch` (an empty mask:
// every field a full update replaces). The result keeps stored's id,
// creation, revision; its changed_at_us and changed_by come from `patch`.
// REQUIRES: ValidateUnitMask(mask).ok().
match::Unit ApplyUnitMask(const match::Unit& stored, const match::Unit& patch,
                          const std::vector<std::string>& mask);

}  // namespace qantara::tm

#endif  // QANTARA_SERVICE_TM_UNIT_UPDATE_H_
