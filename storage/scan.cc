// Bounded iteration over one column family.
#include "storage/internal/scan.h"

#include <memory>

#include "rocksdb/db.h"
#include "storage/internal/status.h"

namespace qantara::storage::internal {

absl::StatusOr<std::optional<std::string>> ScanEntries(RocksHandles& rocks, Cf cf,
                                                       const rocksdb::ReadOptions& read_options,
                                                       std::string_view lower, std::string_view upper,
                                                       size_t limit, const EntryFn& fn,
                                                       std::string_view what) {
  rocksdb::ReadOptions ro = read_options;
  rocksdb::Slice upper_slice(upper.data(), upper.size());
  if (!upper.empty()) ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(rocks.db->NewIterator(ro, rocks.cf(cf)));
  size_t n = 0;
  for (it->Seek(rocksdb::Slice(lower.data(), lower.size())); it->Valid(); it->Next()) {
    if (n == limit) return std::optional<std::string>(it->key().ToString());
    ++n;
    const rocksdb::Slice k = it->key(), v = it->value();
    if (absl::Status s = fn(std::string_view(k.data(), k.size()), std::string_view(v.data(), v.size()));
        !s.ok()) {
      return s;
    }
  }
  if (!it->status().ok()) return FromRocks(it->status(), what);
  return std::optional<std::string>();
}

absl::Status ScanAll(RocksHandles& rocks, Cf cf, const rocksdb::ReadOptions& read_options,
                     std::string_view lower, std::string_view upper, const EntryFn& fn,
                     std::string_view what) {
  return ScanEntries(rocks, cf, read_options, lower, upper, SIZE_MAX, fn, what).status();
}

std::string PrefixEnd(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    if (static_cast<uint8_t>(end.back()) != 0xff) {
      end.back() = static_cast<char>(static_cast<uint8_t>(end.back()) + 1);
      return end;
    }
    end.pop_back();
  }
  return end;
}

}  // namespace qantara::storage::internal
