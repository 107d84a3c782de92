#include "storage/index_buffer.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <tuple>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/sst_file_writer.h"
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

namespace {

// A posting list's place in key order: (side, token key, capped length)
// compares like its PostingKey (big-endian fields). Lengths above the cap
// share a key, so neighbours may be equal: their operands are concatenated.
struct PostingEntry {
  uint8_t side;
  uint64_t key;
  uint32_t length;  // capped as in PostingKey
  const match::UnitIds* ids;
  auto order() const { return std::tie(side, key, length); }
};

// An exact key's place in key order.
struct ExactEntry {
  uint8_t side;
  uint64_t hash;
  uint64_t id;
  auto order() const { return std::tie(side, hash, id); }
  friend bool operator==(const ExactEntry&, const ExactEntry&) = default;
};

// Calls fn(key, operand) for every posting key of the buffer in key order.
template <typename Fn>
void ForEachPostingOp(const std::vector<PostingEntry>& lists, uint32_t memory, Fn&& fn) {
  std::string key, op;
  for (size_t i = 0; i < lists.size();) {
    const PostingEntry& e = lists[i];
    key = PostingKey(memory, static_cast<match::Side>(e.side), e.key, e.length);
    op.clear();
    for (; i < lists.size() && lists[i].order() == e.order(); ++i) {
      for (uint64_t id : *lists[i].ids) AppendPostingOp(op, id, /*remove=*/false);
    }
    fn(key, op);
  }
}

// Calls fn(key) for every exact key of the buffer in key order.
template <typename Fn>
void ForEachExactKey(const std::vector<ExactEntry>& exact, uint32_t memory, Fn&& fn) {
  std::string key;
  for (size_t i = 0; i < exact.size(); ++i) {
    if (i > 0 && exact[i] == exact[i - 1]) continue;
    key.clear();
    PutFixed32BE(key, memory);
    key.push_back(static_cast<char>(exact[i].side));
    PutFixed64BE(key, exact[i].hash);
    PutFixed64BE(key, exact[i].id);
    fn(key);
  }
}

absl::Status RemoveFiles(const std::vector<std::string>& paths) {
  absl::Status result = absl::OkStatus();
  for (const std::string& p : paths) {
    std::error_code ec;
    std::filesystem::remove(p, ec);
    if (ec && result.ok()) result = absl::InternalError(absl::StrCat("remove ", p, ": ", ec.message()));
  }
  return result;
}

}  // namespace

std::string IndexBuffer::IngestDir(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "ingest").string();
}

absl::Status IndexBuffer::RemoveLeftovers(const std::string& data_dir) {
  std::error_code ec;
  std::filesystem::remove_all(IngestDir(data_dir), ec);
  if (ec) return absl::InternalError(absl::StrCat("remove ", IngestDir(data_dir), ": ", ec.message()));
  return absl::OkStatus();
}

absl::Status IndexBuffer::Write(internal::RocksHandles& rocks, uint32_t memory, uint64_t indexed_upto,
                                size_t min_file_units) {
  if (empty()) return absl::OkStatus();
  std::vector<PostingEntry> lists;
  lists.reserve(postings_.size());
  for (const auto& [pid, ids] : postings_) {
    lists.push_back(PostingEntry{pid.side, pid.key, std::min<uint32_t>(pid.length, 0xffff), &ids});
  }
  std::sort(lists.begin(), lists.end(),
            [](const PostingEntry& a, const PostingEntry& b) { return a.order() < b.order(); });
  std::vector<ExactEntry> exact;
  exact.reserve(2 * units_);
  for (const auto& [eid, ids] : exact_) {
    for (uint64_t id : ids) exact.push_back(ExactEntry{eid.side, eid.hash, id});
  }
  std::sort(exact.begin(), exact.end(),
            [](const ExactEntry& a, const ExactEntry& b) { return a.order() < b.order(); });
  std::string upto;
  PutFixed64BE(upto, indexed_upto);

  if (units_ < min_file_units) {
    // In key order: sequential memtable inserts reuse the skiplist's last
    // position instead of searching from the top.
    rocksdb::WriteBatch batch;
    ForEachPostingOp(lists, memory, [&](const std::string& key, const std::string& op) {
      batch.Merge(rocks.cf(Cf::kPostings), S(key), S(op));
    });
    ForEachExactKey(exact, memory, [&](const std::string& key) {
      batch.Put(rocks.cf(Cf::kExact), S(key), rocksdb::Slice());
    });
    batch.Put(rocks.cf(Cf::kMemories), S(IndexedUptoKey(memory)), S(upto));
    rocksdb::Status st = rocks.db->Write(rocksdb::WriteOptions(), &batch);
    if (!st.ok()) return FromRocks(st, "write index");
    Clear();
    return absl::OkStatus();
  }

  const std::string dir = IngestDir(rocks.db->GetName());
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::InternalError(absl::StrCat("create ", dir, ": ", ec.message()));
  const std::string suffix = absl::StrCat("-", memory, "-", indexed_upto, ".sst");
  std::vector<std::string> paths;
  std::vector<rocksdb::IngestExternalFileArg> args;
  // Writes one SST file of column family `cf` with `add` (keys in order).
  auto write_file = [&](Cf cf, const std::string& name, auto&& add) -> absl::Status {
    rocksdb::ColumnFamilyHandle* h = rocks.cf(cf);
    rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), rocks.db->GetOptions(h), h);
    const std::string path = (std::filesystem::path(dir) / (name + suffix)).string();
    paths.push_back(path);
    rocksdb::Status st = writer.Open(path);
    if (st.ok()) st = add(writer);
    if (st.ok()) st = writer.Finish();
    if (!st.ok()) return FromRocks(st, absl::StrCat("write ", path));
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = h;
    arg.external_files = {path};
    arg.options.move_files = true;
    arg.options.write_global_seqno = false;  // the seqno lives in the MANIFEST only
    args.push_back(std::move(arg));
    return absl::OkStatus();
  };
  absl::Status s = absl::OkStatus();
  if (!lists.empty()) {  // a buffer of token-less units has no postings
    s = write_file(Cf::kPostings, "postings", [&](rocksdb::SstFileWriter& w) {
      rocksdb::Status st;
      ForEachPostingOp(lists, memory, [&](const std::string& key, const std::string& op) {
        if (st.ok()) st = w.Merge(S(key), S(op));
      });
      return st;
    });
  }
  if (s.ok()) {
    s = write_file(Cf::kExact, "exact", [&](rocksdb::SstFileWriter& w) {
      rocksdb::Status st;
      ForEachExactKey(exact, memory, [&](const std::string& key) {
        if (st.ok()) st = w.Put(S(key), rocksdb::Slice());
      });
      return st;
    });
  }
  if (s.ok()) {
    rocksdb::Status st = rocks.db->IngestExternalFiles(args);
    if (!st.ok()) s = FromRocks(st, "ingest index files");
  }
  // Moved files are gone from `dir` once ingested; anything left is ours
  // (and is removed at the next open if this fails).
  (void)RemoveFiles(paths);
  if (!s.ok()) return s;
  rocksdb::Status st = rocks.db->Put(rocksdb::WriteOptions(), rocks.cf(Cf::kMemories),
                                     S(IndexedUptoKey(memory)), S(upto));
  if (!st.ok()) return FromRocks(st, "write index watermark");
  Clear();
  return absl::OkStatus();
}

}  // namespace qantara::storage
