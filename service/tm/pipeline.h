// Pipeline: runs work over [0, n) in chunks, in order, on a worker thread and
// on the thread that waits for the results, so that a consumer of item i can
// start while later items are still being made.
#ifndef QANTARA_SERVICE_TM_PIPELINE_H_
#define QANTARA_SERVICE_TM_PIPELINE_H_

#include <atomic>
#include <cstddef>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace qantara::tm {

// WaitFor(i) returns once item i is done, doing pending chunks itself rather
// than idling. The first error of a chunk is returned by WaitFor for its
// items. Not reusable; the destructor stops the worker (after its current
// chunk) and joins it.
class Pipeline {
 public:
  // `work(begin, end)` makes items [begin, end).
  Pipeline(size_t n, size_t chunk, std::function<absl::Status(size_t, size_t)> work);
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Starts the worker thread (without it, WaitFor does all the work).
  void StartWorker();
  absl::Status WaitFor(size_t i);

 private:
  // Claims and runs the next chunk; false when none is left.
  bool RunOne();

  const size_t n_, chunk_, chunks_;
  std::function<absl::Status(size_t, size_t)> work_;
  std::atomic<size_t> next_{0};
  std::vector<std::atomic<bool>> done_;
  std::vector<absl::Status> status_;  // written before done_[c], read after
  absl::Mutex mu_;                    // for the waits on done_
  std::thread worker_;
};

}  // namespace qantara::tm

#endif  // QANTARA_SERVICE_TM_PIPELINE_H_
