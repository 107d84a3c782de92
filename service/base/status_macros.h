// Early returns on error for absl::Status and absl::StatusOr<T>:
//
//   QANTARA_RETURN_IF_ERROR(store.Put(cf, key, value));
//   QANTARA_ASSIGN_OR_RETURN(std::string value, ReadValue(key));
//
// RETURN_IF_ERROR(expr): evaluates `expr` (an absl::Status) once and returns
// it from the enclosing function when it is not OK.
// ASSIGN_OR_RETURN(lhs, expr): evaluates `expr` (an absl::StatusOr<T>) once;
// on error returns its status, else moves its value into `lhs` (a new
// variable, `Type name`, or an existing lvalue). The enclosing function
// returns absl::Status or absl::StatusOr<U>. `lhs` may not hold an unwrapped
// comma (use a type alias).
#ifndef QANTARA_SERVICE_BASE_STATUS_MACROS_H_
#define QANTARA_SERVICE_BASE_STATUS_MACROS_H_

#include <utility>

#include "absl/base/optimization.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define QANTARA_RETURN_IF_ERROR(expr)                                                         \
  do {                                                                                        \
    if (::absl::Status qantara_status_ = (expr); ABSL_PREDICT_FALSE(!qantara_status_.ok())) { \
      return qantara_status_;                                                                 \
    }                                                                                         \
  } while (false)

// A name unique to the line: one ASSIGN_OR_RETURN a line.
#define QANTARA_STATUS_MACROS_CONCAT_INNER_(a, b) a##b
#define QANTARA_STATUS_MACROS_CONCAT_(a, b) QANTARA_STATUS_MACROS_CONCAT_INNER_(a, b)

#define QANTARA_ASSIGN_OR_RETURN(lhs, expr) \
  QANTARA_ASSIGN_OR_RETURN_IMPL_(QANTARA_STATUS_MACROS_CONCAT_(qantara_statusor_, __LINE__), lhs, expr)

#define QANTARA_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                   \
  if (ABSL_PREDICT_FALSE(!statusor.ok())) {                 \
    return std::move(statusor).status();                    \
  }                                                         \
  lhs = *std::move(statusor)

#endif  // QANTARA_SERVICE_BASE_STATUS_MACROS_H_
