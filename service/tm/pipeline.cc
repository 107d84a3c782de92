// Pipeline: chunks of work made ahead on a worker thread, in order.
#include "service/tm/pipeline.h"

#include <algorithm>

namespace qantara::tm {

Pipeline::Pipeline(size_t n, size_t chunk, std::function<absl::Status(size_t, size_t)> work)
    : n_(n),
      chunk_(std::max<size_t>(chunk, 1)),
      chunks_((n + chunk_ - 1) / chunk_),
      work_(std::move(work)),
      done_(chunks_),
      status_(chunks_) {}

Pipeline::~Pipeline() {
  next_.store(chunks_);  // nothing more to claim
  if (worker_.joinable()) worker_.join();
}

void Pipeline::StartWorker() {
  worker_ = std::thread([this] {
    while (RunOne()) {
    }
  });
}

absl::Status Pipeline::WaitFor(size_t i) {
  if (i >= n_) return absl::OkStatus();
  const size_t c = i / chunk_;
  while (!done_[c].load(std::memory_order_acquire)) {
    if (RunOne()) continue;
    absl::MutexLock l(&mu_);
    mu_.Await(absl::Condition(
        +[](std::atomic<bool>* done) { return done->load(std::memory_order_acquire); }, &done_[c]));
  }
  return status_[c];
}

bool Pipeline::RunOne() {
  const size_t c = next_.fetch_add(1);
  if (c >= chunks_) return false;
  status_[c] = work_(c * chunk_, std::min(n_, (c + 1) * chunk_));
  // Setting done_ under mu_ wakes a waiter (absl re-evaluates conditions on
  // unlock).
  absl::MutexLock l(&mu_);
  done_[c].store(true, std::memory_order_release);
  return true;
}

}  // namespace qantara::tm
