// For upgrade tests: turns a closed data dir into what an older build left,
// with RocksDB directly (the store would upgrade it back at its next open).
#ifndef QANTARA_TESTS_STORAGE_OLDER_FORMAT_H_
#define QANTARA_TESTS_STORAGE_OLDER_FORMAT_H_

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rocksdb/db.h"

namespace qantara::storage::testing {

// Drops the column families named in `drop`, writes `version` as the format
// version, and calls `each` (when given) with every other column family's
// name and handle, for more changes. Fails the test on any RocksDB error.
inline void MakeOlderFormat(
    const std::string& dir, const std::vector<std::string>& drop, const std::string& version,
    const std::function<void(rocksdb::DB*, const std::string&, rocksdb::ColumnFamilyHandle*)>& each =
        nullptr) {
  std::vector<std::string> names;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (const std::string& n : names) cfs.emplace_back(n, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), dir, cfs, &handles, &db).ok());
  for (size_t k = 0; k < names.size(); ++k) {
    if (std::find(drop.begin(), drop.end(), names[k]) != drop.end()) {
      ASSERT_TRUE(db->DropColumnFamily(handles[k]).ok());
      continue;
    }
    if (names[k] == "meta") {
      ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), handles[k], "format_version", version).ok());
    }
    if (each) each(db, names[k], handles[k]);
  }
  for (auto* h : handles) ASSERT_TRUE(db->DestroyColumnFamilyHandle(h).ok());
  ASSERT_TRUE(db->Close().ok());
  delete db;
}

}  // namespace qantara::storage::testing

#endif  // QANTARA_TESTS_STORAGE_OLDER_FORMAT_H_
