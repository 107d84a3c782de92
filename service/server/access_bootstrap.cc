// The first admin token: made when none is live, its secret written to a
// file only the server's user may read, before the token is stored.
#include "service/server/access_bootstrap.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace qantara::server {
namespace {

absl::Status WriteSecretFile(const std::string& path, const std::string& secret) {
  const std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return absl::PermissionDeniedError(absl::StrCat("cannot write ", tmp, ": ", std::strerror(errno)));
  const std::string line = secret + "\n";
  bool ok = ::fchmod(fd, 0600) == 0 &&
            ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  const int err = errno;
  ok = (::close(fd) == 0) && ok;
  if (ok && ::rename(tmp.c_str(), path.c_str()) != 0) ok = false;
  if (!ok) {
    ::unlink(tmp.c_str());
    return absl::PermissionDeniedError(
        absl::StrCat("cannot write ", path, ": ", std::strerror(err ? err : errno)));
  }
  return absl::OkStatus();
}

}  // namespace

std::string AdminTokenPath(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "admin.token").string();
}

absl::StatusOr<std::string> WriteFirstAdminToken(tm::AccessControl& access, const std::string& data_dir) {
  if (access.HasAdmin(absl::ToUnixMicros(absl::Now()))) return std::string();
  const std::string path = AdminTokenPath(data_dir);
  for (int n = 1; n <= 100; ++n) {
    tm::NewToken token;
    token.name = n == 1 ? "admin" : absl::StrCat("admin-", n);
    token.role = tm::Role::kAdmin;
    absl::StatusOr<std::string> made = access.CreateToken(
        token, "", nullptr, [&path](const std::string& secret) { return WriteSecretFile(path, secret); });
    if (absl::IsAlreadyExists(made.status())) continue;
    if (!made.ok()) return made.status();
    return absl::StrCat(
        "no admin token: made admin token '", token.name, "', its secret written to ", path,
        " (mode 0600; move it somewhere safe, then make other tokens with `qantara token create`)");
  }
  return absl::FailedPreconditionError(
      "no free name for the first admin token (admin, admin-2 ... admin-100)");
}

}  // namespace qantara::server
