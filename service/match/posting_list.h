// PostingList: a posting list's ascending unit ids in a compact form that is
// searched without decoding it whole, with a small sorted delta so that a
// writer's adds and removals do not re-encode a long list each time.
//
// Layout (in memory only; storage/FORMAT.md has the stored form): the base
// ids in blocks of kBlock; per block its first id (`firsts_`) and the byte
// offset (`offsets_`) of its other ids, which follow in `deltas_` as varint
// deltas from the id before. About 1.2-2 bytes an id at the densities of a
// frequent word's list, against 8 in a std::vector<uint64_t>; a probe
// gallops over `firsts_` and decodes one block. On top of the base,
// `added_` (ids not in it) and `removed_` (ids of it), both ascending, are
// folded into a new base once they hold a sixteenth of it.
//
// Not thread-safe: readers share a const list; writers change it only
// while no reader holds it (storage: under the memory's `rw` exclusively).
#ifndef QANTARA_SERVICE_MATCH_POSTING_LIST_H_
#define QANTARA_SERVICE_MATCH_POSTING_LIST_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "service/base/varint.h"

namespace qantara::match {

class PostingList {
 public:
  static constexpr size_t kBlock = 64;

  PostingList() = default;
  // REQUIRES: `ids` strictly ascending.
  static PostingList FromIds(const std::vector<uint64_t>& ids);

  size_t size() const { return base_size_ + added_.size() - removed_.size(); }
  bool empty() const { return size() == 0; }
  // The heap bytes held, allocation headers included (a cache's budget).
  uint64_t bytes() const;

  // Whether `id` is in the list (a binary search and one block decoded).
  bool Contains(uint64_t id) const;
  // Writers: adds `id` (nothing when present) or removes it (nothing when
  // absent); the change goes to the delta, folded into the base when large.
  void Insert(uint64_t id);
  void Erase(uint64_t id);

  // Calls fn(const uint64_t* ids, size_t n) on consecutive runs of the ids,
  // ascending (a block at a time; the whole list at once while it has a
  // delta).
  template <typename Fn>
  void ForEachRun(Fn&& fn) const {
    if (!added_.empty() || !removed_.empty()) {
      const std::vector<uint64_t> all = ToVector();
      if (!all.empty()) fn(all.data(), all.size());
      return;
    }
    std::array<uint64_t, kBlock> run;
    for (size_t b = 0; b < firsts_.size(); ++b) fn(run.data(), DecodeBlock(b, run.data()));
  }
  // Every id, ascending.
  std::vector<uint64_t> ToVector() const;

  // Membership checks of ids asked in ascending order: each Contains
  // gallops over the block firsts from the block of the last answer and
  // decodes at most the one block that may hold the id.
  class Cursor {
   public:
    explicit Cursor(const PostingList& list) : list_(list) {}
    // REQUIRES: `id` >= every id asked before.
    bool Contains(uint64_t id);

   private:
    bool BaseContains(uint64_t id);
    const PostingList& list_;
    size_t block_ = SIZE_MAX;  // the decoded block
    size_t count_ = 0;         // ids in it
    size_t pos_ = 0;           // its first id not below the last id asked
    size_t added_ = 0;         // the first of list_.added_ not below it
    size_t removed_ = 0;       // the first of list_.removed_ not below it
    std::array<uint64_t, kBlock> ids_{};
  };

 private:
  friend class PostingListBuilder;
  // Decodes base block `b` into `out`; returns its id count.
  size_t DecodeBlock(size_t b, uint64_t* out) const {
    const size_t n = std::min(kBlock, base_size_ - b * kBlock);
    const uint8_t* p = reinterpret_cast<const uint8_t*>(deltas_.data()) + offsets_[b];
    uint64_t id = out[0] = firsts_[b];
    for (size_t i = 1; i < n; ++i) out[i] = id += GetTrustedVarint64(p);
    return n;
  }
  // The base block that may hold `id` (the last whose first id is <= id),
  // or SIZE_MAX when `id` is below every base id.
  size_t BlockOf(uint64_t id) const;
  bool BaseContains(uint64_t id) const;
  // Folds the delta into a new base once it holds more than a sixteenth of
  // the base (64 changes at least).
  void MaybeFold();

  size_t base_size_ = 0;
  std::vector<uint64_t> firsts_;
  std::vector<uint32_t> offsets_;
  std::string deltas_;
  std::vector<uint64_t> added_;    // ascending, none in the base
  std::vector<uint64_t> removed_;  // ascending, all in the base
};

// Builds a PostingList from ids given in strictly ascending order (the
// caller checks the order: storage's decoder rejects a list that is not).
class PostingListBuilder {
 public:
  explicit PostingListBuilder(size_t expected = 0);
  void Append(uint64_t id);
  PostingList Build() &&;

 private:
  PostingList list_;
  uint64_t prev_ = 0;
};

}  // namespace qantara::match

#endif  // QANTARA_SERVICE_MATCH_POSTING_LIST_H_
