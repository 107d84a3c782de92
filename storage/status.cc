// Conversion of RocksDB statuses into absl::Status, with what was being done.
#include "storage/internal/status.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace qantara::storage {

absl::Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  const std::string msg = s.ToString();
  if (s.IsIOError() && absl::StrContains(msg, "lock")) {
    return absl::FailedPreconditionError(
        absl::StrCat(std::string(what),
                     ": the data dir is locked by another process (is another qantara-server "
                     "running on it?): ",
                     msg));
  }
  if (s.IsNoSpace() || s.subcode() == rocksdb::Status::kSpaceLimit) {
    return absl::ResourceExhaustedError(absl::StrCat(
        std::string(what), ": the disk of the data dir is full (free space, then retry): ", msg));
  }
  if (s.IsCorruption()) return absl::DataLossError(absl::StrCat(std::string(what), ": ", msg));
  if (s.IsNotFound()) return absl::NotFoundError(absl::StrCat(std::string(what), ": ", msg));
  if (s.IsInvalidArgument()) return absl::InvalidArgumentError(absl::StrCat(std::string(what), ": ", msg));
  if (s.IsBusy() || s.IsTimedOut() || s.IsTryAgain()) {
    return absl::UnavailableError(absl::StrCat(std::string(what), ": ", msg));
  }
  return absl::InternalError(absl::StrCat(std::string(what), ": ", msg));
}

}  // namespace qantara::storage
