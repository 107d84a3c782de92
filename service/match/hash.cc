#include "service/match/hash.h"

#include <xxhash.h>

namespace qantara::match {

uint64_t Hash64(std::string_view s) { return XXH3_64bits(s.data(), s.size()); }

}  // namespace qantara::match
