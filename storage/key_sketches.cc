// KeySketches (storage/internal/key_sketches.h): units' token keys folded
// to 16 bits, by blocks of consecutive ids.
#include "storage/internal/key_sketches.h"

#include <algorithm>

namespace qantara::storage::internal {

void KeySketches::Replace(Block& b, uint64_t i, const std::vector<uint16_t>& sketch, uint16_t n_source) {
  const size_t from = b.start[2 * i], to = b.start[2 * i + 2];
  const size_t old_len = to - from, new_len = sketch.size();
  if (new_len <= old_len) {
    std::copy(sketch.begin(), sketch.end(), b.tokens.begin() + from);
    b.tokens.erase(b.tokens.begin() + from + new_len, b.tokens.begin() + to);
  } else {
    std::copy(sketch.begin(), sketch.begin() + old_len, b.tokens.begin() + from);
    b.tokens.insert(b.tokens.begin() + to, sketch.begin() + old_len, sketch.end());
  }
  b.start[2 * i + 1] = static_cast<uint16_t>(from + n_source);
  // Every later start moves by the change (uint16_t wraps back for a shrink).
  const auto delta = static_cast<uint16_t>(new_len - old_len);
  if (delta != 0) {
    for (size_t k = 2 * i + 2; k < b.start.size(); ++k)
      b.start[k] = static_cast<uint16_t>(b.start[k] + delta);
  }
}

void KeySketches::Set(uint64_t id, const match::UnitKeys& keys) {
  const size_t total = keys.source.tokens.size() + keys.target.tokens.size();
  const uint64_t i = id % kBlock;
  auto it = blocks_.find(id / kBlock);
  if (it == blocks_.end()) {
    if (total > UINT16_MAX) return;
    it = blocks_.emplace(id / kBlock, std::make_unique<Block>()).first;
    bytes_ += BytesOf(*it->second);
  }
  Block& b = *it->second;
  const size_t old_len = b.start[2 * i + 2] - b.start[2 * i];
  if (b.tokens.size() - old_len + total > UINT16_MAX) {
    Erase(id);  // unknown: its keys are read
    return;
  }
  std::vector<uint16_t> sketch;
  sketch.reserve(total);
  for (const auto& t : keys.source.tokens) sketch.push_back(match::SketchOf(t.key));
  for (const auto& t : keys.target.tokens) sketch.push_back(match::SketchOf(t.key));
  bytes_ -= BytesOf(b);
  Replace(b, i, sketch, static_cast<uint16_t>(keys.source.tokens.size()));
  bytes_ += BytesOf(b);
  if (!b.present[i]) ++units_;
  b.present.set(i);
}

void KeySketches::Erase(uint64_t id) {
  auto it = blocks_.find(id / kBlock);
  if (it == blocks_.end()) return;
  Block& b = *it->second;
  const uint64_t i = id % kBlock;
  if (!b.present[i]) return;
  bytes_ -= BytesOf(b);
  Replace(b, i, {}, 0);
  b.present.reset(i);
  --units_;
  if (b.present.none()) {
    blocks_.erase(it);
    return;
  }
  bytes_ += BytesOf(b);
}

void KeySketches::Shrink() {
  for (auto& [block, b] : blocks_) {
    bytes_ -= BytesOf(*b);
    b->tokens.shrink_to_fit();
    bytes_ += BytesOf(*b);
  }
}

bool KeySketches::Get(uint64_t id, match::Side side, std::vector<uint16_t>* out) const {
  auto it = blocks_.find(id / kBlock);
  if (it == blocks_.end()) return false;
  const Block& b = *it->second;
  const uint64_t i = id % kBlock;
  if (!b.present[i]) return false;
  const size_t k = 2 * i + static_cast<size_t>(side);
  out->assign(b.tokens.begin() + b.start[k], b.tokens.begin() + b.start[k + 1]);
  return true;
}

}  // namespace qantara::storage::internal
