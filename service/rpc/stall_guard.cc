// StallGuard (service/rpc/stall_guard.h).
#include "service/rpc/stall_guard.h"

#include "absl/strings/str_cat.h"

namespace qantara::rpc {

StallGuard::StallGuard(grpc::ServerContext* context, absl::Duration limit)
    : context_(context), limit_(limit) {
  if (limit_ > absl::ZeroDuration()) watcher_ = std::thread([this] { Watch(); });
}

StallGuard::~StallGuard() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
    ++generation_;
  }
  if (watcher_.joinable()) watcher_.join();
}

void StallGuard::Begin() {
  absl::MutexLock lock(&mu_);
  waiting_ = true;
  since_ = absl::Now();
  ++generation_;
}

void StallGuard::End() {
  absl::MutexLock lock(&mu_);
  waiting_ = false;
  ++generation_;
}

void StallGuard::Watch() {
  absl::MutexLock lock(&mu_);
  while (!stop_) {
    seen_ = generation_;
    if (!waiting_) {
      mu_.Await(absl::Condition(this, &StallGuard::Changed));
      continue;
    }
    const absl::Time deadline = since_ + limit_;
    if (absl::Now() >= deadline) {
      stalled_ = true;
      context_->TryCancel();
      return;
    }
    mu_.AwaitWithDeadline(absl::Condition(this, &StallGuard::Changed), deadline);
  }
}

bool StallGuard::stalled() const {
  absl::MutexLock lock(&mu_);
  return stalled_;
}

grpc::Status StallGuard::Status(const std::string& what) const {
  return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                      absl::StrCat(what, " stalled for ", absl::FormatDuration(limit_),
                                   " (the server's --max-stall-seconds): the call was ended"));
}

}  // namespace qantara::rpc
