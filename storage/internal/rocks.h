// PRIVATE to storage/'s .cc files: the RocksDB handles behind a Store.
// Never include this from a public header (RocksDB types stop at storage/).
#ifndef QANTARA_STORAGE_INTERNAL_ROCKS_H_
#define QANTARA_STORAGE_INTERNAL_ROCKS_H_

#include <string_view>
#include <vector>

#include "rocksdb/db.h"
#include "storage/column_families.h"

namespace qantara::storage {
class Store;
}  // namespace qantara::storage

namespace qantara::storage::internal {

struct RocksHandles {
  rocksdb::DB* db = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> cfs;  // indexed by Cf
  rocksdb::ColumnFamilyHandle* cf(Cf c) const { return cfs[static_cast<int>(c)]; }
};

// RocksDB's Slice of a string_view, and back.
inline rocksdb::Slice AsSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }
inline std::string_view AsView(const rocksdb::Slice& s) { return std::string_view(s.data(), s.size()); }

// The handles behind `store` (made by Store::Open). REQUIRES: the store is
// open. For storage/'s implementation files and its tests only.
RocksHandles& Rocks(Store& store);

}  // namespace qantara::storage::internal

#endif  // QANTARA_STORAGE_INTERNAL_ROCKS_H_
