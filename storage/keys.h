// Keys of qantara's column families (storage/FORMAT.md is the reference).
#ifndef QANTARA_STORAGE_KEYS_H_
#define QANTARA_STORAGE_KEYS_H_

#include <string_view>

namespace qantara::storage {

// meta CF: the decimal format version of the whole store, e.g. "1".
inline constexpr std::string_view kMetaFormatVersionKey = "format_version";

}  // namespace qantara::storage

#endif  // QANTARA_STORAGE_KEYS_H_
