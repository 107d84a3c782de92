// The admission pools of service/tm/admission.h.
#include "service/tm/admission.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "service/base/error_details.h"

namespace qantara::tm {
namespace {

// A refusal: reason SERVER_BUSY, retry in a second, the limit as the quota.
absl::Status Busy(const AdmissionPool::Options& options, std::string message) {
  absl::Status s = WithReason(absl::ResourceExhaustedError(std::move(message)), "SERVER_BUSY");
  s = WithRetryAfter(std::move(s), absl::Seconds(1));
  return WithQuota(std::move(s), options.flag.empty() ? options.name : options.flag,
                   absl::StrCat(options.slots, " ", options.name, " at once, ", options.queue, " waiting"));
}

}  // namespace

AdmissionPool::Ticket& AdmissionPool::Ticket::operator=(Ticket&& other) noexcept {
  if (this != &other) {
    Release();
    pool_ = other.pool_;
    other.pool_ = nullptr;
  }
  return *this;
}

void AdmissionPool::Ticket::Release() {
  if (pool_ != nullptr) pool_->Free();
  pool_ = nullptr;
}

AdmissionPool::AdmissionPool(Options options) : options_(std::move(options)) {}

std::string AdmissionPool::Refusal(absl::string_view what, bool waited) const {
  std::string limit = absl::StrCat(options_.slots, " at once");
  if (!options_.flag.empty()) absl::StrAppend(&limit, " (", options_.flag, ")");
  if (waited) {
    return absl::StrCat(what, ": too many ", options_.name, " (", limit, "); waited ",
                        absl::FormatDuration(options_.max_wait), " for a slot; retry later");
  }
  return absl::StrCat(what, ": too many ", options_.name, " (", limit, ", ", options_.queue,
                      " waiting); retry later");
}

absl::StatusOr<AdmissionPool::Ticket> AdmissionPool::Admit(absl::string_view what,
                                                           const std::function<bool()>& cancelled) {
  const size_t slots = std::max<size_t>(options_.slots, 1);
  absl::MutexLock lock(&mu_);
  if (running_ < slots && waiting_.empty()) {
    ++running_;
    ++stats_.admitted;
    stats_.max_running = std::max(stats_.max_running, running_);
    return Ticket(this);
  }
  if (waiting_.size() >= options_.queue) {
    ++stats_.refused;
    return Busy(options_, Refusal(what, false));
  }
  const uint64_t seq = next_seq_++;
  waiting_.push_back(seq);
  stats_.max_queued = std::max(stats_.max_queued, waiting_.size());
  const absl::Time deadline = absl::Now() + options_.max_wait;
  auto my_turn = [this, seq, slots]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return running_ < slots && waiting_.front() == seq;
  };
  absl::Status refusal;
  while (!my_turn()) {
    const absl::Time now = absl::Now();
    if (now >= deadline) {
      refusal = Busy(options_, Refusal(what, true));
      break;
    }
    if (cancelled && cancelled()) {
      refusal = absl::CancelledError(absl::StrCat(what, ": cancelled while waiting for a slot"));
      break;
    }
    const absl::Time until = cancelled ? std::min(deadline, now + absl::Milliseconds(20)) : deadline;
    mu_.AwaitWithDeadline(absl::Condition(&my_turn), until);
  }
  if (!refusal.ok()) {
    waiting_.erase(std::find(waiting_.begin(), waiting_.end(), seq));
    ++stats_.refused;
    return refusal;  // the next waiter may now be first: Await re-checks on unlock
  }
  waiting_.pop_front();
  ++running_;
  ++stats_.admitted;
  stats_.max_running = std::max(stats_.max_running, running_);
  return Ticket(this);
}

void AdmissionPool::Free() {
  absl::MutexLock lock(&mu_);
  --running_;
}

AdmissionPool::Stats AdmissionPool::stats() const {
  absl::MutexLock lock(&mu_);
  Stats s = stats_;
  s.running = running_;
  s.queued = waiting_.size();
  return s;
}

}  // namespace qantara::tm
