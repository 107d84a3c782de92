// OpenInfoLog (storage/internal/info_log.h): RocksDB's info log, one write(2)
// a line, errors ignored.
#include "storage/internal/info_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace qantara::storage::internal {
namespace {

class InfoLog final : public rocksdb::Logger {
 public:
  explicit InfoLog(int fd) : Logger(rocksdb::InfoLogLevel::INFO_LEVEL), fd_(fd) {}
  ~InfoLog() override {
    if (fd_ >= 0) ::close(fd_);
  }

  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {
    std::string line = absl::FormatTime("%Y/%m/%d-%H:%M:%E6S ", absl::Now(), absl::LocalTimeZone());
    absl::StrAppend(&line, absl::Hex(static_cast<uint64_t>(::gettid())), " ");
    char buf[1024];
    va_list copy;
    va_copy(copy, ap);
    const int n = std::vsnprintf(buf, sizeof(buf), format, copy);
    va_end(copy);
    if (n < 0) return;
    if (static_cast<size_t>(n) < sizeof(buf)) {
      line.append(buf, n);
    } else {  // a long line (stats dumps)
      std::string big(static_cast<size_t>(n) + 1, '\0');
      std::vsnprintf(big.data(), big.size(), format, ap);
      line.append(big.data(), n);
    }
    if (line.back() != '\n') line.push_back('\n');
    // One write: O_APPEND keeps lines whole between threads. A failure (a
    // full disk) loses this line only.
    const ssize_t written = ::write(fd_, line.data(), line.size());
    (void)written;
  }

 protected:
  rocksdb::Status CloseImpl() override {
    if (fd_ >= 0 && ::close(fd_) != 0) {
      fd_ = -1;
      return rocksdb::Status::IOError("close the info log", std::strerror(errno));
    }
    fd_ = -1;
    return rocksdb::Status::OK();
  }

 private:
  int fd_;
};

}  // namespace

absl::StatusOr<std::shared_ptr<rocksdb::Logger>> OpenInfoLog(const std::string& dir, uint64_t rotate_bytes) {
  const std::filesystem::path path = std::filesystem::path(dir) / "LOG";
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (!ec && size > rotate_bytes) std::filesystem::rename(path, std::filesystem::path(dir) / "LOG.old", ec);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat("open the RocksDB info log ", path.string()));
  }
  return std::shared_ptr<rocksdb::Logger>(std::make_shared<InfoLog>(fd));
}

}  // namespace qantara::storage::internal
