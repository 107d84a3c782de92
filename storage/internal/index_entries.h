// The index entries of a unit: one posting per distinct token of each side
// and one exact-path entry per side (storage/FORMAT.md, `postings` and
// `exact`). PRIVATE to storage/. No RocksDB type appears here.
#ifndef QANTARA_STORAGE_INTERNAL_INDEX_ENTRIES_H_
#define QANTARA_STORAGE_INTERNAL_INDEX_ENTRIES_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "service/match/index_view.h"

namespace qantara::storage {

// A posting list: (token key, side length in match tokens, side).
struct PostingId {
  uint64_t key;
  uint32_t length;
  uint8_t side;
  friend bool operator==(const PostingId&, const PostingId&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const PostingId& p) {
    return H::combine(std::move(h), p.key, p.length, p.side);
  }
};

// An exact-path entry group: (hash of a side's key sequence, side).
struct ExactId {
  uint64_t hash;
  uint8_t side;
  friend bool operator==(const ExactId&, const ExactId&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const ExactId& e) {
    return H::combine(std::move(h), e.hash, e.side);
  }
};

// Calls on_posting(PostingId) once per distinct token of each side of a
// unit, and on_exact(ExactId, side length) once per side: the unit's index
// entries.
template <typename OnPosting, typename OnExact>
void ForEachIndexEntry(const match::UnitKeys& keys, OnPosting&& on_posting, OnExact&& on_exact) {
  // Segments are short: a linear look at the tokens before is cheaper than
  // a hash set (which long segments get).
  constexpr size_t kLinear = 48;
  absl::flat_hash_set<uint64_t> distinct;
  for (match::Side side : {match::Side::kSource, match::Side::kTarget}) {
    const match::SideKey& k = keys.side(side);
    const uint32_t len = static_cast<uint32_t>(k.tokens.size());
    distinct.clear();
    for (size_t i = 0; i < k.tokens.size(); ++i) {
      const uint64_t key = k.tokens[i].key;
      bool first;
      if (k.tokens.size() <= kLinear) {
        first = true;
        for (size_t j = 0; j < i && first; ++j) first = k.tokens[j].key != key;
      } else {
        first = distinct.insert(key).second;
      }
      if (first) on_posting(PostingId{key, len, static_cast<uint8_t>(side)});
    }
    on_exact(ExactId{k.ExactHash(), static_cast<uint8_t>(side)}, len);
  }
}

// The index entries of one unit (ForEachIndexEntry), collected.
struct IndexEntries {
  std::vector<PostingId> postings;  // one per distinct token of each side
  ExactId exact[2];                 // by side
  uint32_t length[2] = {0, 0};      // side lengths in match tokens
};

inline IndexEntries EntriesOf(const match::UnitKeys& keys) {
  IndexEntries e;
  e.postings.reserve(keys.source.tokens.size() + keys.target.tokens.size());
  ForEachIndexEntry(
      keys, [&](const PostingId& pid) { e.postings.push_back(pid); },
      [&](const ExactId& eid, uint32_t len) {
        e.exact[eid.side] = eid;
        e.length[eid.side] = len;
      });
  return e;
}

}  // namespace qantara::storage

#endif  // QANTARA_STORAGE_INTERNAL_INDEX_ENTRIES_H_
