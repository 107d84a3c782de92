// PostingList: a posting list's ascending unit ids in a compact form that is
// searched without decoding it, with a small sorted delta so that a writer's
// adds and removals do not re-encode a long list each time.
//
// Layout (in memory only; storage/FORMAT.md has the stored form): the base
// ids in blocks of kBlock. Per block (`blocks_`): its first id, a bit width
// and the word where its other ids begin in `words_`, each as its offset
// from the block's first id in exactly that many bits (the width of the
// block's last offset), packed low bits first. A frequent word's list (one
// unit in 10 to 100) takes 1.5-2 bytes an id, against 8 in a
// std::vector<uint64_t>, and any id of a block is read without decoding the
// others: a probe gallops over the blocks' first ids and interpolates in
// one block. On top of the base, `added_` (ids not in it) and `removed_` (ids of it),
// both ascending, are folded into a new base once they hold a sixteenth of
// it.
//
// Not thread-safe: readers share a const list; writers change it only
// while no reader holds it (storage: under the memory's `rw` exclusively).
#ifndef QANTARA_SERVICE_MATCH_POSTING_LIST_H_
#define QANTARA_SERVICE_MATCH_POSTING_LIST_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

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

  // Whether `id` is in the list (two binary searches, nothing decoded).
  bool Contains(uint64_t id) const;
  // Writers: adds `id` (nothing when present) or removes it (nothing when
  // absent); the change goes to the delta, folded into the base when large.
  void Insert(uint64_t id) { Change(id, true); }
  void Erase(uint64_t id) { Change(id, false); }

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
    for (size_t b = 0; b < blocks_.size(); ++b) fn(run.data(), DecodeBlock(b, run.data()));
  }
  // Every id, ascending.
  std::vector<uint64_t> ToVector() const;

  // Membership checks of ids asked in ascending order: each Contains
  // gallops over the block firsts from the block of the last answer, then
  // within the block from the position of the last answer.
  class Cursor {
   public:
    explicit Cursor(const PostingList& list) : list_(list) {}
    // REQUIRES: `id` >= every id asked before.
    bool Contains(uint64_t id);

   private:
    friend class PostingList;
    // Whether the base (the blocks, without the delta) holds `id`.
    bool BaseContains(uint64_t id);
    const PostingList& list_;
    size_t block_ = SIZE_MAX;  // the block of the last answer (SIZE_MAX: none yet)
    size_t pos_ = 0;           // in it: the first offset not below the last one asked
    size_t added_ = 0;         // the first of list_.added_ not below the last id asked
    size_t removed_ = 0;       // the first of list_.removed_ not below it
  };

 private:
  friend class PostingListBuilder;

  // The ids of block `b` after its first.
  size_t BlockRest(size_t b) const { return std::min(kBlock, base_size_ - b * kBlock) - 1; }
  // Offset `j` (from the block's first id, j = 0 for its second id) of the
  // block whose ids start at word `start`, `width` bits each. REQUIRES:
  // j < the block's BlockRest, so width >= 1 (a block of two ids or more
  // spans at least 1). Without a branch: the word after is always read
  // (words_ ends with a spare word), shifted out when not needed.
  uint64_t Offset(uint32_t start, uint32_t width, size_t j) const {
    const uint64_t bit = static_cast<uint64_t>(j) * width;
    const uint64_t* w = words_.data() + start + (bit >> 6);
    const unsigned s = static_cast<unsigned>(bit & 63);
    // (w[1] << 1) << (63 - s): w[1] << (64 - s), and 0 when s is 0.
    const uint64_t v = (w[0] >> s) | ((w[1] << 1) << (63 - s));
    return v & (~uint64_t{0} >> (64 - width));
  }
  // Decodes base block `b` into `out`; returns its id count.
  size_t DecodeBlock(size_t b, uint64_t* out) const {
    const size_t rest = BlockRest(b);
    const Block& k = blocks_[b];
    out[0] = k.first;
    for (size_t j = 0; j < rest; ++j) out[j + 1] = k.first + Offset(k.start, k.width, j);
    return rest + 1;
  }
  // In base block `b`: the first j in [from, BlockRest(b)) whose offset is
  // >= `off` (BlockRest(b) when none): from an interpolated guess when
  // `from` is 0 (offsets are about evenly spread), galloping from `from`
  // otherwise.
  size_t SeekInBlock(size_t b, size_t from, uint64_t off) const;
  // The last block whose first id is <= `id`, galloping from block `from`
  // (whose first id is <= `id`).
  size_t GallopBlocks(size_t from, uint64_t id) const;
  // Insert (`add`) or Erase.
  void Change(uint64_t id, bool add);
  // Folds the delta into a new base once it holds more than a sixteenth of
  // the base (64 changes at least).
  void MaybeFold();

  struct Block {
    uint64_t first;  // its first id
    uint32_t start;  // the word of words_ where its offsets begin
    uint32_t width;  // bits an offset (0 to 64)
  };
  size_t base_size_ = 0;
  std::vector<Block> blocks_;
  std::vector<uint64_t> words_;
  std::vector<uint64_t> added_;    // ascending, none in the base
  std::vector<uint64_t> removed_;  // ascending, all in the base
};

// Builds a PostingList from ids given in strictly ascending order (the
// caller checks the order: storage's decoder rejects a list that is not).
class PostingListBuilder {
 public:
  // `ids`: about how many ids will be appended; `words`: about the 64-bit
  // words they take packed (a stored list's bytes / 8 + a word a block is
  // near it): room reserved for both.
  PostingListBuilder(size_t ids, size_t words);
  void Append(uint64_t id) {
    block_[n_++] = id;
    if (n_ == PostingList::kBlock) Flush();
  }
  PostingList Build() &&;

 private:
  void Flush();  // packs the buffered block
  PostingList list_;
  std::array<uint64_t, PostingList::kBlock> block_;
  size_t n_ = 0;
};

}  // namespace qantara::match

#endif  // QANTARA_SERVICE_MATCH_POSTING_LIST_H_
