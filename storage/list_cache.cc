// CacheBudget: evicts from the memories' posting and exact caches (CLOCK)
// once they hold more than the store's budget.
#include "storage/internal/list_cache.h"

#include <algorithm>

#include "storage/internal/memory_state.h"

namespace qantara::storage::internal {
namespace {

uint64_t StringBytes(const std::string& s) {
  return s.capacity() > 15 ? s.capacity() + 1 + 16 : 0;  // beyond the inline buffer
}

uint64_t SideBytes(const match::SideKey& k) {
  return (k.tokens.empty() ? 0 : k.tokens.capacity() * sizeof(match::MatchToken) + 16) +
         StringBytes(k.punctuation) + StringBytes(k.inline_codes) + StringBytes(k.whitespace);
}

}  // namespace

void CacheBudget::Register(MemState* state) {
  absl::MutexLock l(&mu_);
  states_.push_back(state);
}

void CacheBudget::Unregister(MemState* state) {
  absl::MutexLock l(&mu_);
  auto it = std::find(states_.begin(), states_.end(), state);
  if (it == states_.end()) return;
  const size_t at = static_cast<size_t>(it - states_.begin());
  states_.erase(it);
  if (hand_ > at) --hand_;
}

void CacheBudget::Shrink() {
  if (!over()) return;
  absl::MutexLock l(&mu_);
  const uint64_t target = limit_ - limit_ / 32;
  if (states_.empty()) return;
  // CLOCK needs two passes over a memory whose lists are all marked: up to
  // three visits of every memory, each a pass over its caches.
  for (size_t visit = 0; visit < 3 * states_.size() && used() > target; ++visit) {
    MemState* s = states_[hand_ % states_.size()];
    // Each cache gives its share of the bytes to free (as one CLOCK over
    // both would, roughly). The caches lock themselves, a part at a time.
    const uint64_t want = used() > target ? used() - target : 0;
    const uint64_t postings = s->postings.bytes(), held = postings + s->exact.bytes();
    if (want > 0 && held > 0) {
      s->postings.Evict(static_cast<uint64_t>(static_cast<double>(want) * postings / held) + 1);
      if (used() > target) s->exact.Evict(used() - target);
      if (used() > target) s->postings.Evict(used() - target);
    }
    if (used() > target) hand_ = (hand_ + 1) % states_.size();
  }
}

uint64_t KeyCache::Bytes(const match::UnitKeys& k) {
  // A map slot (at 7/8 load) and the make_shared block, then the sides.
  return (sizeof(uint64_t) + sizeof(Ptr) + 1) * 8 / 7 + sizeof(match::UnitKeys) + 16 + 16 +
         SideBytes(k.source) + SideBytes(k.target);
}

}  // namespace qantara::storage::internal
