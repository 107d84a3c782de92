// Admission control (issue 15, hostile input and load): a bounded number of
// calls of one kind run at once, a short queue waits for a slot, and a call
// that finds the queue full (or waits longer than allowed) is refused with
// ResourceExhausted naming the limit and the flag that sets it. The server
// keeps one pool for CPU-heavy calls (alignment, exhaustive lookups,
// concordance, user SRX) and one for calls whose client sets the pace
// (streams), so that neither can take every thread or core from cheap
// lookups. Proto-free; the rpc handlers call it (service/rpc/admission_hook.h).
#ifndef QANTARA_SERVICE_TM_ADMISSION_H_
#define QANTARA_SERVICE_TM_ADMISSION_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace qantara::tm {

class AdmissionPool {
 public:
  struct Options {
    std::string name = "heavy calls";            // in refusals: "too many heavy calls ..."
    std::string flag;                            // the server flag of `slots`, named in refusals
    size_t slots = 1;                            // calls running at once (at least 1)
    size_t queue = 8;                            // calls waiting for a slot; beyond: refused at once
    absl::Duration max_wait = absl::Seconds(5);  // a queued call is refused after this
  };

  struct Stats {
    size_t running = 0, queued = 0;
    uint64_t admitted = 0, refused = 0;
    size_t max_running = 0, max_queued = 0;  // high-water marks
  };

  // Holds a slot until destroyed (or Release). Movable; an empty ticket
  // (default or moved from) holds nothing.
  class Ticket {
   public:
    Ticket() = default;
    Ticket(Ticket&& other) noexcept : pool_(other.pool_) { other.pool_ = nullptr; }
    Ticket& operator=(Ticket&& other) noexcept;
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    ~Ticket() { Release(); }
    void Release();
    bool holds_slot() const { return pool_ != nullptr; }

   private:
    friend class AdmissionPool;
    explicit Ticket(AdmissionPool* pool) : pool_(pool) {}
    AdmissionPool* pool_ = nullptr;
  };

  explicit AdmissionPool(Options options);
  AdmissionPool(const AdmissionPool&) = delete;
  AdmissionPool& operator=(const AdmissionPool&) = delete;
  // REQUIRES: no ticket outlives the pool.
  ~AdmissionPool() = default;

  // A slot for a call `what` (e.g. "Align"): at once when one is free and
  // nobody waits; else in the queue, first come first served, until a slot
  // frees, `max_wait` passes (ResourceExhausted) or `cancelled` returns true
  // (Cancelled; polled every 20 ms). A full queue: ResourceExhausted at once.
  absl::StatusOr<Ticket> Admit(absl::string_view what, const std::function<bool()>& cancelled = nullptr);

  Stats stats() const;
  const Options& options() const { return options_; }

 private:
  void Free();
  std::string Refusal(absl::string_view what, bool waited) const;

  const Options options_;
  mutable absl::Mutex mu_;
  size_t running_ ABSL_GUARDED_BY(mu_) = 0;
  std::deque<uint64_t> waiting_ ABSL_GUARDED_BY(mu_);  // sequence numbers, oldest first
  uint64_t next_seq_ ABSL_GUARDED_BY(mu_) = 0;
  Stats stats_ ABSL_GUARDED_BY(mu_);
};

}  // namespace qantara::tm

#endif  // QANTARA_SERVICE_TM_ADMISSION_H_
