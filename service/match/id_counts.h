// IdCounts: the shared-token counts of the candidate units of one length
// scan (dense pooled arrays for small ids, a hash map beyond). Private to the
// matcher.
#ifndef QANTARA_SERVICE_MATCH_ID_COUNTS_H_
#define QANTARA_SERVICE_MATCH_ID_COUNTS_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "service/match/posting_list.h"

namespace qantara::match::matcher_internal {

// Shared-token counts of the units of one length scan. Unit ids are dense
// (1, 2, ...), so up to kDenseIds they are counted in an array indexed by id
// (far cheaper than a hash map for the long lists of frequent tokens); the
// arrays are pooled (as many as lookups ran at once, not one a thread) and
// cleared through the list of ids touched. Larger ids go to a hash map.
// Dense counts are 16-bit (half the cache footprint of 32: the long lists
// hit ids all over the array); a query of more tokens than they hold counts
// everything in the hash map.
class IdCounts {
 public:
  static constexpr uint64_t kDenseIds = uint64_t{1} << 24;  // 32 MB of counts at most
  using Count = uint16_t;
  static constexpr size_t kMaxDenseTotal = 0xffff;  // the largest sum of counts a dense entry holds

  // `total`: the sum of every count that may be added to one id (the
  // query's token count).
  explicit IdCounts(size_t total)
      : scratch_(Acquire()),
        dense_(scratch_->dense),
        touched_(scratch_->touched),
        dense_limit_(total <= kMaxDenseTotal ? kDenseIds : 0) {}
  ~IdCounts() {
    for (uint64_t id : touched_) dense_[id] = 0;
    touched_.clear();
    Pool& pool = GetPool();
    absl::MutexLock l(&pool.mu);
    pool.free.push_back(std::move(scratch_));
  }
  IdCounts(const IdCounts&) = delete;
  IdCounts& operator=(const IdCounts&) = delete;

  // Sizes a pooled scratch for ids below `ids` (at most kDenseIds), as the
  // first lookups would: zeroing it (20 MB at 10M units) is then not theirs.
  static void Reserve(uint64_t ids) {
    std::unique_ptr<Scratch> s = Acquire();
    const uint64_t n = std::min(ids, kDenseIds);
    if (s->dense.size() < n) s->dense.resize(n, 0);
    Pool& pool = GetPool();
    absl::MutexLock l(&pool.mu);
    pool.free.push_back(std::move(s));
  }

  // Adds `c` to the count of every id of `list`; with `only_present`, only
  // to ids counted already. Decodes the list a block at a time.
  void Add(const PostingList& list, uint32_t c, bool only_present) {
    list.ForEachRun([&](const uint64_t* ids, size_t n) { AddRun(ids, n, c, only_present); });
  }

  // Adds `c` to the count of every counted id that is in `list`: cheaper
  // than Add(list, c, true) when the list is much longer than size(). The
  // counted ids are sorted (once, until an Add counts new ones), then looked
  // up in order with a cursor that gallops over the list's blocks (about
  // log2(len / size()) + 2 steps an id, and one block decoded for each).
  void AddWhereIn(const PostingList& list, uint32_t c) {
    Sort();
    PostingList::Cursor cursor(list);
    for (uint64_t id : touched_) {
      if (cursor.Contains(id)) dense_[id] += c;
    }
    if (sparse_.empty()) return;
    std::vector<uint64_t> sparse;
    sparse.reserve(sparse_.size());
    for (const auto& [id, w] : sparse_) sparse.push_back(id);
    std::sort(sparse.begin(), sparse.end());
    PostingList::Cursor more(list);
    for (uint64_t id : sparse) {
      if (more.Contains(id)) sparse_[id] += c;
    }
  }

  // Drops every counted id whose count is below `min` (as if never
  // counted), keeping the others in their order.
  void Prune(uint32_t min) {
    uint64_t* d = touched_.data();
    size_t out = 0;
    for (size_t i = 0; i < touched_.size(); ++i) {
      const uint64_t id = d[i];
      if (dense_[id] >= min) {
        d[out++] = id;
      } else {
        dense_[id] = 0;
      }
    }
    touched_.set_size(out);
    absl::erase_if(sparse_, [min](const auto& e) { return e.second < min; });
  }

  size_t size() const { return touched_.size() + sparse_.size(); }

  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (uint64_t id : touched_) fn(id, dense_[id]);
    for (const auto& [id, w] : sparse_) fn(id, w);
  }

 private:
  // A vector of ids whose growth leaves the new room uninitialised: Add
  // writes a long list's ids into it before it knows which are new (a
  // std::vector's resize would zero that room first: a memset of 8 bytes an
  // id, a tenth of a lookup's time at 10M units).
  class IdBuffer {
   public:
    void reserve_uninitialized(size_t n) {
      if (n <= capacity_) return;
      const size_t cap = std::max(n, capacity_ * 2);
      std::unique_ptr<uint64_t[]> grown(new uint64_t[cap]);  // uninitialised
      std::copy(data_.get(), data_.get() + size_, grown.get());
      data_ = std::move(grown);
      capacity_ = cap;
    }
    void set_size(size_t n) { size_ = n; }  // REQUIRES: n <= the reserved room, [0, n) written
    void push_back(uint64_t id) {
      if (size_ == capacity_) reserve_uninitialized(size_ + 1);
      data_[size_++] = id;
    }
    void clear() { size_ = 0; }
    size_t size() const { return size_; }
    uint64_t* data() { return data_.get(); }
    const uint64_t* begin() const { return data_.get(); }
    const uint64_t* end() const { return data_.get() + size_; }

   private:
    std::unique_ptr<uint64_t[]> data_;
    size_t size_ = 0, capacity_ = 0;
  };
  struct Scratch {
    std::vector<Count> dense;  // all zero between uses
    IdBuffer touched;          // empty between uses
  };
  struct Pool {
    absl::Mutex mu;
    std::vector<std::unique_ptr<Scratch>> free ABSL_GUARDED_BY(mu);
  };
  static Pool& GetPool() {
    static Pool* pool = new Pool;  // never destroyed: lookups may run at exit
    return *pool;
  }
  static std::unique_ptr<Scratch> Acquire() {
    Pool& pool = GetPool();
    {
      absl::MutexLock l(&pool.mu);
      if (!pool.free.empty()) {
        std::unique_ptr<Scratch> s = std::move(pool.free.back());
        pool.free.pop_back();
        return s;
      }
    }
    return std::make_unique<Scratch>();
  }
  // Add over `n` ascending ids.
  void AddRun(const uint64_t* ids, size_t count, uint32_t c, bool only_present) {
    if (count == 0) return;
    const uint64_t front = ids[0], back = ids[count - 1];
    if (front < dense_limit_) {
      const uint64_t last = std::min(back, dense_limit_ - 1);
      if (last >= dense_.size()) dense_.resize(last + 1, 0);
    }
    if (!only_present && back < dense_limit_) {
      // All dense (the common case, and the long lists): without a branch
      // an id, each id written to the end of `touched_`, kept when new.
      size_t n = touched_.size();
      touched_.reserve_uninitialized(n + count);
      uint64_t* out = touched_.data();
      for (size_t i = 0; i < count; ++i) {
        const uint64_t id = ids[i];
        Count& w = dense_[id];
        out[n] = id;
        n += w == 0;
        w += static_cast<Count>(c);
      }
      sorted_ = sorted_ && n == touched_.size();
      touched_.set_size(n);
      return;
    }
    for (size_t i = 0; i < count; ++i) {
      const uint64_t id = ids[i];
      if (id < dense_limit_) {
        Count& w = dense_[id];
        if (w == 0) {
          if (only_present) continue;
          touched_.push_back(id);
          sorted_ = false;
        }
        w += c;
      } else if (only_present) {
        auto it = sparse_.find(id);
        if (it != sparse_.end()) it->second += c;
      } else {
        sparse_[id] += c;
      }
    }
  }
  // Orders the counted ids ascending (ForEach then visits them in order).
  void Sort() {
    if (sorted_) return;
    std::sort(touched_.data(), touched_.data() + touched_.size());
    sorted_ = true;
  }

  std::unique_ptr<Scratch> scratch_;
  std::vector<Count>& dense_;
  IdBuffer& touched_;
  const uint64_t dense_limit_;  // ids below it are counted in dense_
  bool sorted_ = true;          // touched_ ascending
  absl::flat_hash_map<uint64_t, uint32_t> sparse_;
};

}  // namespace qantara::match::matcher_internal

#endif  // QANTARA_SERVICE_MATCH_ID_COUNTS_H_
