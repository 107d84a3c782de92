// Per-token rate limits (issue 16): each token has a budget of calls a
// second, of units written a second and of CPU time a second, refilled
// continuously (a token bucket holding up to `burst_seconds` of its rate). A
// call is admitted while every budget is above zero; the units a call wrote
// and the CPU time it took are charged after it (a budget may go below zero,
// and the next calls wait until it refills). The CPU budget bounds the share
// of the cores one token takes whatever its calls cost (random-word floods
// within the per-request limits, issue 15); calls that wrote units are paid
// for by the unit budget instead. A second, smaller CPU budget (the
// priority share) says when a token's calls go to low priority, long before
// its CPU budget refuses them. Limits come by role; admins are not limited.
// Proto-free, thread-safe.
#ifndef QANTARA_SERVICE_TM_RATE_LIMITS_H_
#define QANTARA_SERVICE_TM_RATE_LIMITS_H_

#include <cstdint>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/tm/access.h"

namespace qantara::tm {

struct RateLimit {
  double calls_per_s = 0;   // 0: not limited
  double units_per_s = 0;   // 0: not limited
  double cpu_ms_per_s = 0;  // CPU milliseconds a second; 0: not limited
};

struct RateLimitOptions {
  // By role (reader, translator, manager); admins are never limited.
  RateLimit reader{50, 0, 500};
  RateLimit translator{50, 20000, 500};
  RateLimit manager{50, 20000, 500};
  double burst_seconds = 10;  // a budget holds this many seconds of its rate
  // CPU milliseconds a second each non-admin token's calls may take at
  // normal priority (a budget holding 2 s of it): beyond, its calls run at
  // the lowest CPU priority until it is back within it (OverCpuShare). Lower
  // than the CPU limit on purpose: a client using a tenth of a core keeps the
  // lookups of light clients (a translator's CAT tool) waiting for cores.
  // 0: every token's calls keep normal priority.
  double priority_cpu_ms_per_s = 100;
};

class RateLimiter {
 public:
  explicit RateLimiter(const RateLimitOptions& options) : options_(options) {}

  // Takes one call from `who`'s budget at `now`. ResourceExhausted naming
  // the token, the limit, its role and when to retry, when a budget is spent.
  absl::Status Admit(const Principal& who, absl::Time now);
  // Charges `units` written to `who`'s unit budget.
  void Charge(const Principal& who, uint64_t units, absl::Time now);
  // Charges `cpu_ms` of CPU time a call of `who` took to its CPU budget.
  void ChargeCpu(const Principal& who, double cpu_ms, absl::Time now);
  // Whether `who` has lately taken more than its share of CPU time at normal
  // priority (RateLimitOptions::priority_cpu_ms_per_s). Such a token's calls
  // run at the lowest CPU priority until it is back within its share, so the
  // cores go to the other clients first (long before its CPU budget is spent
  // and its calls refused).
  bool OverCpuShare(const Principal& who, absl::Time now);

 private:
  struct Bucket {
    double calls = 0;
    double units = 0;
    double cpu_ms = 0;
    double share_ms = 0;  // the priority share's budget
    absl::Time last;
  };
  const RateLimit& LimitOf(Role role) const;
  // Refills `b` up to `now` (a new bucket starts full).
  void Refill(Bucket& b, const RateLimit& limit, absl::Time now, bool fresh) const;

  const RateLimitOptions options_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace qantara::tm

#endif  // QANTARA_SERVICE_TM_RATE_LIMITS_H_
