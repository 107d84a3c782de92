#include "service/match/posting_list.h"

#include <bit>
#include <iterator>

namespace qantara::match {

PostingListBuilder::PostingListBuilder(size_t ids, size_t words) {
  const size_t blocks = (ids + PostingList::kBlock - 1) / PostingList::kBlock;
  list_.blocks_.reserve(blocks);
  list_.words_.reserve(words);
}

void PostingListBuilder::Flush() {
  if (n_ == 0) return;
  PostingList& l = list_;
  const uint64_t first = block_[0];
  const uint32_t width = static_cast<uint32_t>(std::bit_width(block_[n_ - 1] - first));
  // Lists are far below 2^32 words (RocksDB values are below 4 GiB).
  l.blocks_.push_back(PostingList::Block{first, static_cast<uint32_t>(l.words_.size()), width});
  const size_t bits = (n_ - 1) * width;
  const size_t base = l.words_.size();
  l.words_.resize(base + (bits + 63) / 64);
  if (width > 0) {
    // Offsets gathered into a 64-bit accumulator, written a word at a time.
    uint64_t* w = l.words_.data() + base;
    uint64_t acc = 0;
    unsigned used = 0;  // bits of acc filled
    for (size_t j = 1; j < n_; ++j) {
      const uint64_t v = block_[j] - first;
      acc |= v << used;  // used < 64
      used += width;
      if (used >= 64) {
        *w++ = acc;
        used -= 64;
        // The bits of v that did not fit (none when it ended the word).
        acc = used == 0 ? 0 : v >> (width - used);
      }
    }
    if (used > 0) *w = acc;
  }
  l.base_size_ += n_;
  n_ = 0;
}

PostingList PostingListBuilder::Build() && {
  Flush();
  std::vector<uint64_t>& w = list_.words_;
  if (!w.empty()) w.push_back(0);  // the spare word Offset reads past a block's last
  // Cached lists are charged their capacity: a reserve that fell short and
  // doubled would waste up to half of it.
  if (w.capacity() > w.size() + w.size() / 32 + 2) w.shrink_to_fit();
  if (list_.blocks_.capacity() > list_.blocks_.size() + 2) list_.blocks_.shrink_to_fit();
  return std::move(list_);
}

PostingList PostingList::FromIds(const std::vector<uint64_t>& ids) {
  // The words exactly: (n - 1) offsets of each block at its width, and the
  // spare word.
  size_t words = 1;
  for (size_t i = 0; i < ids.size(); i += kBlock) {
    const size_t n = std::min(kBlock, ids.size() - i);
    words += ((n - 1) * std::bit_width(ids[i + n - 1] - ids[i]) + 63) / 64;
  }
  PostingListBuilder b(ids.size(), words);
  for (uint64_t id : ids) b.Append(id);
  return std::move(b).Build();
}

uint64_t PostingList::bytes() const {
  // Each non-empty allocation carries a malloc header (about 16 bytes).
  auto heap = [](size_t cap, size_t elem) -> uint64_t { return cap == 0 ? 0 : cap * elem + 16; };
  return heap(blocks_.capacity(), sizeof(Block)) + heap(words_.capacity(), 8) + heap(added_.capacity(), 8) +
         heap(removed_.capacity(), 8);
}

size_t PostingList::SeekInBlock(size_t b, size_t from, uint64_t off) const {
  const size_t rest = BlockRest(b);
  if (from >= rest) return rest;
  const Block& k = blocks_[b];
  auto at = [&](size_t j) { return Offset(k.start, k.width, j); };
  // The answer lies in [lo, hi]: at(j) < off for every j < lo, and
  // at(hi) >= off or hi == rest.
  size_t lo = from, hi = rest;
  if (from == 0) {
    // Interpolate between the offsets 0 (the block's first id) and its last.
    const uint64_t last = at(rest - 1);
    if (off > last) return rest;
    hi = rest - 1;
    const size_t guess = std::min(
        rest - 1, static_cast<size_t>(static_cast<double>(off) / static_cast<double>(last) * (rest - 1)));
    if (at(guess) >= off) {
      // Gallop back from the guess to an offset below `off`.
      hi = guess;
      lo = 0;
      for (size_t step = 1; hi >= step; step <<= 1) {
        if (at(hi - step) < off) {
          lo = hi - step + 1;
          break;
        }
        hi -= step;
      }
    } else {
      lo = guess + 1;
    }
  }
  // Gallop forward from lo (probing lo, lo + 1, lo + 3, ...), then halve.
  for (size_t step = 1; lo + step - 1 < hi; step <<= 1) {
    const size_t probe = lo + step - 1;
    if (at(probe) >= off) {
      hi = probe;
      break;
    }
    lo = probe + 1;
  }
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (at(mid) < off) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

size_t PostingList::GallopBlocks(size_t from, uint64_t id) const {
  const size_t n = blocks_.size();
  size_t lo = from, step = 1;
  while (lo + step < n && blocks_[lo + step].first <= id) {
    lo += step;
    step <<= 1;
  }
  size_t hi = std::min(lo + step, n);  // blocks_[hi].first > id, or the end
  while (hi - lo > 1) {
    const size_t mid = lo + (hi - lo) / 2;
    if (blocks_[mid].first <= id) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return lo;
}

bool PostingList::Contains(uint64_t id) const {
  if (std::binary_search(added_.begin(), added_.end(), id)) return true;
  if (std::binary_search(removed_.begin(), removed_.end(), id)) return false;
  return Cursor(*this).BaseContains(id);
}

void PostingList::Change(uint64_t id, bool add) {
  // An opposite change of `id` in the delta is undone; otherwise the
  // change is recorded unless the base already is so.
  std::vector<uint64_t>& undo = add ? removed_ : added_;
  std::vector<uint64_t>& todo = add ? added_ : removed_;
  if (auto it = std::lower_bound(undo.begin(), undo.end(), id); it != undo.end() && *it == id) {
    undo.erase(it);
    return;
  }
  auto it = std::lower_bound(todo.begin(), todo.end(), id);
  if (it != todo.end() && *it == id) return;
  if (Cursor(*this).BaseContains(id) == add) return;
  todo.insert(it, id);
  MaybeFold();
}

void PostingList::MaybeFold() {
  const size_t delta = added_.size() + removed_.size();
  if (delta <= std::max<size_t>(64, base_size_ / 16)) return;
  *this = FromIds(ToVector());
}

std::vector<uint64_t> PostingList::ToVector() const {
  std::vector<uint64_t> base(base_size_);
  for (size_t b = 0; b < blocks_.size(); ++b) DecodeBlock(b, base.data() + b * kBlock);
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
  const std::vector<Block>& blocks = list_.blocks_;
  if (block_ == SIZE_MAX || (block_ + 1 < blocks.size() && blocks[block_ + 1].first <= id)) {
    if (blocks.empty() || id < blocks[0].first) return false;
    block_ = list_.GallopBlocks(block_ == SIZE_MAX ? 0 : block_, id);
    pos_ = 0;
  }
  const Block& k = blocks[block_];
  const uint64_t off = id - k.first;
  if (off == 0) return true;
  pos_ = list_.SeekInBlock(block_, pos_, off);
  return pos_ < list_.BlockRest(block_) && list_.Offset(k.start, k.width, pos_) == off;
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
