// The matching keys of a unit, made as the memories make them: the one
// place that turns a unit's texts into what storage indexes (tm::Memories
// for every write, and `--check --repair` for units whose stored keys are
// lost, storage/check.h).
#ifndef QANTARA_SERVICE_TM_UNIT_KEYS_H_
#define QANTARA_SERVICE_TM_UNIT_KEYS_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "service/match/analyzer.h"
#include "service/match/index_view.h"
#include "service/match/unit.h"
#include "service/tm/validation.h"
#include "storage/check.h"

namespace qantara::tm {

// The keys of both sides of `u` in a memory of `languages`, changed at
// u.changed_at_us, or else at u.created_at_us, or else `now_us`.
absl::StatusOr<match::UnitKeysPtr> MakeUnitKeys(const match::Analyzer& analyzer,
                                                const LanguagePair& languages, const match::Unit& u,
                                                int64_t now_us = 0);

// storage::CheckOptions::rekey over `analyzer` (which must outlive it): the
// keys of a stored unit, from its memory's languages.
std::function<absl::StatusOr<match::UnitKeysPtr>(const storage::MemoryInfo&, const match::Unit&)> UnitRekeyer(
    const match::Analyzer& analyzer);

}  // namespace qantara::tm

#endif  // QANTARA_SERVICE_TM_UNIT_KEYS_H_
