// The slow call log: one line for each call that took longer than a
// threshold (--slow-call-ms), saying where its time went: wall time from
// its arrival at the handler to its status, the CPU time of its thread (and
// of the low-priority helper threads it ran work on), and how long it
// waited for a memory's locks and read snapshot. A slow call with little CPU
// and no lock wait waited for the cores (or its client); one with lock waits
// waited for writers or readers of its memory. The line names the call's
// token (with access control) and its peer. At most `max_lines_per_s`
// lines a second; the calls left out are counted in the next line.
#ifndef QANTARA_SERVICE_RPC_SLOW_CALLS_H_
#define QANTARA_SERVICE_RPC_SLOW_CALLS_H_

#include <functional>
#include <memory>
#include <string_view>

#include "absl/time/time.h"
#include "grpcpp/support/server_interceptor.h"

namespace qantara::rpc {

struct SlowCallOptions {
  absl::Duration threshold = absl::Seconds(1);
  int max_lines_per_s = 10;
  std::function<void(std::string_view line)> log;  // thread-safe
};

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> SlowCallInterceptorFactory(
    SlowCallOptions options);

}  // namespace qantara::rpc

#endif  // QANTARA_SERVICE_RPC_SLOW_CALLS_H_
