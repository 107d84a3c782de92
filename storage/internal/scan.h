// Bounded iteration over one column family: the one way storage/ scans a
// key range. PRIVATE to storage/.
#ifndef QANTARA_STORAGE_INTERNAL_SCAN_H_
#define QANTARA_STORAGE_INTERNAL_SCAN_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "rocksdb/options.h"
#include "storage/column_families.h"
#include "storage/internal/rocks.h"

namespace qantara::storage::internal {

// Called for each entry; a non-OK status stops the scan and is returned.
using EntryFn = std::function<absl::Status(std::string_view key, std::string_view value)>;

// Calls `fn` for the entries of `cf` in [lower, upper) in key order (an empty
// `upper`: to the end of the column family), read with `read_options` (its
// snapshot, fill_cache, total_order_seek; the bound is set here), at most
// `limit` of them. Returns the key to resume from when it stopped at the
// limit, nullopt when it reached the end. `what` names the scan in errors.
absl::StatusOr<std::optional<std::string>> ScanEntries(RocksHandles& rocks, Cf cf,
                                                       const rocksdb::ReadOptions& read_options,
                                                       std::string_view lower, std::string_view upper,
                                                       size_t limit, const EntryFn& fn,
                                                       std::string_view what);

// ScanEntries without a limit.
absl::Status ScanAll(RocksHandles& rocks, Cf cf, const rocksdb::ReadOptions& read_options,
                     std::string_view lower, std::string_view upper, const EntryFn& fn,
                     std::string_view what);

// The smallest key above every key that starts with `prefix` (for an upper
// bound); empty when there is none (a prefix of 0xff bytes).
std::string PrefixEnd(std::string_view prefix);

}  // namespace qantara::storage::internal

#endif  // QANTARA_STORAGE_INTERNAL_SCAN_H_
