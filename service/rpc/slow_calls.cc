// SlowCallInterceptor: reads the clocks when the call is made and when its
// status is sent (gRPC's sync server runs both on the handler's thread for
// unary calls; when they differ, as for some streams, CPU time and lock waits
// are not known and the line says so).
#include "service/rpc/slow_calls.h"

#include <cstdint>
#include <string>
#include <thread>
#include <utility>

#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "service/base/lock_wait.h"
#include "service/base/low_priority.h"
#include "service/rpc/auth.h"
#include "service/rpc/metrics.h"

namespace qantara::rpc {
namespace {

// Shared by a factory's interceptors: the options and the lines' budget.
struct SlowCallLog {
  explicit SlowCallLog(SlowCallOptions o) : options(std::move(o)) {}
  const SlowCallOptions options;
  absl::Mutex mu;
  int64_t second ABSL_GUARDED_BY(mu) = 0;  // the current second (monotonic)
  int lines ABSL_GUARDED_BY(mu) = 0;       // lines written in it
  uint64_t left_out ABSL_GUARDED_BY(mu) = 0;

  void Write(std::string line) {
    uint64_t skipped = 0;
    {
      absl::MutexLock l(&mu);
      const int64_t now = MonotonicNanos() / 1000000000;
      if (now != second) {
        second = now;
        lines = 0;
      }
      if (lines >= options.max_lines_per_s) {
        ++left_out;
        return;
      }
      ++lines;
      skipped = std::exchange(left_out, 0);
    }
    if (skipped > 0)
      absl::StrAppend(&line, absl::StrFormat(" (%u slow calls before it not logged)", skipped));
    options.log(line);
  }
};

class SlowCallInterceptor final : public grpc::experimental::Interceptor {
 public:
  SlowCallInterceptor(SlowCallLog& log, grpc::experimental::ServerRpcInfo* info)
      : log_(log),
        method_(info->method() == nullptr ? "?" : info->method()),
        context_(info->server_context()),
        thread_(std::this_thread::get_id()),
        start_(MonotonicNanos()),
        cpu_start_(ThisThreadCpuNanosWithHelpers()),
        wait_start_(ThisThreadLockWaitNanos()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      const int64_t wall = MonotonicNanos() - start_;
      if (wall >= absl::ToInt64Nanoseconds(log_.options.threshold)) {
        std::string where = "CPU and lock waits not known (other threads)";
        if (std::this_thread::get_id() == thread_) {
          where = absl::StrFormat("CPU %.1f ms, lock waits %.1f ms",
                                  static_cast<double>(ThisThreadCpuNanosWithHelpers() - cpu_start_) / 1e6,
                                  static_cast<double>(ThisThreadLockWaitNanos() - wait_start_) / 1e6);
        }
        log_.Write(absl::StrFormat("slow call: %s %s %.1f ms (%s) token %s from %s", method_,
                                   GrpcCodeName(methods->GetSendStatus().error_code()),
                                   static_cast<double>(wall) / 1e6, where, TokenNameForLog(context_),
                                   context_ == nullptr ? std::string("?") : context_->peer()));
      }
    }
    methods->Proceed();
  }

 private:
  SlowCallLog& log_;
  const std::string method_;
  const grpc::ServerContextBase* const context_;
  const std::thread::id thread_;
  const int64_t start_, cpu_start_, wait_start_;
};

class SlowCallFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit SlowCallFactory(SlowCallOptions options) : log_(std::move(options)) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override {
    return new SlowCallInterceptor(log_, info);
  }

 private:
  SlowCallLog log_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> SlowCallInterceptorFactory(
    SlowCallOptions options) {
  return std::make_unique<SlowCallFactory>(std::move(options));
}

}  // namespace qantara::rpc
