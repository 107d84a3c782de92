// KeySketches: every unit's token keys folded to 16 bits (match::SketchOf),
// in order, by side, held in memory for a memory whose unit keys are not:
// a lookup bounds a candidate's token distance with them (a lower bound:
// equal keys have equal sketches) and reads the keys from RocksDB only when
// the bound lets the candidate reach the k-th match (IndexView::KeySketch).
// About 2 bytes a token plus 4 a unit: ~45 bytes a unit of the shared
// workload.
//
// Layout: blocks of kBlock consecutive unit ids (kept ids are sparse: a hash
// map by id / kBlock). A block holds its units' sketches back to back in
// one array of at most 65,535 tokens, and where each (unit, side) starts in
// it; a unit with no sketch (never set, erased, or too long for its block)
// is unknown: the caller reads its keys.
//
// Not thread-safe: the owner guards it (MemState::fill).
#ifndef QANTARA_STORAGE_INTERNAL_KEY_SKETCHES_H_
#define QANTARA_STORAGE_INTERNAL_KEY_SKETCHES_H_

#include <array>
#include <bitset>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "service/match/index_view.h"

namespace qantara::storage::internal {

class KeySketches {
 public:
  static constexpr uint64_t kBlock = 256;

  // Sets unit `id`'s sketch from its keys (both sides), replacing any it
  // had. A unit whose sketch would overflow its block's array is left
  // unknown.
  void Set(uint64_t id, const match::UnitKeys& keys);
  // Forgets unit `id`'s sketch (it is unknown from now on).
  void Erase(uint64_t id);
  // Unit `id`'s sketch of `side` into `out`; false when unknown.
  bool Get(uint64_t id, match::Side side, std::vector<uint16_t>* out) const;
  void Clear() {
    blocks_.clear();
    units_ = bytes_ = 0;
  }
  // Gives back what the blocks' arrays hold beyond their tokens (after a
  // bulk load: the warm-up's end).
  void Shrink();

  uint64_t units() const { return units_; }
  uint64_t bytes() const { return bytes_ + blocks_.capacity() * (sizeof(Blocks::value_type) + 1); }

 private:
  struct Block {
    // (unit i, side s) holds tokens[start[2i + s], start[2i + s + 1]).
    std::array<uint16_t, 2 * kBlock + 1> start{};
    std::bitset<kBlock> present;
    std::vector<uint16_t> tokens;
  };
  using Blocks = absl::flat_hash_map<uint64_t, std::unique_ptr<Block>>;
  static uint64_t BytesOf(const Block& b) { return sizeof(Block) + b.tokens.capacity() * sizeof(uint16_t); }
  // Replaces unit i's range by `sketch` ([0, n_source) source, the rest target).
  static void Replace(Block& b, uint64_t i, const std::vector<uint16_t>& sketch, uint16_t n_source);

  Blocks blocks_;
  uint64_t units_ = 0;
  uint64_t bytes_ = 0;  // of the blocks
};

}  // namespace qantara::storage::internal

#endif  // QANTARA_STORAGE_INTERNAL_KEY_SKETCHES_H_
