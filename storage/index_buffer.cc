#include "storage/index_buffer.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <thread>
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
  std::lock_guard<std::mutex> l(mu_);
  posting_index_ = {};
  exact_index_ = {};
  postings_indexed_ = exact_indexed_ = 0;
}

void IndexBuffer::CatchUpPostings() const {
  for (; postings_indexed_ < postings_.size(); ++postings_indexed_) {
    const auto& [pid, id] = postings_[postings_indexed_];
    posting_index_[pid].push_back(id);
  }
}

void IndexBuffer::CatchUpExact() const {
  for (; exact_indexed_ < exact_.size(); ++exact_indexed_) {
    const auto& [eid, id] = exact_[exact_indexed_];
    exact_index_[eid].push_back(id);
  }
}

match::UnitIds IndexBuffer::Postings(const PostingId& pid) const {
  std::lock_guard<std::mutex> l(mu_);
  CatchUpPostings();
  auto it = posting_index_.find(pid);
  return it == posting_index_.end() ? match::UnitIds{} : it->second;
}

match::UnitIds IndexBuffer::Exact(const ExactId& eid) const {
  std::lock_guard<std::mutex> l(mu_);
  CatchUpExact();  // only the exact part: duplicate checks of bulk adds read it
  auto it = exact_index_.find(eid);
  return it == exact_index_.end() ? match::UnitIds{} : it->second;
}

namespace {

using PostingLog = std::vector<std::pair<PostingId, uint64_t>>;
using ExactLog = std::vector<std::pair<ExactId, uint64_t>>;

// The capped length of PostingKey: lengths above the cap share a key, and
// their ids go into one operand.
uint32_t KeyLength(uint32_t length) { return std::min<uint32_t>(length, 0xffff); }

// Key order of the posting log: (side, token key, key length) compares like
// the PostingKey (big-endian fields), then the unit id.
inline bool PostingLess(const std::pair<PostingId, uint64_t>& a, const std::pair<PostingId, uint64_t>& b) {
  if (a.first.side != b.first.side) return a.first.side < b.first.side;
  if (a.first.key != b.first.key) return a.first.key < b.first.key;
  const uint32_t la = KeyLength(a.first.length), lb = KeyLength(b.first.length);
  if (la != lb) return la < lb;
  return a.second < b.second;
}
bool SameKey(const PostingId& a, const PostingId& b) {
  return a.side == b.side && a.key == b.key && KeyLength(a.length) == KeyLength(b.length);
}

inline bool ExactLess(const std::pair<ExactId, uint64_t>& a, const std::pair<ExactId, uint64_t>& b) {
  return std::tie(a.first.side, a.first.hash, a.second) < std::tie(b.first.side, b.first.hash, b.second);
}

// Calls fn(key, operand) for every posting key of the buffer in key order.
// REQUIRES: `log` is sorted by PostingLess.
template <typename Fn>
void ForEachPostingOp(const PostingLog& log, uint32_t memory, Fn&& fn) {
  std::string key, op;
  for (size_t i = 0; i < log.size();) {
    const PostingId& pid = log[i].first;
    key = PostingKey(memory, static_cast<match::Side>(pid.side), pid.key, pid.length);
    op.clear();
    for (; i < log.size() && SameKey(log[i].first, pid); ++i) {
      if (i > 0 && log[i].second == log[i - 1].second && SameKey(log[i - 1].first, pid)) continue;
      AppendPostingOp(op, log[i].second, /*remove=*/false);
    }
    fn(key, op);
  }
}

// Calls fn(key) for every exact key of the buffer in key order.
// REQUIRES: `log` is sorted by ExactLess.
template <typename Fn>
void ForEachExactKey(const ExactLog& log, uint32_t memory, Fn&& fn) {
  std::string key;
  for (size_t i = 0; i < log.size(); ++i) {
    const auto& [eid, id] = log[i];
    if (i > 0 && log[i - 1].first == eid && log[i - 1].second == id) continue;
    key.clear();
    PutFixed32BE(key, memory);
    key.push_back(static_cast<char>(eid.side));
    PutFixed64BE(key, eid.hash);
    PutFixed64BE(key, id);
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
  // Sorted in place (key order for the memtable or the SST writer); the
  // readers' index of the log positions starts again.
  // Big logs are sorted on two threads: the source side's postings here,
  // the target side's and the exact entries on a helper (side is the first
  // key field, so the two halves are in key order one after the other).
  {
    auto by_posting = [](const auto& a, const auto& b) { return PostingLess(a, b); };
    auto by_exact = [](const auto& a, const auto& b) { return ExactLess(a, b); };
    auto mid = std::partition(postings_.begin(), postings_.end(),
                              [](const auto& e) { return e.first.side == 0; });
    auto sort_rest = [&] {
      std::sort(mid, postings_.end(), by_posting);
      std::sort(exact_.begin(), exact_.end(), by_exact);
    };
    std::thread helper;
    if (postings_.size() >= 100000) {
      helper = std::thread(sort_rest);
    } else {
      sort_rest();
    }
    std::sort(postings_.begin(), mid, by_posting);
    if (helper.joinable()) helper.join();
  }
  {
    std::lock_guard<std::mutex> l(mu_);
    posting_index_ = {};
    exact_index_ = {};
    postings_indexed_ = exact_indexed_ = 0;
  }
  const PostingLog& lists = postings_;
  const ExactLog& exact = exact_;
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
    rocksdb::Options options = rocks.db->GetOptions(h);
    // Not compressed: the file goes to level 0 and is soon rewritten by a
    // compaction (which compresses), and the writer waits for this one.
    options.compression = rocksdb::kNoCompression;
    rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), options, h);
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
