// PreparedUnit and UnitFeed: the units of a bulk add as the store receives
// them, each with the matching keys its caller made (the store does not
// analyse text), and optionally already encoded (EncodeAhead), so that the
// CPU-heavy part of an add can run on the caller's threads ahead of the
// writing.
#ifndef QANTARA_STORAGE_PREPARED_UNIT_H_
#define QANTARA_STORAGE_PREPARED_UNIT_H_

#include <cstddef>
#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "service/match/index_view.h"

namespace qantara::storage {

namespace internal {
struct EncodedUnit;  // storage/internal/encoded_unit.h
}  // namespace internal

struct PreparedUnit {
  match::Unit unit;
  // Both sides' matching keys; changed_at_us set to the date the unit is
  // stored with (changed, else created, else the call's now).
  match::UnitKeysPtr keys;
  // The unit's stored values and index entries, made by EncodeAhead(); null
  // when not made (the store then makes them while it writes).
  std::shared_ptr<const internal::EncodedUnit> encoded;
  // Add the unit with id `unit.id` instead of the memory's next id (a
  // lossless import, tm::ImportOptions::preserve_ids). The id must be above
  // every id the memory has handed out (so kept ids ascend); the memory's
  // next id then follows it. Otherwise AddUnits fails with InvalidArgument
  // naming the id (the batches before it stay written).
  bool keep_id = false;
};

// Fills what an added unit takes from its call when not given: its dates
// (`now_us`, changed = created) and changed_by (= created_by).
void FillAddedUnit(match::Unit& unit, int64_t now_us);

// Makes `p.encoded` from p.unit and p.keys. CPU only, any thread. REQUIRES:
// p.unit is as it will be stored (FillAddedUnit done), p.keys set. Only
// for units added as they are (not under DuplicatePolicy::kOverwriteTarget,
// whose writes decide the unit's dates).
void EncodeAhead(PreparedUnit& p);

// The units of one MemoryStore::AddUnits call, in order.
class UnitFeed {
 public:
  virtual ~UnitFeed() = default;
  virtual size_t size() const = 0;
  // Unit `i` once it is prepared (blocking until then), or the error that
  // kept it from being prepared. The pointer stays valid for the call; the
  // store may change the unit (an overwrite within the same call).
  virtual absl::StatusOr<PreparedUnit*> Get(size_t i) = 0;
};

}  // namespace qantara::storage

#endif  // QANTARA_STORAGE_PREPARED_UNIT_H_
