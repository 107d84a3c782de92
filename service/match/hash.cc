// The stable 64-bit hash of matching keys: XXH3-64 with seed 0, persisted in
// index keys, so it must never change.
#include "service/match/hash.h"

#include <xxhash.h>

namespace qantara::match {

uint64_t Hash64(std::string_view s) { return XXH3_64bits(s.data(), s.size()); }

}  // namespace qantara::match
