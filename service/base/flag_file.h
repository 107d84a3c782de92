// ReadFlagFile: the whole contents of a file a command-line flag names, or
// an error naming the flag and the file (the server's TLS files, the CLI's).
#ifndef QANTARA_SERVICE_BASE_FLAG_FILE_H_
#define QANTARA_SERVICE_BASE_FLAG_FILE_H_

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

namespace qantara {

// InvalidArgument "FLAG PATH: cannot read it (reason)" or "...: read error".
inline absl::StatusOr<std::string> ReadFlagFile(const char* flag, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " ", path, ": cannot read it (", std::strerror(errno), ")"));
  }
  std::ostringstream data;
  data << in.rdbuf();
  if (in.bad()) return absl::InvalidArgumentError(absl::StrCat(flag, " ", path, ": read error"));
  return data.str();
}

}  // namespace qantara

#endif  // QANTARA_SERVICE_BASE_FLAG_FILE_H_
