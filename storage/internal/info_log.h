// PRIVATE to storage/: RocksDB's info log (DIR/LOG), written so that a full
// disk cannot stop the server.
//
// RocksDB's own LOG writer (7.8) keeps the first failed write as a sticky
// error: the next line logged fails an assertion (Debian's librocksdb is
// built with assertions), which aborts the process at the first write error
// RocksDB logs on a full disk. This one writes each line with one write(2)
// and ignores failures: lines that meet a full disk are lost, later ones
// are written once there is room.
#ifndef QANTARA_STORAGE_INTERNAL_INFO_LOG_H_
#define QANTARA_STORAGE_INTERNAL_INFO_LOG_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "rocksdb/env.h"

namespace qantara::storage::internal {

// Opens DIR/LOG for appending (a LOG over `rotate_bytes` is renamed to
// LOG.old first, replacing the previous one). Lines: "TIME THREAD message".
absl::StatusOr<std::shared_ptr<rocksdb::Logger>> OpenInfoLog(const std::string& dir,
                                                             uint64_t rotate_bytes = 64 << 20);

}  // namespace qantara::storage::internal

#endif  // QANTARA_STORAGE_INTERNAL_INFO_LOG_H_
