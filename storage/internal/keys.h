// Keys of qantara's column families (storage/FORMAT.md is the reference;
// the per-memory keys are built in storage/encoding.h).
#ifndef QANTARA_STORAGE_INTERNAL_KEYS_H_
#define QANTARA_STORAGE_INTERNAL_KEYS_H_

#include <string_view>

namespace qantara::storage {

// meta CF: the decimal format version of the whole store, e.g. "3".
inline constexpr std::string_view kMetaFormatVersionKey = "format_version";
// meta CF: the next memory id to hand out (fixed32 BE).
inline constexpr std::string_view kMetaNextMemoryIdKey = "next_memory_id";
// meta CF: never present; its deletes, kept out of the WAL, keep a memtable
// non-empty so that resuming after a failed WAL write opens a new WAL
// (storage/internal/write_health.h).
inline constexpr std::string_view kMetaWalSwitchKey = "wal_switch";

}  // namespace qantara::storage

#endif  // QANTARA_STORAGE_INTERNAL_KEYS_H_
