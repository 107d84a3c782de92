// The registry of qantara's RocksDB column families. Every column family the
// server uses is listed here, and only here; see storage/FORMAT.md.
#ifndef QANTARA_STORAGE_COLUMN_FAMILIES_H_
#define QANTARA_STORAGE_COLUMN_FAMILIES_H_

#include <array>
#include <string_view>

namespace qantara::storage {

enum class Cf : int {
  kDefault = 0,  // RocksDB's own; qantara writes nothing here
  kMeta = 1,     // store-wide metadata: format version, ...
};

inline constexpr std::array<std::string_view, 2> kCfNames = {"default", "meta"};

inline constexpr std::string_view CfName(Cf cf) { return kCfNames[static_cast<int>(cf)]; }

}  // namespace qantara::storage

#endif  // QANTARA_STORAGE_COLUMN_FAMILIES_H_
