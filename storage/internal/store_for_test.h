// PRIVATE to storage/ and its tests: Store::Open over a given RocksDB file
// system (tests/storage/power_loss_test.cc drops what was not synced).
#ifndef QANTARA_STORAGE_INTERNAL_STORE_FOR_TEST_H_
#define QANTARA_STORAGE_INTERNAL_STORE_FOR_TEST_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "rocksdb/file_system.h"
#include "storage/store.h"

namespace qantara::storage::internal {

// Store::Open(dir, options), with every file of the database read and
// written through `fs` (RocksDB's Env made of it and the default Env's
// threads and clock). For tests only.
absl::StatusOr<std::unique_ptr<Store>> OpenStoreForTest(const std::string& dir, const StoreOptions& options,
                                                        std::shared_ptr<rocksdb::FileSystem> fs);

}  // namespace qantara::storage::internal

#endif  // QANTARA_STORAGE_INTERNAL_STORE_FOR_TEST_H_
