// The first admin token of a server started with --auth.
#ifndef QANTARA_SERVICE_SERVER_ACCESS_BOOTSTRAP_H_
#define QANTARA_SERVICE_SERVER_ACCESS_BOOTSTRAP_H_

#include <string>

#include "absl/status/statusor.h"
#include "service/tm/access.h"

namespace qantara::server {

// The path of the first admin token's file: DATA_DIR/admin.token.
std::string AdminTokenPath(const std::string& data_dir);

// When `access` has no live admin token, makes one named "admin" (or
// "admin-2", ... when that name is taken) and writes its secret to
// AdminTokenPath (mode 0600, replacing the file) before storing it: returns
// the line to log, saying where it is. Returns "" when an admin token exists
// (nothing is written). Errors: the file cannot be written (nothing stored).
absl::StatusOr<std::string> WriteFirstAdminToken(tm::AccessControl& access, const std::string& data_dir);

}  // namespace qantara::server

#endif  // QANTARA_SERVICE_SERVER_ACCESS_BOOTSTRAP_H_
