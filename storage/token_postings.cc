// TokenPostings: a token's cached posting lists at a set of lengths.
#include "storage/internal/token_postings.h"

#include <algorithm>
#include <iterator>

namespace qantara::storage::internal {
namespace {

auto LengthLess() {
  return [](const std::pair<uint32_t, TokenPostings::List>& e, uint32_t length) { return e.first < length; };
}

}  // namespace

TokenPostings::TokenPostings(uint32_t lo, uint32_t hi, Lists lists) : lists_(std::move(lists)) {
  Cover(lo, hi);
  bytes_ = Recount();
}

TokenPostings::TokenPostings(const TokenPostings& base, uint32_t lo, uint32_t hi, Lists read)
    : covered_(base.covered_) {
  Cover(lo, hi);
  lists_.reserve(base.lists_.size() + read.size());
  std::merge(base.lists_.begin(), base.lists_.end(), std::make_move_iterator(read.begin()),
             std::make_move_iterator(read.end()), std::back_inserter(lists_),
             [](const auto& a, const auto& b) { return a.first < b.first; });
  bytes_ = Recount();
}

void TokenPostings::Cover(uint32_t lo, uint32_t hi) {
  if (lo > hi) return;
  if (covered_.size() <= hi / 64) covered_.resize(hi / 64 + 1, 0);
  for (uint32_t n = lo; n <= hi; ++n) covered_[n / 64] |= uint64_t{1} << (n % 64);
}

bool TokenPostings::covers(uint32_t length) const {
  return length / 64 < covered_.size() && (covered_[length / 64] >> (length % 64) & 1) != 0;
}

bool TokenPostings::covers(uint32_t lo, uint32_t hi) const {
  if (lo > hi) return true;
  if (hi / 64 >= covered_.size()) return false;
  for (uint32_t w = lo / 64; w <= hi / 64; ++w) {
    const uint32_t from = w == lo / 64 ? lo % 64 : 0, to = w == hi / 64 ? hi % 64 : 63;
    const uint64_t mask =
        (to == 63 ? ~uint64_t{0} : (uint64_t{1} << (to + 1)) - 1) & ~((uint64_t{1} << from) - 1);
    if ((covered_[w] & mask) != mask) return false;
  }
  return true;
}

bool TokenPostings::Missing(uint32_t lo, uint32_t hi, uint32_t* first, uint32_t* last) const {
  bool any = false;
  for (uint32_t n = lo; n <= hi; ++n) {
    if (covers(n)) continue;
    if (!any) *first = n;
    *last = n;
    any = true;
  }
  return any;
}

const TokenPostings::List& TokenPostings::Empty() {
  static const List* const kEmpty = new List(std::make_shared<match::PostingList>());
  return *kEmpty;
}

const TokenPostings::List& TokenPostings::ListAt(uint32_t length) const {
  auto it = std::lower_bound(lists_.begin(), lists_.end(), length, LengthLess());
  return it != lists_.end() && it->first == length ? it->second : Empty();
}

void TokenPostings::Change(uint32_t length, uint64_t id, bool insert) {
  if (!covers(length)) return;
  auto it = std::lower_bound(lists_.begin(), lists_.end(), length, LengthLess());
  if (it == lists_.end() || it->first != length) {
    if (!insert) return;
    const uint64_t before = VectorBytes();
    it = lists_.emplace(it, length, std::make_shared<match::PostingList>());
    bytes_ += ListOverhead() + VectorBytes() - before;
  }
  match::PostingList& list = *it->second;
  const uint64_t before = list.bytes();
  insert ? list.Insert(id) : list.Erase(id);
  bytes_ = bytes_ - before + list.bytes();
}

// make_shared's allocation: the control block and the list object, with a
// malloc header.
uint64_t TokenPostings::ListOverhead() { return 16 + sizeof(match::PostingList) + 16; }

uint64_t TokenPostings::VectorBytes() const {
  return lists_.capacity() == 0 ? 0 : lists_.capacity() * sizeof(lists_[0]) + 16;
}

uint64_t TokenPostings::Recount() const {
  uint64_t n = VectorBytes() + (covered_.capacity() == 0 ? 0 : covered_.capacity() * 8 + 16);
  for (const auto& [length, list] : lists_) n += ListOverhead() + list->bytes();
  return n;
}

}  // namespace qantara::storage::internal
