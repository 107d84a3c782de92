// PreparedUnit: dates of added units and encoding ahead of the write.
#include "storage/prepared_unit.h"

#include "storage/internal/encoded_unit.h"
#include "storage/internal/encoding.h"

namespace qantara::storage {

void FillAddedUnit(match::Unit& u, int64_t now_us) {
  if (u.created_at_us == 0) u.created_at_us = now_us;
  if (u.changed_at_us == 0) u.changed_at_us = u.created_at_us;
  if (u.changed_by.empty()) u.changed_by = u.created_by;
}

void EncodeAhead(PreparedUnit& p) {
  auto e = std::make_shared<internal::EncodedUnit>();
  e->entries = EntriesOf(*p.keys);
  e->keys_value = EncodeUnitKeys(*p.keys);
  e->unit_value = EncodeUnit(p.unit);
  p.encoded = std::move(e);
}

}  // namespace qantara::storage
