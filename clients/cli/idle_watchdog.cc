// IdleWatchdog (clients/cli/idle_watchdog.h).
#include "clients/cli/idle_watchdog.h"

namespace qantara::cli {

IdleWatchdog::IdleWatchdog(grpc::ClientContext* context, double seconds)
    : context_(context), limit_(absl::Seconds(seconds)), last_(absl::Now()) {
  watcher_ = std::thread([this] { Watch(); });
}

IdleWatchdog::~IdleWatchdog() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  watcher_.join();
}

void IdleWatchdog::Touch() {
  absl::MutexLock lock(&mu_);
  last_ = absl::Now();
}

bool IdleWatchdog::fired() const {
  absl::MutexLock lock(&mu_);
  return fired_;
}

void IdleWatchdog::Watch() {
  absl::MutexLock lock(&mu_);
  while (!stop_) {
    const absl::Time deadline = last_ + limit_;
    if (absl::Now() >= deadline) {
      fired_ = true;
      context_->TryCancel();
      return;
    }
    mu_.AwaitWithDeadline(absl::Condition(this, &IdleWatchdog::Stopping), deadline);
  }
}

}  // namespace qantara::cli
