// A UnitSink that hands units on in batches, for importers that commit to
// storage a batch at a time while the file is still being read.
#ifndef QANTARA_SERVICE_FORMATS_UNIT_BATCHER_H_
#define QANTARA_SERVICE_FORMATS_UNIT_BATCHER_H_

#include <cstddef>
#include <functional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "service/formats/translation_unit.h"

namespace qantara::formats {

class UnitBatcher final : public UnitSink {
 public:
  // Receives a full batch (or the last, partial one from Flush()); may move
  // the units out. A non-OK status stops the reader feeding this sink.
  using CommitFn = std::function<absl::Status(std::vector<TranslationUnit>& batch)>;
  // Receives every problem as it is found (may be null: problems dropped).
  using ProblemFn = std::function<absl::Status(const Problem& problem)>;

  // REQUIRES: batch_size > 0.
  UnitBatcher(size_t batch_size, CommitFn commit, ProblemFn on_problem = nullptr)
      : batch_size_(batch_size), commit_(std::move(commit)), on_problem_(std::move(on_problem)) {
    batch_.reserve(batch_size);
  }

  absl::Status OnUnit(TranslationUnit&& unit) override {
    batch_.push_back(std::move(unit));
    if (batch_.size() >= batch_size_) return Flush();
    return absl::OkStatus();
  }

  absl::Status OnProblem(const Problem& problem) override {
    return on_problem_ ? on_problem_(problem) : absl::OkStatus();
  }

  // Commits the units held (if any). Call after the reader's Finish()
  // succeeded; after a fatal error the caller decides what to do with
  // pending() units (they are whole units).
  absl::Status Flush() {
    if (batch_.empty()) return absl::OkStatus();
    absl::Status s = commit_(batch_);
    batch_.clear();
    return s;
  }

  size_t pending() const { return batch_.size(); }

 private:
  size_t batch_size_;
  CommitFn commit_;
  ProblemFn on_problem_;
  std::vector<TranslationUnit> batch_;
};

}  // namespace qantara::formats

#endif  // QANTARA_SERVICE_FORMATS_UNIT_BATCHER_H_
