// Admission control and the stall watchdog of service/rpc/call_admission.h.
#include "service/rpc/call_admission.h"

#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace qantara::rpc {
namespace {

// The streaming calls being watched, each with the time since which it
// waits on its client (a Read for a message, or a Write held back by flow
// control), if it does; a thread cancels those waiting longer than the stall
// limit. Time the server spends working between messages does not count.
class Watchdog {
 public:
  explicit Watchdog(absl::Duration stall) : stall_(stall) {
    thread_ = std::thread([this] { Loop(); });
  }
  ~Watchdog() {
    {
      absl::MutexLock lock(&mu_);
      stop_ = true;
    }
    thread_.join();
  }

  void Watch(const grpc::ServerContextBase* ctx) {
    absl::MutexLock lock(&mu_);
    calls_[ctx] = Entry{};
  }
  void Unwatch(const grpc::ServerContextBase* ctx) {
    absl::MutexLock lock(&mu_);
    calls_.erase(ctx);
  }
  void Waiting(const grpc::ServerContextBase* ctx, bool reading, bool waiting) {
    absl::MutexLock lock(&mu_);
    auto it = calls_.find(ctx);
    if (it == calls_.end()) return;
    (reading ? it->second.reading_since : it->second.sending_since) =
        waiting ? absl::Now() : absl::InfiniteFuture();
  }
  std::pair<uint64_t, size_t> Stats() {
    absl::MutexLock lock(&mu_);
    return {cancelled_, calls_.size()};
  }

 private:
  struct Entry {
    absl::Time reading_since = absl::InfiniteFuture();
    absl::Time sending_since = absl::InfiniteFuture();
    bool cancelled = false;
  };

  void Loop() {
    const absl::Duration tick = std::min(absl::Seconds(1), std::max(stall_ / 4, absl::Milliseconds(50)));
    absl::MutexLock lock(&mu_);
    while (!stop_) {
      mu_.AwaitWithTimeout(absl::Condition(&stop_), tick);
      if (stop_) break;
      const absl::Time now = absl::Now();
      for (auto& [ctx, e] : calls_) {
        if (e.cancelled || now - std::min(e.reading_since, e.sending_since) < stall_) continue;
        // The entry is removed (under mu_) before its handler returns, so
        // the context is alive here. TryCancel runs the interceptors'
        // cancel hook, which does not take mu_.
        const_cast<grpc::ServerContextBase*>(ctx)->TryCancel();
        e.cancelled = true;
        ++cancelled_;
      }
    }
  }

  const absl::Duration stall_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::unordered_map<const grpc::ServerContextBase*, Entry> calls_ ABSL_GUARDED_BY(mu_);
  uint64_t cancelled_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

struct Installed {
  std::unique_ptr<tm::AdmissionPool> heavy, streams;
  std::unique_ptr<Watchdog> watchdog;
};

// Set once before serving and reset after; read by handlers in between.
Installed* g_installed = nullptr;

class SendInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit SendInterceptor(grpc::ServerContextBase* ctx) : ctx_(ctx) {}
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (g_installed != nullptr && g_installed->watchdog != nullptr) {
      // A Write waits on the client from here until its POST hook.
      if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_MESSAGE)) {
        g_installed->watchdog->Waiting(ctx_, /*reading=*/false, true);
      } else if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_SEND_MESSAGE)) {
        g_installed->watchdog->Waiting(ctx_, /*reading=*/false, false);
      }
    }
    methods->Proceed();
  }

 private:
  grpc::ServerContextBase* const ctx_;
};

class SendInterceptorFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override {
    if (info->type() == grpc::experimental::ServerRpcInfo::Type::UNARY) return nullptr;
    return new SendInterceptor(info->server_context());
  }
};

}  // namespace

void InstallAdmission(const AdmissionConfig& config) {
  auto* installed = new Installed;
  installed->heavy = std::make_unique<tm::AdmissionPool>(config.heavy);
  installed->streams = std::make_unique<tm::AdmissionPool>(config.streams);
  if (config.stream_stall > absl::ZeroDuration()) {
    installed->watchdog = std::make_unique<Watchdog>(config.stream_stall);
  }
  g_installed = installed;
}

void UninstallAdmission() {
  delete g_installed;
  g_installed = nullptr;
}

AdmissionStats GetAdmissionStats() {
  AdmissionStats s;
  if (g_installed == nullptr) return s;
  s.heavy = g_installed->heavy->stats();
  s.streams = g_installed->streams->stats();
  if (g_installed->watchdog) std::tie(s.stalled_cancelled, s.watched) = g_installed->watchdog->Stats();
  return s;
}

std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> AdmissionInterceptors() {
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> out;
  out.push_back(std::make_unique<SendInterceptorFactory>());
  return out;
}

CallSlot::CallSlot(CallSlot&& other) noexcept
    : ticket_(std::move(other.ticket_)), watched_(std::exchange(other.watched_, nullptr)) {}

CallSlot& CallSlot::operator=(CallSlot&& other) noexcept {
  if (this != &other) {
    if (watched_ != nullptr && g_installed != nullptr && g_installed->watchdog != nullptr) {
      g_installed->watchdog->Unwatch(watched_);
    }
    ticket_ = std::move(other.ticket_);
    watched_ = std::exchange(other.watched_, nullptr);
  }
  return *this;
}

void CallSlot::Waiting(bool waiting) {
  if (watched_ != nullptr && g_installed != nullptr && g_installed->watchdog != nullptr) {
    g_installed->watchdog->Waiting(watched_, /*reading=*/true, waiting);
  }
}

CallSlot::~CallSlot() {
  if (watched_ != nullptr && g_installed != nullptr && g_installed->watchdog != nullptr) {
    g_installed->watchdog->Unwatch(watched_);
  }
  watched_ = nullptr;
}

absl::StatusOr<CallSlot> Admit(grpc::ServerContext* context, CallKind kind, absl::string_view what) {
  CallSlot slot;
  if (g_installed == nullptr || kind == CallKind::kNone) return slot;
  tm::AdmissionPool& pool = kind == CallKind::kStream ? *g_installed->streams : *g_installed->heavy;
  absl::StatusOr<tm::AdmissionPool::Ticket> ticket =
      pool.Admit(what, [context] { return context->IsCancelled(); });
  if (!ticket.ok()) return ticket.status();
  slot.ticket_ = *std::move(ticket);
  if ((kind == CallKind::kStream || kind == CallKind::kHeavyStream) && g_installed->watchdog != nullptr) {
    slot.watched_ = context;
    g_installed->watchdog->Watch(context);
  }
  return slot;
}

}  // namespace qantara::rpc
