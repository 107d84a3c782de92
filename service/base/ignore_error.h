// IgnoreError(status, why): drops an absl::Status on purpose, where nothing
// can be done with it (a destructor's best-effort close, cleanup after an
// error already being returned). `why` says why at the call site; it is not
// used otherwise. Prefer returning or logging the status: this is for the
// few places where neither is right. Never `(void)status`: that reads as an
// oversight.
#ifndef QANTARA_SERVICE_BASE_IGNORE_ERROR_H_
#define QANTARA_SERVICE_BASE_IGNORE_ERROR_H_

#include <string_view>

#include "absl/status/status.h"

namespace qantara {

inline void IgnoreError(const absl::Status& status, std::string_view why) {
  static_cast<void>(status);
  static_cast<void>(why);
}

}  // namespace qantara

#endif  // QANTARA_SERVICE_BASE_IGNORE_ERROR_H_
