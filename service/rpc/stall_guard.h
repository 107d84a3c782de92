// StallGuard: ends a streaming call whose client stops taking part. gRPC's
// synchronous Write blocks while the client's flow-control window is full
// and Read blocks until the client sends: a client that stops reading an
// Export (or never sends the next chunk of an Import) would hold the
// handler's thread, and what the handler holds (a RocksDB snapshot), for
// good. A handler wraps each blocking Write and Read in Wait(): one that
// blocks longer than the limit cancels the call (ServerContext::TryCancel),
// so the Write or Read returns false and the handler ends, with
// DEADLINE_EXCEEDED naming the stall (Status()).
//
// One watcher thread per guard, asleep but for the call's blocking waits.
#ifndef QANTARA_SERVICE_RPC_STALL_GUARD_H_
#define QANTARA_SERVICE_RPC_STALL_GUARD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/server_context.h"
#include "service/tm/request_limits.h"

namespace qantara::rpc {

class StallGuard {
 public:
  // The limit of a server's request limits (max_stall_seconds); none without.
  static absl::Duration Limit(const std::optional<tm::RequestLimits>& limits) {
    return limits.has_value() ? absl::Seconds(limits->max_stall_seconds) : absl::ZeroDuration();
  }

  // `limit` <= 0: no limit (no thread). REQUIRES: `context` outlives the guard.
  StallGuard(grpc::ServerContext* context, absl::Duration limit);
  ~StallGuard();
  StallGuard(const StallGuard&) = delete;
  StallGuard& operator=(const StallGuard&) = delete;

  // Runs `wait` (a stream's Write or Read, returning bool) under the limit.
  template <typename F>
  bool Wait(F&& wait) {
    Begin();
    const bool ok = wait();
    End();
    return ok;
  }

  // Whether the guard cancelled the call.
  bool stalled() const;
  // DEADLINE_EXCEEDED naming `what` (e.g. "reading the export") and the
  // limit, for a call the guard cancelled.
  grpc::Status Status(const std::string& what) const;

 private:
  void Begin();
  void End();
  void Watch();
  bool Changed() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return generation_ != seen_; }

  grpc::ServerContext* const context_;
  const absl::Duration limit_;
  mutable absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool stalled_ ABSL_GUARDED_BY(mu_) = false;
  bool waiting_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time since_ ABSL_GUARDED_BY(mu_);
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;  // +1 at each Begin, End and stop
  uint64_t seen_ ABSL_GUARDED_BY(mu_) = 0;        // the generation the watcher last saw
  std::thread watcher_;
};

}  // namespace qantara::rpc

#endif  // QANTARA_SERVICE_RPC_STALL_GUARD_H_
