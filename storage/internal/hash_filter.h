// HashFilter: a growing set of 64-bit hashes that answers "maybe" or "no".
// "No" is always right; "maybe" is wrong for under 0.5% of absent hashes
// (0.4% at a million: tests/storage/hash_filter_test.cc)
// (a split-block Bloom filter: a 512-bit block a hash, one bit in each of
// its eight words, 16 bits a hash). Nothing can be removed.
//
// Used by bulk adds (storage/memory_store.cc): a memory's source exact
// hashes, so that the duplicate check of a unit whose source is new to the
// memory costs one cache line instead of a RocksDB seek through every
// sorted run of the `exact` index. PRIVATE to storage/ (no RocksDB type).
//
// Not thread-safe: the owner guards it (a memory's writers hold its lock).
#ifndef QANTARA_STORAGE_INTERNAL_HASH_FILTER_H_
#define QANTARA_STORAGE_INTERNAL_HASH_FILTER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace qantara::storage {

class HashFilter {
 public:
  HashFilter() = default;

  void Add(uint64_t hash);
  // Makes room for `n` more hashes in one part (one block read a query for
  // them instead of one a doubling): for a caller that knows how many come.
  void Reserve(size_t n);
  // False only when `hash` was never added.
  bool MayContain(uint64_t hash) const;
  // Asks the CPU to fetch the blocks MayContain(hash) and Add(hash) read (a
  // cache miss each in a big filter), so that a caller testing many hashes
  // overlaps those misses instead of waiting for each.
  void Prefetch(uint64_t hash) const;

  size_t size() const { return size_; }  // hashes added (repeats counted)
  size_t bytes() const;                  // memory held by the blocks

 private:
  using Block = std::array<uint64_t, 8>;
  // Filters are added as earlier ones fill, each sized for as many hashes
  // as were added so far (doubling the total), so that there are few of
  // them (a query reads one block of each: 6 at a million hashes) and each
  // stays at 16 bits a hash (at most 32 bits a hash over all).
  struct Part {
    std::vector<Block> blocks;
    size_t capacity = 0;  // hashes it takes
    size_t count = 0;
  };
  static constexpr size_t kFirstCapacity = 1 << 16;
  static void Set(Part& part, uint64_t hash);
  static bool Test(const Part& part, uint64_t hash);

  std::vector<Part> parts_;
  size_t size_ = 0;
};

}  // namespace qantara::storage

#endif  // QANTARA_STORAGE_INTERNAL_HASH_FILTER_H_
