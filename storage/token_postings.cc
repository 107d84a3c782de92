// TokenPostings: a token's cached posting lists at a range of lengths.
#include "storage/internal/token_postings.h"

#include <algorithm>

namespace qantara::storage::internal {
namespace {

auto LengthLess() {
  return [](const std::pair<uint32_t, TokenPostings::List>& e, uint32_t length) { return e.first < length; };
}

}  // namespace

TokenPostings::TokenPostings(uint32_t lo, uint32_t hi, std::vector<std::pair<uint32_t, List>> lists)
    : lo_(lo), hi_(hi), lists_(std::move(lists)) {
  bytes_ = Recount();
}

const TokenPostings::List& TokenPostings::Empty() {
  static const List* const kEmpty = new List(std::make_shared<match::PostingList>());
  return *kEmpty;
}

const TokenPostings::List& TokenPostings::At(uint32_t length) const {
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
  uint64_t n = VectorBytes();
  for (const auto& [length, list] : lists_) n += ListOverhead() + list->bytes();
  return n;
}

}  // namespace qantara::storage::internal
