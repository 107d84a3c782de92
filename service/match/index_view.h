// IndexView: what the matcher needs from a memory's index, implemented by
// storage (RocksDB with in-memory caches) and by tests (in memory). The match
// library itself never sees the storage engine.
#ifndef QANTARA_SERVICE_MATCH_INDEX_VIEW_H_
#define QANTARA_SERVICE_MATCH_INDEX_VIEW_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "service/match/posting_list.h"
#include "service/match/segment.h"
#include "service/match/unit.h"

namespace qantara::match {

// What the index keeps per unit: both sides' keys and the change date.
struct UnitKeys {
  SideKey source;
  SideKey target;
  int64_t changed_at_us = 0;
  const SideKey& side(Side s) const { return s == Side::kSource ? source : target; }
  friend bool operator==(const UnitKeys&, const UnitKeys&) = default;
};

using UnitIds = std::vector<uint64_t>;  // ascending unit ids
using UnitIdsPtr = std::shared_ptr<const UnitIds>;

// The units of one exact hash (IndexView::Exact): ascending ids and, beside
// each, a bound of the unit's change date: at least its
// UnitKeys::changed_at_us (storage keeps it to the second, rounded up), or
// kUnknownChange where the index holds none (entries written before it did).
// The exact path ranks thousands of units of one source ("OK") by date
// without reading them all.
struct ExactList {
  static constexpr int64_t kUnknownChange = INT64_MAX;
  UnitIds ids;
  std::vector<int64_t> changed_bound;  // changed_bound[i]: of ids[i]

  size_t size() const { return ids.size(); }
  bool empty() const { return ids.empty(); }
  // Adds unit `id` (its bound replaced when listed already), in id order.
  void Insert(uint64_t id, int64_t bound);
  void Erase(uint64_t id);
  // Adds the entries of `more` (ascending) whose ids are not listed; of an
  // id listed by both, keeps a known bound over an unknown one.
  void Merge(const ExactList& more);
  friend bool operator==(const ExactList&, const ExactList&) = default;
};
using ExactListPtr = std::shared_ptr<const ExactList>;
using UnitKeysPtr = std::shared_ptr<const UnitKeys>;
using PostingsPtr = std::shared_ptr<const PostingList>;

// One token's posting lists at a range of lengths (IndexView::TokenRange),
// held as one object: a lookup asks a token's list at each length it scans,
// and an index lookup a length (storage: a cache probe) cost more than the
// list's own work for the short lists most tokens have.
class TokenLists {
 public:
  virtual ~TokenLists() = default;
  // The units whose side has exactly `length` match tokens, one of which is
  // the token (empty when none); valid while this object lives. REQUIRES:
  // `length` within the range asked.
  virtual const PostingList& At(uint32_t length) const = 0;
};
using TokenListsPtr = std::shared_ptr<const TokenLists>;

// A consistent read-only view of one memory's index, for the duration of one
// lookup (writes acknowledged before the view was made are in it; later ones
// are not). Not thread-safe: one view per lookup.
class IndexView {
 public:
  virtual ~IndexView() = default;

  // The units whose `side` has exactly `length` match tokens, one of which has
  // key `key` (compact: posting_list.h). Never null (empty when none).
  virtual absl::StatusOr<PostingsPtr> Postings(Side side, uint64_t key, uint32_t length) = 0;

  // Postings(side, key, n) for every n in [min_length, max_length], as one
  // object, read together (storage: one seek). Never null. REQUIRES:
  // min_length <= max_length. The default asks Postings at each length.
  virtual absl::StatusOr<TokenListsPtr> TokenRange(Side side, uint64_t key, uint32_t min_length,
                                                   uint32_t max_length);

  // The units whose `side` has SideKey::ExactHash() == `hash`, with their
  // change dates where the index holds them. Never null.
  virtual absl::StatusOr<ExactListPtr> Exact(Side side, uint64_t hash) = 0;

  // False only when at most one unit has SideKey::ExactHash() == `hash` on
  // `side` (then Exact(side, hash) need not be read to know it).
  virtual bool MayHaveSeveral(Side side, uint64_t hash) {
    (void)side, (void)hash;
    return true;
  }

  // The keys of unit `id`. NotFound when there is no such unit.
  virtual absl::StatusOr<UnitKeysPtr> Keys(uint64_t id) = 0;

  // The keys of unit `id` without a copy of the pointer, when the view holds
  // every unit's keys in memory for its whole lifetime (the pointer stays
  // valid until the view is destroyed); nullptr otherwise: use Keys().
  virtual const UnitKeys* PeekKeys(uint64_t id) {
    (void)id;
    return nullptr;
  }

  // Unit `id`'s sketch of `side` (SketchOf of each of its token keys, in
  // order) into `out`, when the view holds it without a read; false
  // otherwise (the default): use Keys(). A view that answers holds the
  // sketch of the unit's current keys (a unit deleted since may keep one).
  virtual bool KeySketch(uint64_t id, Side side, std::vector<uint16_t>* out) {
    (void)id, (void)side, (void)out;
    return false;
  }

  // For each of `ids` (ascending), an upper bound of that unit's
  // UnitKeys::changed_at_us in this view, or ExactList::kUnknownChange where
  // the view holds none; into `out` (resized to ids.size()). Without reading
  // the units: the matcher orders thousands of candidates tied at the k-th
  // match's score by it and stops at the first whose date cannot win the
  // tie. Units of neighbouring ids may share one bound (a block's newest).
  // The default knows none.
  virtual void ChangedBounds(const std::vector<uint64_t>& ids, std::vector<int64_t>* out) {
    out->assign(ids.size(), ExactList::kUnknownChange);
  }

  // The whole unit `id`. NotFound when there is no such unit.
  virtual absl::StatusOr<Unit> GetUnit(uint64_t id) = 0;

  // Calls `fn` for every unit of the memory, by ascending id (exhaustive mode).
  // Stops early with fn's error when fn returns one.
  virtual absl::Status ForEachUnitKeys(
      const std::function<absl::Status(uint64_t id, const UnitKeys& keys)>& fn) = 0;

  // The largest number of match tokens of any unit on `side` (an upper bound).
  virtual uint32_t MaxLength(Side side) = 0;

  // For each of `keys`: whether the index has postings of that token key on
  // `side` (at any length; a posting list may still hold a unit deleted
  // since). Typo neighbours are found with it (typo.h). The default asks
  // Postings at every length; implementations answer with one seek a key.
  virtual absl::StatusOr<std::vector<bool>> HasTokens(Side side, const std::vector<uint64_t>& keys) {
    std::vector<bool> out(keys.size(), false);
    const uint32_t max_len = MaxLength(side);
    for (size_t i = 0; i < keys.size(); ++i) {
      for (uint32_t n = 1; n <= max_len && !out[i]; ++n) {
        absl::StatusOr<PostingsPtr> ids = Postings(side, keys[i], n);
        if (!ids.ok()) return ids.status();
        out[i] = !(*ids)->empty();
      }
    }
    return out;
  }
};

}  // namespace qantara::match

#endif  // QANTARA_SERVICE_MATCH_INDEX_VIEW_H_
