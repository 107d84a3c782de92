// Per-token token buckets.
#include "service/tm/rate_limits.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "service/base/error_details.h"

namespace qantara::tm {
namespace {

// The priority share's budget holds this many seconds of its rate.
constexpr double kShareBurstSeconds = 2;

// RESOURCE_EXHAUSTED "token 'x' is over its limit of <limit> (role); retry
// in N s", reason RATE_LIMITED with the quota and when to retry.
absl::Status RateLimited(const Principal& who, const std::string& limit, double wait_s) {
  absl::Status s =
      absl::ResourceExhaustedError(absl::StrFormat("token '%s' is over its limit of %s (%s); retry in %.1f s",
                                                   who.name, limit, RoleName(who.role), wait_s));
  s = WithReason(std::move(s), "RATE_LIMITED");
  s = WithRetryAfter(std::move(s), absl::Milliseconds(std::ceil(wait_s * 1000)));
  s = WithQuota(std::move(s), absl::StrCat("token '", who.name, "'"),
                absl::StrCat(limit, " (", RoleName(who.role), " tokens)"));
  return WithMetadata(std::move(s), "role", RoleName(who.role));
}

}  // namespace

const RateLimit& RateLimiter::LimitOf(Role role) const {
  switch (role) {
    case Role::kReader: return options_.reader;
    case Role::kTranslator: return options_.translator;
    default: return options_.manager;
  }
}

void RateLimiter::Refill(Bucket& b, const RateLimit& limit, absl::Time now, bool fresh) const {
  const double burst = options_.burst_seconds;
  const double share = options_.priority_cpu_ms_per_s;
  if (fresh) {
    b.calls = limit.calls_per_s * burst;
    b.units = limit.units_per_s * burst;
    b.cpu_ms = limit.cpu_ms_per_s * burst;
    b.share_ms = share * kShareBurstSeconds;
  } else {
    const double dt = std::max(0.0, absl::ToDoubleSeconds(now - b.last));
    b.calls = std::min(limit.calls_per_s * burst, b.calls + dt * limit.calls_per_s);
    b.units = std::min(limit.units_per_s * burst, b.units + dt * limit.units_per_s);
    b.cpu_ms = std::min(limit.cpu_ms_per_s * burst, b.cpu_ms + dt * limit.cpu_ms_per_s);
    b.share_ms = std::min(share * kShareBurstSeconds, b.share_ms + dt * share);
  }
  b.last = now;
}

absl::Status RateLimiter::Admit(const Principal& who, absl::Time now) {
  if (who.role == Role::kAdmin || who.name.empty()) return absl::OkStatus();
  const RateLimit& limit = LimitOf(who.role);
  if (limit.calls_per_s <= 0 && limit.units_per_s <= 0 && limit.cpu_ms_per_s <= 0) return absl::OkStatus();
  absl::MutexLock l(&mu_);
  auto [it, fresh] = buckets_.try_emplace(who.name);
  Bucket& b = it->second;
  Refill(b, limit, now, fresh);
  if (limit.units_per_s > 0 && b.units < 0) {
    const double wait_s = -b.units / limit.units_per_s;
    return RateLimited(who, absl::StrFormat("%.0f units written a second", limit.units_per_s), wait_s);
  }
  if (limit.cpu_ms_per_s > 0 && b.cpu_ms < 0) {
    const double wait_s = -b.cpu_ms / limit.cpu_ms_per_s;
    return RateLimited(who, absl::StrFormat("%.0f ms of CPU time a second", limit.cpu_ms_per_s), wait_s);
  }
  if (limit.calls_per_s > 0) {
    if (b.calls < 1) {
      const double wait_s = (1 - b.calls) / limit.calls_per_s;
      return RateLimited(who, absl::StrFormat("%.0f calls a second", limit.calls_per_s), wait_s);
    }
    b.calls -= 1;
  }
  return absl::OkStatus();
}

void RateLimiter::Charge(const Principal& who, uint64_t units, absl::Time now) {
  if (who.role == Role::kAdmin || who.name.empty() || units == 0) return;
  const RateLimit& limit = LimitOf(who.role);
  if (limit.units_per_s <= 0) return;
  absl::MutexLock l(&mu_);
  auto [it, fresh] = buckets_.try_emplace(who.name);
  Refill(it->second, limit, now, fresh);
  it->second.units -= static_cast<double>(units);
}

bool RateLimiter::OverCpuShare(const Principal& who, absl::Time now) {
  if (who.role == Role::kAdmin || who.name.empty() || options_.priority_cpu_ms_per_s <= 0) return false;
  const RateLimit& limit = LimitOf(who.role);
  absl::MutexLock l(&mu_);
  auto it = buckets_.find(who.name);
  if (it == buckets_.end()) return false;
  Refill(it->second, limit, now, /*fresh=*/false);
  return it->second.share_ms < 0;
}

void RateLimiter::ChargeCpu(const Principal& who, double cpu_ms, absl::Time now) {
  if (who.role == Role::kAdmin || who.name.empty() || !(cpu_ms > 0)) return;
  const RateLimit& limit = LimitOf(who.role);
  if (limit.cpu_ms_per_s <= 0 && options_.priority_cpu_ms_per_s <= 0) return;
  absl::MutexLock l(&mu_);
  auto [it, fresh] = buckets_.try_emplace(who.name);
  Refill(it->second, limit, now, fresh);
  it->second.cpu_ms -= cpu_ms;
  it->second.share_ms -= cpu_ms;
}

}  // namespace qantara::tm
