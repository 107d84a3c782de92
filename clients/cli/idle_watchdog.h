// IdleWatchdog: the deadline of a long streaming call (import, export, add):
// such a call may rightly take hours, but not go quiet. The call is
// cancelled once no message has gone either way for the --timeout seconds
// (each message read or written calls Touch()); fired() then tells the
// caller to report "no answer within --timeout" instead of "cancelled".
#ifndef QANTARA_CLIENTS_CLI_IDLE_WATCHDOG_H_
#define QANTARA_CLIENTS_CLI_IDLE_WATCHDOG_H_

#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/client_context.h"

namespace qantara::cli {

class IdleWatchdog {
 public:
  // REQUIRES: `context` outlives the watchdog.
  IdleWatchdog(grpc::ClientContext* context, double seconds);
  ~IdleWatchdog();
  IdleWatchdog(const IdleWatchdog&) = delete;
  IdleWatchdog& operator=(const IdleWatchdog&) = delete;

  // A message went or came: the quiet time starts again.
  void Touch();
  // Whether the watchdog cancelled the call.
  bool fired() const;

 private:
  void Watch();
  bool Stopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stop_; }

  grpc::ClientContext* const context_;
  const absl::Duration limit_;
  mutable absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool fired_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time last_ ABSL_GUARDED_BY(mu_);
  std::thread watcher_;
};

}  // namespace qantara::cli

#endif  // QANTARA_CLIENTS_CLI_IDLE_WATCHDOG_H_
