#include "service/match/posting_list.h"

#include <iterator>

namespace qantara::match {

PostingListBuilder::PostingListBuilder(size_t expected) {
  list_.firsts_.reserve((expected + PostingList::kBlock - 1) / PostingList::kBlock);
  list_.offsets_.reserve((expected + PostingList::kBlock - 1) / PostingList::kBlock);
  list_.deltas_.reserve(expected + expected / 4);
}

void PostingListBuilder::Append(uint64_t id) {
  PostingList& l = list_;
  if (l.base_size_ % PostingList::kBlock == 0) {
    l.firsts_.push_back(id);
    // A stored list is far below 4 GiB of deltas (RocksDB values are).
    l.offsets_.push_back(static_cast<uint32_t>(l.deltas_.size()));
  } else {
    PutVarint64(l.deltas_, id - prev_);
  }
  prev_ = id;
  ++l.base_size_;
}

PostingList PostingListBuilder::Build() && {
  if (list_.deltas_.capacity() > list_.deltas_.size() + list_.deltas_.size() / 8 + 64) {
    list_.deltas_.shrink_to_fit();
  }
  return std::move(list_);
}

PostingList PostingList::FromIds(const std::vector<uint64_t>& ids) {
  PostingListBuilder b(ids.size());
  for (uint64_t id : ids) b.Append(id);
  return std::move(b).Build();
}

uint64_t PostingList::bytes() const {
  // Each non-empty allocation carries a malloc header (about 16 bytes).
  auto heap = [](size_t cap, size_t elem) -> uint64_t { return cap == 0 ? 0 : cap * elem + 16; };
  return heap(firsts_.capacity(), 8) + heap(offsets_.capacity(), 4) +
         (deltas_.capacity() > 15 ? heap(deltas_.capacity() + 1, 1) : 0) + heap(added_.capacity(), 8) +
         heap(removed_.capacity(), 8);
}

size_t PostingList::BlockOf(uint64_t id) const {
  auto it = std::upper_bound(firsts_.begin(), firsts_.end(), id);
  if (it == firsts_.begin()) return SIZE_MAX;
  return static_cast<size_t>(it - firsts_.begin()) - 1;
}

bool PostingList::BaseContains(uint64_t id) const {
  const size_t b = BlockOf(id);
  if (b == SIZE_MAX) return false;
  std::array<uint64_t, kBlock> ids;
  const size_t n = DecodeBlock(b, ids.data());
  return std::binary_search(ids.begin(), ids.begin() + n, id);
}

bool PostingList::Contains(uint64_t id) const {
  if (std::binary_search(added_.begin(), added_.end(), id)) return true;
  if (std::binary_search(removed_.begin(), removed_.end(), id)) return false;
  return BaseContains(id);
}

void PostingList::Insert(uint64_t id) {
  if (auto it = std::lower_bound(removed_.begin(), removed_.end(), id); it != removed_.end() && *it == id) {
    removed_.erase(it);
    return;
  }
  auto it = std::lower_bound(added_.begin(), added_.end(), id);
  if (it != added_.end() && *it == id) return;
  if (BaseContains(id)) return;
  added_.insert(it, id);
  MaybeFold();
}

void PostingList::Erase(uint64_t id) {
  if (auto it = std::lower_bound(added_.begin(), added_.end(), id); it != added_.end() && *it == id) {
    added_.erase(it);
    return;
  }
  auto it = std::lower_bound(removed_.begin(), removed_.end(), id);
  if (it != removed_.end() && *it == id) return;
  if (!BaseContains(id)) return;
  removed_.insert(it, id);
  MaybeFold();
}

void PostingList::MaybeFold() {
  const size_t delta = added_.size() + removed_.size();
  if (delta <= std::max<size_t>(64, base_size_ / 16)) return;
  *this = FromIds(ToVector());
}

std::vector<uint64_t> PostingList::ToVector() const {
  std::vector<uint64_t> base;
  base.reserve(base_size_);
  std::array<uint64_t, kBlock> run;
  for (size_t b = 0; b < firsts_.size(); ++b) {
    const size_t n = DecodeBlock(b, run.data());
    base.insert(base.end(), run.begin(), run.begin() + n);
  }
  if (added_.empty() && removed_.empty()) return base;
  std::vector<uint64_t> kept;
  kept.reserve(base.size() - removed_.size());
  std::set_difference(base.begin(), base.end(), removed_.begin(), removed_.end(), std::back_inserter(kept));
  std::vector<uint64_t> out;
  out.reserve(kept.size() + added_.size());
  std::merge(kept.begin(), kept.end(), added_.begin(), added_.end(), std::back_inserter(out));
  return out;
}

bool PostingList::Cursor::BaseContains(uint64_t id) {
  const std::vector<uint64_t>& firsts = list_.firsts_;
  if (firsts.empty() || id < firsts[0]) return false;
  // The last block whose first id is <= id, galloping from the current one.
  size_t lo = block_ == SIZE_MAX ? 0 : block_;
  size_t step = 1;
  while (lo + step < firsts.size() && firsts[lo + step] <= id) {
    lo += step;
    step <<= 1;
  }
  const size_t hi = std::min(lo + step, firsts.size());  // firsts[hi] > id, or the end
  const size_t b =
      static_cast<size_t>(std::upper_bound(firsts.begin() + lo, firsts.begin() + hi, id) - firsts.begin()) -
      1;
  if (b != block_) {
    block_ = b;
    count_ = list_.DecodeBlock(b, ids_.data());
    pos_ = 0;
  }
  pos_ = static_cast<size_t>(std::lower_bound(ids_.begin() + pos_, ids_.begin() + count_, id) - ids_.begin());
  return pos_ < count_ && ids_[pos_] == id;
}

bool PostingList::Cursor::Contains(uint64_t id) {
  const std::vector<uint64_t>& added = list_.added_;
  const std::vector<uint64_t>& removed = list_.removed_;
  if (!added.empty()) {
    while (added_ < added.size() && added[added_] < id) ++added_;
    if (added_ < added.size() && added[added_] == id) return true;
  }
  if (!removed.empty()) {
    while (removed_ < removed.size() && removed[removed_] < id) ++removed_;
    if (removed_ < removed.size() && removed[removed_] == id) return false;
  }
  return BaseContains(id);
}

}  // namespace qantara::match
