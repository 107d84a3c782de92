// Stable 64-bit hashing of matching keys.
//
// The values are persisted (index keys in storage/FORMAT.md), so the function
// must never change: it is XXH3-64 with seed 0 (Debian's libxxhash).
#ifndef QANTARA_SERVICE_MATCH_HASH_H_
#define QANTARA_SERVICE_MATCH_HASH_H_

#include <cstdint>
#include <string_view>

namespace qantara::match {

// XXH3_64bits(s), seed 0. Stable across builds and machines.
uint64_t Hash64(std::string_view s);

// The low 32 bits of Hash64(s) (for per-token surface forms, where a rare
// collision only hides a case or spelling penalty).
inline uint32_t Hash32(std::string_view s) { return static_cast<uint32_t>(Hash64(s)); }

}  // namespace qantara::match

#endif  // QANTARA_SERVICE_MATCH_HASH_H_
