// Access control at the gRPC edge: the token from the call's metadata,
// checked by the installed tm::AccessControl.
#include "service/rpc/auth.h"

#include <openssl/crypto.h>

#include <atomic>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "service/base/error_details.h"
#include "service/base/low_priority.h"

namespace qantara::rpc {
namespace {

std::atomic<tm::AccessControl*> installed{nullptr};
std::atomic<bool> enforced{false};
std::atomic<tm::RateLimiter*> rate_limiter{nullptr};
std::atomic<void (*)(const absl::Status&)> audit_error_handler{nullptr};

constexpr absl::string_view kScheme = "bearer ";

// The call this handler thread is serving for a rate-limited token, from its
// first Caller() until CpuChargeInterceptor charges it when the status is
// sent (gRPC's sync server runs that hook on the handler's thread).
struct CallCpu {
  const void* context = nullptr;  // nullptr: none
  tm::Principal who;
  int64_t start_ns = 0;
  bool paid_by_units = false;
  bool low_priority = false;  // the token is over its CPU share
};
thread_local CallCpu t_call_cpu;
// Set once CpuChargeInterceptorFactory() is made: only then is every call's
// record cleared when it ends, so only then are records made.
std::atomic<bool> cpu_charging{false};

void StartCpuCharge(tm::RateLimiter& limiter, const grpc::ServerContext* context, const tm::Principal& who) {
  if (!cpu_charging.load(std::memory_order_relaxed) || who.role == tm::Role::kAdmin || who.name.empty() ||
      t_call_cpu.context == context) {
    return;
  }
  t_call_cpu =
      CallCpu{context, who, ThisThreadCpuNanosWithHelpers(), false, limiter.OverCpuShare(who, absl::Now())};
}

class CpuChargeInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit CpuChargeInterceptor(const void* context) : context_(context) {}
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS) &&
        t_call_cpu.context == context_) {
      if (tm::RateLimiter* limiter = rate_limiter.load(std::memory_order_acquire);
          limiter != nullptr && !t_call_cpu.paid_by_units) {
        const double ms = static_cast<double>(ThisThreadCpuNanosWithHelpers() - t_call_cpu.start_ns) / 1e6;
        limiter->ChargeCpu(t_call_cpu.who, ms, absl::Now());
      }
      t_call_cpu = CallCpu{};
    }
    methods->Proceed();
  }

 private:
  const void* const context_;
};

class CpuChargeInterceptorFactoryImpl final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override {
    return new CpuChargeInterceptor(info->server_context());
  }
};

// The principal of the call's token, without rate limits.
absl::StatusOr<tm::Principal> Identify(const grpc::ServerContext* context);

}  // namespace

std::string& HttpEdgeSecret() {
  static std::string* secret = new std::string;
  return *secret;
}

void SetHttpEdgeSecret(std::string secret) { HttpEdgeSecret() = std::move(secret); }

void InstallAccessControl(tm::AccessControl* access, bool enforce) {
  enforced.store(enforce, std::memory_order_release);
  installed.store(access, std::memory_order_release);
}

void SetAuditErrorHandler(void (*handler)(const absl::Status&)) { audit_error_handler.store(handler); }

AuditedCall::AuditedCall(const grpc::ServerContext* context, absl::string_view action) : context_(context) {
  event_.action = std::string(action);
  event_.peer = context->peer();
  // A call of the HTTP edge names the HTTP client's address, when it proves
  // it is the edge.
  const auto& md = context->client_metadata();
  if (auto secret = md.find("qantara-http-edge");
      secret != md.end() && !HttpEdgeSecret().empty() && secret->second.size() == HttpEdgeSecret().size() &&
      CRYPTO_memcmp(secret->second.data(), HttpEdgeSecret().data(), HttpEdgeSecret().size()) == 0) {
    if (auto peer = md.find("qantara-http-peer"); peer != md.end()) {
      event_.peer = absl::StrCat("http:", absl::string_view(peer->second.data(), peer->second.size()));
    }
  }
}

grpc::Status AuditedCall::Done(grpc::Status status) {
  tm::AccessControl* access = installed.load(std::memory_order_acquire);
  // Calls refused for their token are not recorded: an unauthenticated
  // client cannot fill the disk with entries.
  if (access == nullptr || status.error_code() == grpc::StatusCode::UNAUTHENTICATED) return status;
  // absl and gRPC share the codes' numbers and names.
  event_.outcome = absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code()));
  if (who_.name.empty()) {  // refused for its role or scope: still, who asked
    absl::StatusOr<tm::Principal> who = Identify(context_);
    if (who.ok()) who_ = *std::move(who);
  } else if (tm::RateLimiter* limiter = rate_limiter.load(std::memory_order_acquire); limiter != nullptr) {
    limiter->Charge(who_, event_.units, absl::Now());
    if (event_.units > 0 && t_call_cpu.context == context_) t_call_cpu.paid_by_units = true;
  }
  event_.who = who_.name;
  absl::Status recorded = access->Record(event_);
  if (!recorded.ok()) {
    if (auto* handler = audit_error_handler.load()) handler(recorded);
  }
  return status;
}

namespace {
absl::StatusOr<tm::Principal> Identify(const grpc::ServerContext* context) {
  const tm::AccessControl* access = installed.load(std::memory_order_acquire);
  if (access == nullptr || !enforced.load(std::memory_order_acquire)) return tm::Unrestricted();
  const auto& metadata = context->client_metadata();
  auto [first, last] = metadata.equal_range("authorization");
  if (first == last) {
    return WithReason(
        absl::UnauthenticatedError("no API token: send the metadata 'authorization: Bearer <token>' "
                                   "(the CLI: --token, --token-file or QANTARA_TOKEN)"),
        "TOKEN_MISSING");
  }
  if (std::next(first) != last) {
    return WithReason(
        absl::UnauthenticatedError("more than one 'authorization' metadata entry: send one token"),
        "TOKEN_INVALID");
  }
  const absl::string_view value(first->second.data(), first->second.size());
  if (value.size() <= kScheme.size() || !absl::StartsWithIgnoreCase(value, kScheme)) {
    return WithReason(absl::UnauthenticatedError("malformed 'authorization' metadata: want 'Bearer <token>'"),
                      "TOKEN_INVALID");
  }
  return access->Authenticate(absl::StripAsciiWhitespace(value.substr(kScheme.size())),
                              absl::ToUnixMicros(absl::Now()));
}
}  // namespace

std::string TokenNameForLog(const grpc::ServerContextBase* context) {
  const auto* server_context = dynamic_cast<const grpc::ServerContext*>(context);
  if (server_context == nullptr || installed.load(std::memory_order_acquire) == nullptr ||
      !enforced.load(std::memory_order_acquire)) {
    return "-";
  }
  absl::StatusOr<tm::Principal> who = Identify(server_context);
  return who.ok() && !who->name.empty() ? who->name : "-";
}

absl::StatusOr<tm::Principal> Caller(const grpc::ServerContext* context) {
  absl::StatusOr<tm::Principal> who = Identify(context);
  if (!who.ok()) return who;
  if (tm::RateLimiter* limiter = rate_limiter.load(std::memory_order_acquire); limiter != nullptr) {
    if (absl::Status s = limiter->Admit(*who, absl::Now()); !s.ok()) return s;
    StartCpuCharge(*limiter, context, *who);
  }
  return who;
}

bool OverCpuShare(const grpc::ServerContext* context) {
  return t_call_cpu.context == context && t_call_cpu.low_priority;
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> CpuChargeInterceptorFactory() {
  cpu_charging.store(true, std::memory_order_relaxed);
  return std::make_unique<CpuChargeInterceptorFactoryImpl>();
}

void InstallRateLimiter(tm::RateLimiter* limiter) { rate_limiter.store(limiter, std::memory_order_release); }

absl::StatusOr<tm::Principal> Allow(const grpc::ServerContext* context, tm::Role needed,
                                    absl::string_view action) {
  absl::StatusOr<tm::Principal> who = Caller(context);
  if (!who.ok()) return who;
  if (absl::Status s = tm::NeedRole(*who, needed, action); !s.ok()) return s;
  return who;
}

absl::StatusOr<tm::Principal> AllowMemory(const grpc::ServerContext* context, absl::string_view memory,
                                          tm::Role needed, absl::string_view action) {
  absl::StatusOr<tm::Principal> who = Caller(context);
  if (!who.ok()) return who;
  if (absl::Status s = tm::NeedMemory(*who, memory, needed, action); !s.ok()) return s;
  return who;
}

}  // namespace qantara::rpc
