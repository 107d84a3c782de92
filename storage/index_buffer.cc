// IndexBuffer: bulk adds' postings and exact entries packed in memory, sorted,
// read alongside RocksDB, and written out as ingested SST files.
#include "storage/internal/index_buffer.h"

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/sst_file_writer.h"
#include "rocksdb/write_batch.h"
#include "service/base/ignore_error.h"
#include "storage/internal/encoding.h"
#include "storage/internal/rocks.h"
#include "storage/internal/status.h"
#include "storage/limits.h"

namespace qantara::storage {

using internal::AsSlice;

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

namespace {

using Log = std::vector<PackedEntry>;

constexpr uint64_t kIdBits = 47;
constexpr uint64_t kIdMask = (uint64_t{1} << kIdBits) - 1;
static_assert(kMaxUnitId <= kIdMask, "a unit id must fit a packed posting");
constexpr uint64_t kExactIdMask = (uint64_t{1} << 63) - 1;

// The capped length of PostingKey: lengths above the cap share a key.
uint32_t KeyLength(uint32_t length) { return std::min<uint32_t>(length, 0xffff); }

PackedEntry PackPosting(const PostingId& p, uint64_t id) {
  return PackedEntry{(uint64_t{p.side} << 63) | (p.key >> 1),
                     (p.key << 63) | (uint64_t{KeyLength(p.length)} << kIdBits) | (id & kIdMask)};
}
PackedEntry PackExact(const ExactId& e, uint64_t id) {
  return PackedEntry{(uint64_t{e.side} << 63) | (e.hash >> 1), (e.hash << 63) | (id & kExactIdMask)};
}
uint8_t SideOf(const PackedEntry& e) { return static_cast<uint8_t>(e.hi >> 63); }
uint64_t KeyOf(const PackedEntry& e) { return (e.hi << 1) | (e.lo >> 63); }
uint32_t LengthOf(const PackedEntry& e) { return static_cast<uint32_t>((e.lo >> kIdBits) & 0xffff); }
uint64_t PostingIdOf(const PackedEntry& e) { return e.lo & kIdMask; }
uint64_t ExactIdOf(const PackedEntry& e) { return e.lo & kExactIdMask; }
// The entry without its unit id (the readers' index key).
std::pair<uint64_t, uint64_t> PostingEntry(const PackedEntry& e) { return {e.hi, e.lo & ~kIdMask}; }
std::pair<uint64_t, uint64_t> ExactEntry(const PackedEntry& e) { return {e.hi, e.lo & ~kExactIdMask}; }

// Appends the ids of `probe`'s entry in `log` to `out`: by binary search
// when `sorted`, else through `index` (brought up to date from `*indexed`).
template <typename EntryOf, typename IdOf>
void Lookup(const Log& log, bool sorted, PackedEntry probe, EntryOf entry_of, IdOf id_of,
            absl::flat_hash_map<std::pair<uint64_t, uint64_t>, match::UnitIds>& index, size_t* indexed,
            match::UnitIds& out) {
  const auto want = entry_of(probe);
  if (sorted) {
    for (auto it = std::lower_bound(log.begin(), log.end(), probe); it != log.end() && entry_of(*it) == want;
         ++it) {
      if (out.empty() || out.back() != id_of(*it)) out.push_back(id_of(*it));
    }
    return;
  }
  for (; *indexed < log.size(); ++*indexed) {
    const PackedEntry& e = log[*indexed];
    match::UnitIds& ids = index[entry_of(e)];
    if (ids.empty() || ids.back() != id_of(e)) ids.push_back(id_of(e));
  }
  auto it = index.find(want);
  if (it != index.end()) out.insert(out.end(), it->second.begin(), it->second.end());
}

// Calls fn(key, operand) for every posting key of the log in key order.
// REQUIRES: `log` is sorted.
template <typename Fn>
void ForEachPostingOp(const Log& log, uint32_t memory, Fn&& fn) {
  std::string key, op;
  for (size_t i = 0; i < log.size();) {
    const auto entry = PostingEntry(log[i]);
    key = PostingKey(memory, static_cast<match::Side>(SideOf(log[i])), KeyOf(log[i]), LengthOf(log[i]));
    op.clear();
    for (; i < log.size() && PostingEntry(log[i]) == entry; ++i) {
      if (i > 0 && log[i] == log[i - 1]) continue;
      AppendPostingOp(op, PostingIdOf(log[i]), /*remove=*/false);
    }
    fn(key, op);
  }
}

// Calls fn(key, value) for every exact entry of the log in key order, the
// value of the unit's date in `part` (empty when it has none).
// REQUIRES: `log` is sorted.
template <typename Fn>
void ForEachExactKey(const Log& log, const IndexBuffer::Part& part, uint32_t memory, Fn&& fn) {
  std::string key, value;
  for (size_t i = 0; i < log.size(); ++i) {
    if (i > 0 && log[i] == log[i - 1]) continue;
    key.clear();
    PutFixed32BE(key, memory);
    key.push_back(static_cast<char>(SideOf(log[i])));
    PutFixed64BE(key, KeyOf(log[i]));
    const uint64_t id = ExactIdOf(log[i]);
    PutFixed64BE(key, id);
    const int64_t bound = part.DateBound(id);
    value = bound == match::ExactList::kUnknownChange ? std::string() : ExactValue(bound);
    fn(key, value);
  }
}

// Entries are bucketed by their top 16 bits (side and token key or hash
// bits: hashes spread them evenly), then each bucket is sorted.
constexpr size_t kBuckets = 1 << 16;
size_t BucketOf(const PackedEntry& e) { return e.hi >> 48; }

// Where each bucket of `log` starts once bucketed (kBuckets + 1 offsets).
std::vector<size_t> BucketStarts(const Log& log) {
  std::vector<size_t> start(kBuckets + 1, 0);
  for (const PackedEntry& e : log) ++start[BucketOf(e) + 1];
  for (size_t b = 0; b < kBuckets; ++b) start[b + 1] += start[b];
  return start;
}

// Sorts each bucket of the bucketed `log`; big logs on two threads (a half
// of the buckets each).
void SortBuckets(Log& log, const std::vector<size_t>& start) {
  auto sort_buckets = [&](size_t from, size_t to) {
    for (size_t b = from; b < to; ++b) {
      if (start[b + 1] - start[b] > 1) std::sort(log.begin() + start[b], log.begin() + start[b + 1]);
    }
  };
  if (log.size() >= 100000) {
    std::thread helper(sort_buckets, kBuckets / 2, kBuckets);
    sort_buckets(0, kBuckets / 2);
    helper.join();
  } else {
    sort_buckets(0, kBuckets);
  }
}

// A sorted copy of `log` (a scatter into the buckets, then SortBuckets).
Log SortedCopy(const Log& log) {
  const std::vector<size_t> start = BucketStarts(log);
  Log out(log.size());
  {
    std::vector<size_t> at(start.begin(), start.end() - 1);
    for (const PackedEntry& e : log) out[at[BucketOf(e)]++] = e;
  }
  SortBuckets(out, start);
  return out;
}

// Sorts `log` in place: entries are moved into their buckets along
// permutation cycles (each entry is written once into its place), then
// SortBuckets. No second copy of the log.
void SortInPlace(Log& log) {
  const std::vector<size_t> start = BucketStarts(log);
  std::vector<size_t> next(start.begin(), start.end() - 1);  // first unplaced slot a bucket
  for (size_t b = 0; b < kBuckets; ++b) {
    while (next[b] < start[b + 1]) {
      // Carry the entry at the first unplaced slot of b to its bucket,
      // taking the one there along, until one belongs in b.
      PackedEntry e = log[next[b]];
      for (size_t eb = BucketOf(e); eb != b; eb = BucketOf(e)) std::swap(e, log[next[eb]++]);
      log[next[b]++] = e;
    }
  }
  SortBuckets(log, start);
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

namespace {

// Writes sorted logs of `units` units and the watermark (IndexBuffer::Write).
absl::Status WriteLogs(internal::RocksHandles& rocks, uint32_t memory, uint64_t indexed_upto,
                       size_t min_file_units, const IndexBuffer::Part& part) {
  const Log& lists = part.postings;
  const Log& exact = part.exact;
  const size_t units = part.units;
  std::string upto;
  PutFixed64BE(upto, indexed_upto);

  if (units < min_file_units || !rocks.CanIngest()) {
    // In key order: sequential memtable inserts reuse the skiplist's last
    // position instead of searching from the top.
    rocksdb::WriteBatch batch;
    ForEachPostingOp(lists, memory, [&](const std::string& key, const std::string& op) {
      batch.Merge(rocks.cf(Cf::kPostings), AsSlice(key), AsSlice(op));
    });
    ForEachExactKey(exact, part, memory, [&](const std::string& key, const std::string& value) {
      batch.Put(rocks.cf(Cf::kExact), AsSlice(key), AsSlice(value));
    });
    batch.Put(rocks.cf(Cf::kMemories), AsSlice(IndexedUptoKey(memory)), AsSlice(upto));
    rocksdb::Status st = rocks.db->Write(rocks.write, &batch);
    if (!st.ok()) return FromRocks(st, "write index");
    return absl::OkStatus();
  }

  const std::string dir = IndexBuffer::IngestDir(rocks.db->GetName());
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::InternalError(absl::StrCat("create ", dir, ": ", ec.message()));
  const std::string suffix = absl::StrCat("-", memory, "-", indexed_upto, ".sst");
  std::vector<std::string> paths;
  std::vector<rocksdb::IngestExternalFileArg> args;
  std::optional<absl::ReaderMutexLock> gate;  // see RocksHandles::ingest_gate
  // Writes one SST file of column family `cf` with `add` (keys in order).
  auto write_file = [&](Cf cf, const std::string& name, auto&& add) -> absl::Status {
    rocksdb::ColumnFamilyHandle* h = rocks.cf(cf);
    rocksdb::Options options = rocks.db->GetOptions(h);
    // Not compressed: the file goes to level 0 and is soon rewritten by a
    // compaction (which compresses).
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
        if (st.ok()) st = w.Merge(AsSlice(key), AsSlice(op));
      });
      return st;
    });
  }
  if (s.ok() && !exact.empty()) {
    s = write_file(Cf::kExact, "exact", [&](rocksdb::SstFileWriter& w) {
      rocksdb::Status st;
      ForEachExactKey(exact, part, memory, [&](const std::string& key, const std::string& value) {
        if (st.ok()) st = w.Put(AsSlice(key), AsSlice(value));
      });
      return st;
    });
  }
  if (s.ok() && !args.empty()) {
    // The ingested files are durable at once (RocksDB syncs them and the
    // MANIFEST), while the units they index may still sit unsynced in the
    // WAL: sync it first, so that after a power loss no index entry points
    // at a unit that is not there.
    s = internal::SyncWal(rocks.db);
    if (s.ok()) {
      gate.emplace(rocks.ingest_gate.get());  // until the watermark is written
      rocksdb::Status st = rocks.db->IngestExternalFiles(args);
      if (!st.ok()) s = FromRocks(st, "ingest index files");
    }
  }
  // Moved files are gone from `dir` once ingested; anything left is ours
  // (and is removed at the next open if this fails).
  IgnoreError(RemoveFiles(paths),
              "best effort: the index is written (or `s` says why not), and Open removes "
              "what is left in the ingest dir");
  if (!s.ok()) return s;
  rocksdb::Status st =
      rocks.db->Put(rocks.write, rocks.cf(Cf::kMemories), AsSlice(IndexedUptoKey(memory)), AsSlice(upto));
  if (!st.ok()) return FromRocks(st, "write index watermark");
  return absl::OkStatus();
}

}  // namespace

void IndexBuffer::Part::Postings(PackedEntry probe, match::UnitIds& out) const {
  absl::MutexLock l(&postings_mu);
  Lookup(postings, postings_sorted, probe, PostingEntry, PostingIdOf, posting_index, &postings_indexed, out);
}

bool IndexBuffer::Part::HasToken(uint8_t side, uint64_t key) const {
  absl::MutexLock l(&postings_mu);
  if (postings_sorted) {
    auto it = std::lower_bound(postings.begin(), postings.end(), PackPosting(PostingId{key, 0, side}, 0));
    return it != postings.end() && SideOf(*it) == side && KeyOf(*it) == key;
  }
  for (; tokens_indexed < postings.size(); ++tokens_indexed) {
    const PackedEntry& e = postings[tokens_indexed];
    token_index.insert({SideOf(e), KeyOf(e)});
  }
  return token_index.contains(std::pair<uint64_t, uint64_t>{side, key});
}

void IndexBuffer::Part::Exact(PackedEntry probe, match::UnitIds& out) const {
  absl::MutexLock l(&exact_mu);
  Lookup(exact, exact_sorted, probe, ExactEntry, ExactIdOf, exact_index, &exact_indexed, out);
}

int64_t IndexBuffer::Part::DateBound(uint64_t id) const {
  auto it = std::lower_bound(dates.begin(), dates.end(), std::pair<uint64_t, int64_t>{id, INT64_MIN});
  if (it == dates.end() || it->first != id) return match::ExactList::kUnknownChange;
  return ExactBound(it->second);
}

void IndexBuffer::Part::Sort() {
  // Only this writer sets the flags: they stay as read.
  bool sorted_already;
  {
    absl::MutexLock l(&exact_mu);
    sorted_already = exact_sorted;
  }
  if (!sorted_already) {
    Log sorted = SortedCopy(exact);  // readers only read `exact` meanwhile
    absl::MutexLock l(&exact_mu);
    exact.swap(sorted);
    exact_sorted = true;
    exact_index = {};
    exact_indexed = 0;
  }
  absl::MutexLock l(&postings_mu);
  if (!postings_sorted) {
    posting_index = {};  // freed before the sort, not after
    postings_indexed = 0;
    token_index = {};
    tokens_indexed = 0;
    SortInPlace(postings);
    postings_sorted = true;
  }
}

void IndexBuffer::Part::Unsort() {
  absl::MutexLock lp(&postings_mu);
  absl::MutexLock le(&exact_mu);
  postings_sorted = exact_sorted = false;
}

IndexBuffer::~IndexBuffer() {
  if (thread_.joinable()) thread_.join();
}

void IndexBuffer::AddPosting(const PostingId& pid, uint64_t id) {
  live_->postings.push_back(PackPosting(pid, id));
}
void IndexBuffer::AddExact(const ExactId& eid, uint64_t id) { live_->exact.push_back(PackExact(eid, id)); }
void IndexBuffer::AddPostings(const std::vector<std::pair<PostingId, uint64_t>>& entries) {
  for (const auto& [pid, id] : entries) live_->postings.push_back(PackPosting(pid, id));
}
void IndexBuffer::AddExacts(const std::vector<std::pair<ExactId, uint64_t>>& entries) {
  for (const auto& [eid, id] : entries) live_->exact.push_back(PackExact(eid, id));
}
void IndexBuffer::AddDate(uint64_t id, int64_t changed_at_us) {
  live_->dates.emplace_back(id, changed_at_us);
}
void IndexBuffer::AddDates(const std::vector<std::pair<uint64_t, int64_t>>& dates) {
  live_->dates.insert(live_->dates.end(), dates.begin(), dates.end());
}

match::UnitIds IndexBuffer::Postings(const PostingId& pid) const {
  match::UnitIds out;
  const PackedEntry probe = PackPosting(pid, 0);
  if (frozen_ != nullptr) frozen_->Postings(probe, out);  // lower ids first
  live_->Postings(probe, out);
  return out;
}

bool IndexBuffer::HasToken(uint8_t side, uint64_t key) const {
  if (frozen_ != nullptr && frozen_->HasToken(side, key)) return true;
  return live_->HasToken(side, key);
}

match::ExactList IndexBuffer::Exact(const ExactId& eid) const {
  match::ExactList out;
  const PackedEntry probe = PackExact(eid, 0);
  if (frozen_ != nullptr) frozen_->Exact(probe, out.ids);
  const size_t frozen_ids = out.ids.size();
  live_->Exact(probe, out.ids);
  out.changed_bound.reserve(out.ids.size());
  for (size_t i = 0; i < out.ids.size(); ++i) {
    out.changed_bound.push_back((i < frozen_ids ? *frozen_ : *live_).DateBound(out.ids[i]));
  }
  return out;
}

absl::Status IndexBuffer::Finish() {
  if (frozen_ == nullptr) return absl::OkStatus();
  if (thread_.joinable()) thread_.join();
  absl::Status s = status_;
  std::unique_ptr<Part> frozen = std::move(frozen_);
  done_.store(false, std::memory_order_relaxed);
  if (!s.ok()) {
    // Buffered again, before the newer entries (ids stay ascending).
    auto part = std::move(frozen);
    part->postings.insert(part->postings.end(), live_->postings.begin(), live_->postings.end());
    part->exact.insert(part->exact.end(), live_->exact.begin(), live_->exact.end());
    part->dates.insert(part->dates.end(), live_->dates.begin(), live_->dates.end());
    part->units += live_->units;
    auto fresh = std::make_unique<Part>();
    fresh->postings = std::move(part->postings);
    fresh->exact = std::move(part->exact);
    fresh->dates = std::move(part->dates);
    fresh->units = part->units;
    live_ = std::move(fresh);
  }
  return s;
}

absl::Status IndexBuffer::Write(internal::RocksHandles& rocks, uint32_t memory, uint64_t indexed_upto,
                                size_t min_file_units) {
  if (absl::Status s = Finish(); !s.ok()) return s;
  if (empty()) return absl::OkStatus();
  Part& p = *live_;
  p.Sort();  // key order for the memtable or the SST writer
  absl::Status s = WriteLogs(rocks, memory, indexed_upto, min_file_units, p);
  if (!s.ok()) {
    // Kept; new adds go after the sorted entries (ids still ascend by entry).
    p.Unsort();
    return s;
  }
  live_ = std::make_unique<Part>();
  return absl::OkStatus();
}

absl::Status IndexBuffer::StartWrite(internal::RocksHandles& rocks, uint32_t memory, uint64_t indexed_upto,
                                     size_t min_file_units, BeforeWrite before) {
  if (absl::Status s = Finish(); !s.ok()) return s;
  if (empty()) return absl::OkStatus();
  frozen_ = std::move(live_);
  live_ = std::make_unique<Part>();
  // A bulk load fills buffers of a like size: room for one, so that the logs
  // do not grow by doubling (a copy of the whole log each time, and the
  // old blocks left behind in the allocator). Untouched room costs no memory.
  live_->postings.reserve(frozen_->postings.size() + frozen_->postings.size() / 8);
  live_->exact.reserve(frozen_->exact.size() + frozen_->exact.size() / 8);
  live_->dates.reserve(frozen_->dates.size() + frozen_->dates.size() / 8);
  done_.store(false, std::memory_order_relaxed);
  Part* part = frozen_.get();
  thread_ =
      std::thread([this, part, &rocks, memory, indexed_upto, min_file_units, before = std::move(before)] {
        absl::Status s = before ? before() : absl::OkStatus();
        if (s.ok()) {
          part->Sort();
          s = WriteLogs(rocks, memory, indexed_upto, min_file_units, *part);
        }
        // The logs written are freed at Finish().
        status_ = s;
        done_.store(true, std::memory_order_release);
      });
  return absl::OkStatus();
}

void IndexBuffer::Clear() {
  IgnoreError(Finish(), "what the write failed to write is dropped next, with the rest");
  live_ = std::make_unique<Part>();
}

}  // namespace qantara::storage
