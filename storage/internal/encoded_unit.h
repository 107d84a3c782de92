// EncodedUnit: what storage writes of an added unit, made ahead of the write
// (storage/prepared_unit.h, EncodeAhead). PRIVATE to storage/.
#ifndef QANTARA_STORAGE_INTERNAL_ENCODED_UNIT_H_
#define QANTARA_STORAGE_INTERNAL_ENCODED_UNIT_H_

#include <string>

#include "storage/internal/index_entries.h"

namespace qantara::storage::internal {

struct EncodedUnit {
  IndexEntries entries;
  std::string keys_value;  // EncodeUnitKeys
  std::string unit_value;  // EncodeUnit of the unit as it is added
};

}  // namespace qantara::storage::internal

#endif  // QANTARA_STORAGE_INTERNAL_ENCODED_UNIT_H_
