// An in-memory IndexView over a vector of units, for matcher tests.
#ifndef QANTARA_TESTS_SERVICE_MATCH_MEMORY_INDEX_H_
#define QANTARA_TESTS_SERVICE_MATCH_MEMORY_INDEX_H_

#include <algorithm>
#include <map>
#include <tuple>

#include "service/match/analyzer.h"
#include "service/match/index_view.h"

namespace qantara::match::testing {

class MemoryIndex final : public IndexView {
 public:
  explicit MemoryIndex(const Analyzer& analyzer) : analyzer_(analyzer) {}

  void Add(Unit unit) {
    UnitKeys keys;
    keys.source = analyzer_.Analyze(unit.source, text::Language::kEnglish)->key;
    keys.target = analyzer_.Analyze(unit.target, text::Language::kArabic)->key;
    keys.changed_at_us = unit.changed_at_us;
    for (Side side : {Side::kSource, Side::kTarget}) {
      const SideKey& k = keys.side(side);
      for (const MatchToken& t : k.tokens) {
        auto& list = postings_[{static_cast<int>(side), t.key, static_cast<uint32_t>(k.tokens.size())}];
        if (list.empty() || list.back() != unit.id) list.push_back(unit.id);
      }
      exact_[{static_cast<int>(side), k.ExactHash()}].Insert(unit.id, unit.changed_at_us);
      max_len_[static_cast<int>(side)] =
          std::max<uint32_t>(max_len_[static_cast<int>(side)], k.tokens.size());
    }
    int64_t& newest = newest_[unit.id / date_block_];
    newest = std::max(newest, unit.changed_at_us);
    keys_[unit.id] = std::make_shared<UnitKeys>(std::move(keys));
    units_[unit.id] = std::move(unit);
  }

  absl::StatusOr<PostingsPtr> Postings(Side side, uint64_t key, uint32_t length) override {
    auto it = postings_.find({static_cast<int>(side), key, length});
    return std::make_shared<PostingList>(
        PostingList::FromIds(it == postings_.end() ? UnitIds() : it->second));
  }
  absl::StatusOr<ExactListPtr> Exact(Side side, uint64_t hash) override {
    auto it = exact_.find({static_cast<int>(side), hash});
    auto list = std::make_shared<ExactList>(it == exact_.end() ? ExactList() : it->second);
    if (!exact_dates_) {
      for (int64_t& c : list->changed_bound) c = ExactList::kUnknownChange;
    }
    return list;
  }
  absl::StatusOr<UnitKeysPtr> Keys(uint64_t id) override {
    ++key_reads_;
    auto it = keys_.find(id);
    if (it == keys_.end()) return absl::NotFoundError("no unit");
    return it->second;
  }
  const UnitKeys* PeekKeys(uint64_t id) override {
    if (!peek_) return nullptr;
    auto it = keys_.find(id);
    return it == keys_.end() ? nullptr : it->second.get();
  }
  // Sketches of every unit when set_sketch(true) (as storage does for a
  // memory whose keys are read from disk); counted.
  bool KeySketch(uint64_t id, Side side, std::vector<uint16_t>* out) override {
    if (!sketch_) return false;
    auto it = keys_.find(id);
    if (it == keys_.end()) return false;
    out->clear();
    for (const MatchToken& t : it->second->side(side).tokens) out->push_back(SketchOf(t.key));
    ++sketch_reads_;
    return true;
  }
  void set_sketch(bool sketch) { sketch_ = sketch; }
  size_t sketch_reads() const { return sketch_reads_; }
  // Calls of GetUnit() so far.
  size_t unit_reads() const { return unit_reads_; }
  // As storage: the newest date of the block of `date_block_` ids a unit is
  // in (its own with blocks of 1), or none at all.
  void ChangedBounds(const std::vector<uint64_t>& ids, std::vector<int64_t>* out) override {
    out->assign(ids.size(), ExactList::kUnknownChange);
    if (!changed_bounds_) return;
    for (size_t i = 0; i < ids.size(); ++i) {
      auto it = newest_.find(ids[i] / date_block_);
      if (it != newest_.end()) (*out)[i] = it->second;
    }
  }
  // Whether ChangedBounds() knows the dates, and the size of its blocks (set
  // before the first Add).
  void set_changed_bounds(bool known) { changed_bounds_ = known; }
  void set_date_block(uint64_t ids) { date_block_ = ids; }
  // Whether Exact() gives the units' dates (else all unknown, as an index
  // written before it kept them).
  void set_exact_dates(bool dates) { exact_dates_ = dates; }
  // Calls of Keys() so far (reads from disk in a storage view).
  size_t key_reads() const { return key_reads_; }
  // Whether PeekKeys answers (else the matcher reads through Keys).
  void set_peek(bool peek) { peek_ = peek; }
  absl::StatusOr<Unit> GetUnit(uint64_t id) override {
    ++unit_reads_;
    auto it = units_.find(id);
    if (it == units_.end()) return absl::NotFoundError("no unit");
    return it->second;
  }
  absl::Status ForEachUnitKeys(const std::function<absl::Status(uint64_t, const UnitKeys&)>& fn) override {
    for (const auto& [id, k] : keys_) {
      if (absl::Status s = fn(id, *k); !s.ok()) return s;
    }
    return absl::OkStatus();
  }
  uint32_t MaxLength(Side side) override { return max_len_[static_cast<int>(side)]; }

 private:
  const Analyzer& analyzer_;
  std::map<std::tuple<int, uint64_t, uint32_t>, UnitIds> postings_;
  std::map<std::pair<int, uint64_t>, ExactList> exact_;
  std::map<uint64_t, UnitKeysPtr> keys_;
  std::map<uint64_t, Unit> units_;
  uint32_t max_len_[2] = {0, 0};
  bool peek_ = true;
  bool sketch_ = false;
  size_t sketch_reads_ = 0;
  size_t unit_reads_ = 0;
  size_t key_reads_ = 0;
  bool exact_dates_ = true;
  bool changed_bounds_ = true;
  uint64_t date_block_ = 4;
  std::map<uint64_t, int64_t> newest_;  // block -> newest date
};

}  // namespace qantara::match::testing

#endif  // QANTARA_TESTS_SERVICE_MATCH_MEMORY_INDEX_H_
