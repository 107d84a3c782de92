// ExactList: the sorted ids of one exact hash, each with its change date.
#include "service/match/index_view.h"

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

namespace qantara::match {

namespace {

// TokenRange's default: the lists asked one length at a time.
class ListsByLength final : public TokenLists {
 public:
  ListsByLength(uint32_t min_length, std::vector<PostingsPtr> lists)
      : min_length_(min_length), lists_(std::move(lists)) {}
  const PostingList& At(uint32_t length) const override { return *lists_[length - min_length_]; }

 private:
  const uint32_t min_length_;
  const std::vector<PostingsPtr> lists_;  // [i]: at min_length_ + i
};

}  // namespace

absl::StatusOr<TokenListsPtr> IndexView::TokenRange(Side side, uint64_t key, uint32_t min_length,
                                                    uint32_t max_length) {
  std::vector<PostingsPtr> lists;
  for (uint32_t n = min_length; n <= max_length; ++n) {
    absl::StatusOr<PostingsPtr> list = Postings(side, key, n);
    if (!list.ok()) return list.status();
    lists.push_back(*std::move(list));
  }
  return std::make_shared<const ListsByLength>(min_length, std::move(lists));
}

void ExactList::Insert(uint64_t id, int64_t bound) {
  auto it = std::lower_bound(ids.begin(), ids.end(), id);
  const auto at = it - ids.begin();
  if (it != ids.end() && *it == id) {
    changed_bound[at] = bound;
    return;
  }
  ids.insert(it, id);
  changed_bound.insert(changed_bound.begin() + at, bound);
}

void ExactList::Erase(uint64_t id) {
  auto it = std::lower_bound(ids.begin(), ids.end(), id);
  if (it == ids.end() || *it != id) return;
  changed_bound.erase(changed_bound.begin() + (it - ids.begin()));
  ids.erase(it);
}

void ExactList::Merge(const ExactList& more) {
  if (more.empty()) return;
  if (empty() || ids.back() < more.ids.front()) {
    ids.insert(ids.end(), more.ids.begin(), more.ids.end());
    changed_bound.insert(changed_bound.end(), more.changed_bound.begin(), more.changed_bound.end());
    return;
  }
  ExactList out;
  out.ids.reserve(ids.size() + more.ids.size());
  out.changed_bound.reserve(ids.size() + more.ids.size());
  size_t i = 0, j = 0;
  while (i < ids.size() || j < more.ids.size()) {
    if (j == more.ids.size() || (i < ids.size() && ids[i] < more.ids[j])) {
      out.ids.push_back(ids[i]);
      out.changed_bound.push_back(changed_bound[i++]);
    } else if (i == ids.size() || more.ids[j] < ids[i]) {
      out.ids.push_back(more.ids[j]);
      out.changed_bound.push_back(more.changed_bound[j++]);
    } else {  // listed by both: a known date over an unknown one
      out.ids.push_back(ids[i]);
      out.changed_bound.push_back(changed_bound[i] != kUnknownChange ? changed_bound[i]
                                                                     : more.changed_bound[j]);
      ++i, ++j;
    }
  }
  *this = std::move(out);
}

}  // namespace qantara::match
