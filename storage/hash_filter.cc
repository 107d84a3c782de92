// HashFilter, a split-block Bloom filter of 64-bit hashes: a bulk add's cheap
// "is this source new to the memory" check before any RocksDB seek.
#include "storage/internal/hash_filter.h"

#include <algorithm>

namespace qantara::storage {
namespace {

// The finaliser of MurmurHash3: callers' hashes may share low or high bits.
uint64_t Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

// The block of `mixed` among `n` (the high bits, scaled without a division).
size_t BlockOf(uint64_t mixed, size_t n) {
  return static_cast<size_t>((static_cast<unsigned __int128>(mixed) * n) >> 64);
}

// The bit a hash sets in word `i` of its block: 6 bits each from a second
// mix (independent of the bits that chose the block).
uint64_t BitOf(uint64_t second, int i) { return uint64_t{1} << ((second >> (6 * i)) & 63); }

}  // namespace

void HashFilter::Set(Part& part, uint64_t hash) {
  const uint64_t mixed = Mix(hash);
  const uint64_t second = Mix(mixed ^ 0x9e3779b97f4a7c15ULL);
  Block& b = part.blocks[BlockOf(mixed, part.blocks.size())];
  for (int i = 0; i < 8; ++i) b[i] |= BitOf(second, i);
  ++part.count;
}

bool HashFilter::Test(const Part& part, uint64_t hash) {
  const uint64_t mixed = Mix(hash);
  const uint64_t second = Mix(mixed ^ 0x9e3779b97f4a7c15ULL);
  const Block& b = part.blocks[BlockOf(mixed, part.blocks.size())];
  for (int i = 0; i < 8; ++i) {
    if ((b[i] & BitOf(second, i)) == 0) return false;
  }
  return true;
}

void HashFilter::Add(uint64_t hash) {
  if (parts_.empty() || parts_.back().count >= parts_.back().capacity) {
    Part part;
    part.capacity = parts_.empty() ? kFirstCapacity : size_;  // doubles the total
    // 16 bits a hash: a 512-bit block for every 32 hashes.
    part.blocks.assign((part.capacity + 31) / 32, Block{});
    parts_.push_back(std::move(part));
  }
  Set(parts_.back(), hash);
  ++size_;
}

void HashFilter::Reserve(size_t n) {
  if (n == 0) return;
  if (!parts_.empty() && parts_.back().capacity - parts_.back().count >= n) return;
  Part part;
  part.capacity = std::max(n, kFirstCapacity);
  part.blocks.assign((part.capacity + 31) / 32, Block{});
  parts_.push_back(std::move(part));
}

bool HashFilter::MayContain(uint64_t hash) const {
  for (const Part& part : parts_) {
    if (Test(part, hash)) return true;
  }
  return false;
}

void HashFilter::Prefetch(uint64_t hash) const {
  const uint64_t mixed = Mix(hash);
  for (const Part& part : parts_) __builtin_prefetch(&part.blocks[BlockOf(mixed, part.blocks.size())]);
}

size_t HashFilter::bytes() const {
  size_t n = 0;
  for (const Part& part : parts_) n += part.blocks.size() * sizeof(Block);
  return n;
}

}  // namespace qantara::storage
