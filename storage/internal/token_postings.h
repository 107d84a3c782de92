// TokenPostings: what the posting cache holds for one token of one side,
// its posting lists at a set of lengths, as one cache entry.
//
// A lookup reads a token's lists at every length its threshold makes
// feasible (about 15 at 70 for a 20-token query), and most of those lists
// are short (1M units, novel no-match queries at 70: 7.5 ids a list read).
// Cached a list a (token, length), each list was a cache entry of its own:
// a lookup paid a hash probe, a shared lock and two or three dependent cache
// misses a length, and an allocation and an insert for each length it read.
// Here one probe finds the token; its lists are a short sorted vector.
//
// The lengths covered are a set (a bitmap): for every length in it the
// entry holds the token's whole list (absent: no unit of that length has
// the token). A reader that needs lengths outside it reads those (not the
// lengths between: a frequent token's lists there can be long) and
// replaces the entry with a new one covering both (the cached entry is
// shared by concurrent readers, so it is not changed in place then).
// Writers change it in place (Change) holding the memory's `rw`
// exclusively, when no reader holds it. PRIVATE to storage/.
#ifndef QANTARA_STORAGE_INTERNAL_TOKEN_POSTINGS_H_
#define QANTARA_STORAGE_INTERNAL_TOKEN_POSTINGS_H_

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "service/match/index_view.h"  // match::PostingList

namespace qantara::storage {

// A token of one side: the posting cache's key.
struct TokenId {
  uint64_t key;
  uint8_t side;
  friend bool operator==(const TokenId&, const TokenId&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const TokenId& t) {
    return H::combine(std::move(h), t.key, t.side);
  }
};

namespace internal {

class TokenPostings final : public match::TokenLists {
 public:
  using List = std::shared_ptr<match::PostingList>;
  using Lists = std::vector<std::pair<uint32_t, List>>;  // ascending lengths
  // Lengths from this one on share one list (storage/FORMAT.md, PostingKey).
  static constexpr uint32_t kMaxLength = 0xffff;
  static uint32_t CapLength(uint32_t length) { return length < kMaxLength ? length : kMaxLength; }

  // An entry covering nothing.
  TokenPostings() = default;
  // An entry covering [lo, hi] with `lists` (lengths within it, non-empty
  // lists only). REQUIRES: lo <= hi <= kMaxLength.
  TokenPostings(uint32_t lo, uint32_t hi, Lists lists);
  // `base`'s lengths and lists, and the lengths of [lo, hi] it did not cover
  // with their lists `read` (non-empty lists only).
  TokenPostings(const TokenPostings& base, uint32_t lo, uint32_t hi, Lists read);

  // Whether every length of [lo, hi] is covered.
  bool covers(uint32_t lo, uint32_t hi) const;
  bool covers(uint32_t length) const;
  // The first and last lengths of [lo, hi] not covered; false when every
  // one is.
  bool Missing(uint32_t lo, uint32_t hi, uint32_t* first, uint32_t* last) const;

  // The list at `length`, a shared empty list when no unit of that length
  // has the token. REQUIRES: covers(length).
  const List& ListAt(uint32_t length) const;
  // match::TokenLists: the list at `length` (capped). REQUIRES:
  // covers(CapLength(length)).
  const match::PostingList& At(uint32_t length) const override { return *ListAt(CapLength(length)); }
  // The shared empty list (never changed: writers change only the lists an
  // entry holds).
  static const List& Empty();

  const Lists& lists() const { return lists_; }

  // Writers: adds (`insert`) or removes `id` at `length` when the entry
  // covers it (else nothing: the token's list there is not held), making
  // the list when the length had none.
  void Change(uint32_t length, uint64_t id, bool insert);

  // The heap bytes held (the coverage bitmap, the vector, each list's object
  // and control block, and the lists' ids), kept current by Change.
  uint64_t bytes() const { return bytes_; }
  // What bytes() should be, counted again from what is held (tests).
  uint64_t Recount() const;

 private:
  void Cover(uint32_t lo, uint32_t hi);
  static uint64_t ListOverhead();
  uint64_t VectorBytes() const;

  std::vector<uint64_t> covered_;  // bit n: length n covered
  Lists lists_;
  uint64_t bytes_ = 0;
};

}  // namespace internal
}  // namespace qantara::storage

#endif  // QANTARA_STORAGE_INTERNAL_TOKEN_POSTINGS_H_
