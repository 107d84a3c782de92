// The limits the store enforces when it writes, so that everything it
// writes it can read back (the decoders refuse more, storage/FORMAT.md).
// service/tm checks callers' input against these first, with errors that
// name the limit; storage checks again, so no caller can store a record
// that would stop the server from reading it.
#ifndef QANTARA_STORAGE_LIMITS_H_
#define QANTARA_STORAGE_LIMITS_H_

#include <cstddef>
#include <cstdint>

namespace qantara::storage {

// Matching tokens of one side of a unit (what the unit-keys decoder reads).
inline constexpr size_t kMaxSideTokens = size_t{1} << 20;
// Bytes of a memory name (names are keys).
inline constexpr size_t kMaxMemoryNameBytes = 200;
// Bytes of a memory's description.
inline constexpr size_t kMaxDescriptionBytes = 64 * 1024;
// Memories in one store: each holds state in memory while the server runs.
inline constexpr size_t kMaxMemories = 10000;
// Bytes of a job's key in a progress mark (memory_store.h, ProgressMark).
inline constexpr size_t kMaxJobKeyBytes = 128;
// The largest unit id, also of a unit that keeps its id (an import that
// preserves ids): the index buffer packs a posting's unit id into 47 bits
// (storage/internal/index_buffer.h, PackedEntry).
inline constexpr uint64_t kMaxUnitId = (uint64_t{1} << 47) - 1;

}  // namespace qantara::storage

#endif  // QANTARA_STORAGE_LIMITS_H_
