#include "storage/index_buffer.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "storage/encoding.h"
#include "storage/internal/rocks.h"
#include "storage/status.h"

namespace qantara::storage {
namespace {

rocksdb::Slice S(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

}  // namespace

void MergeSorted(match::UnitIds& ids, const match::UnitIds& extra) {
  if (extra.empty()) return;
  if (ids.empty() || ids.back() < extra.front()) {
    ids.insert(ids.end(), extra.begin(), extra.end());
    return;
  }
  match::UnitIds out;
  out.reserve(ids.size() + extra.size());
  std::set_union(ids.begin(), ids.end(), extra.begin(), extra.end(), std::back_inserter(out));
  ids.swap(out);
}

void IndexBuffer::Clear() {
  postings_ = {};
  exact_ = {};
  units_ = 0;
}

absl::Status IndexBuffer::Write(internal::RocksHandles& rocks, uint32_t memory, uint64_t indexed_upto) {
  if (empty()) return absl::OkStatus();
  rocksdb::WriteBatch batch;
  std::vector<std::pair<std::string, const match::UnitIds*>> lists;
  lists.reserve(postings_.size());
  for (const auto& [pid, ids] : postings_) {
    lists.emplace_back(PostingKey(memory, static_cast<match::Side>(pid.side), pid.key, pid.length), &ids);
  }
  // In key order: sequential memtable inserts reuse the skiplist's last
  // position instead of searching from the top.
  std::sort(lists.begin(), lists.end());
  std::string op;
  for (const auto& [key, ids] : lists) {
    op.clear();
    for (uint64_t id : *ids) AppendPostingOp(op, id, /*remove=*/false);
    batch.Merge(rocks.cf(Cf::kPostings), S(key), S(op));
  }
  std::vector<std::string> exact;
  for (const auto& [eid, ids] : exact_) {
    for (uint64_t id : ids) exact.push_back(ExactKey(memory, static_cast<match::Side>(eid.side), eid.hash, id));
  }
  std::sort(exact.begin(), exact.end());
  for (const std::string& key : exact) batch.Put(rocks.cf(Cf::kExact), S(key), rocksdb::Slice());
  std::string upto;
  PutFixed64BE(upto, indexed_upto);
  batch.Put(rocks.cf(Cf::kMemories), S(IndexedUptoKey(memory)), S(upto));
  rocksdb::Status st = rocks.db->Write(rocksdb::WriteOptions(), &batch);
  if (!st.ok()) return FromRocks(st, "write index");
  Clear();
  return absl::OkStatus();
}

}  // namespace qantara::storage
