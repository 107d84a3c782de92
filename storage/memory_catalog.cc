// The catalog of memories: open, create, list, get and delete memories, the
// store's statistics, and the waits of tests and benchmarks.

#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "rocksdb/write_batch.h"
#include "service/base/status_macros.h"
#include "storage/internal/keys.h"
#include "storage/internal/rocks_memory_store.h"
#include "storage/internal/scan.h"
#include "storage/internal/status.h"
#include "storage/internal/write_gate.h"
#include "storage/limits.h"

namespace qantara::storage {

absl::StatusOr<std::unique_ptr<MemoryStore>> MemoryStore::Open(Store& store,
                                                               const MemoryStoreOptions& options) {
  auto ms = std::make_unique<internal::RocksMemoryStore>(store, options);
  QANTARA_RETURN_IF_ERROR(ms->Load());
  return std::unique_ptr<MemoryStore>(std::move(ms));
}

namespace internal {
namespace {

// "id N" of a memory-record key, for reports.
std::string MemoryIdOfKeyForReport(std::string_view key) {
  if (key.size() != 5) return absl::StrCat("with a malformed key of ", key.size(), " bytes");
  return absl::StrCat("id ", DecodeFixed32BE(key.data() + 1));
}

}  // namespace

absl::Status NoMemory(const MemoryRef& memory) {
  if (memory.id != 0) {
    return absl::NotFoundError(
        absl::StrCat("memory '", memory.name, "' (id ", memory.id, ") was deleted during the request"));
  }
  return absl::NotFoundError(absl::StrCat("no memory named '", memory.name, "'"));
}

absl::Status CheckLive(const MemState& state) {
  if (!state.deleted) return absl::OkStatus();
  return absl::NotFoundError(
      absl::StrCat("memory '", state.rec.name, "' (id ", state.id, ") was deleted during the request"));
}

RocksMemoryStore::RocksMemoryStore(Store& store, const MemoryStoreOptions& options)
    : store_(store),
      rocks_(Rocks(store)),
      options_(options),
      cache_budget_(std::make_shared<CacheBudget>(options.cache_bytes)),
      key_budget_(std::make_shared<KeyBudget>(options.key_cache_bytes)),
      compactor_(
          rocks_, [this](uint32_t id) { return IndexBusy(id); },
          IndexCompactorOptions{options.compact_after_quiet, options.compact_min_runs},
          [this](uint32_t id) { return RemoveTombstone(id); }) {
  rocks_.with_live_memory = [this](const MemoryRef& memory,
                                   const std::function<absl::Status(uint32_t)>& fn) -> absl::Status {
    QANTARA_ASSIGN_OR_RETURN(std::shared_ptr<MemState> state, Find(memory));
    WriteLock w(*state);
    QANTARA_RETURN_IF_ERROR(CheckLive(*state));
    return fn(state->id);
  };
}

RocksMemoryStore::~RocksMemoryStore() {
  rocks_.with_live_memory = nullptr;
  stop_ = true;
  compactor_.Stop();  // waits for a compaction running
  WaitForWarmUp();
  // Write what is buffered (else the next open rebuilds it from unit keys).
  if (rocks_.db == nullptr) return;  // the store was closed first
  for (const auto& state : AllStates()) {
    WriteLock w(*state);
    // Best effort: what is not written is rebuilt from the unit keys at the
    // next open (recovery.cc), so a failure here loses nothing.
    absl::Status s = FlushPending(rocks_, *state, options_);
    s.IgnoreError();
  }
}

absl::Status RocksMemoryStore::Load() {
  QANTARA_RETURN_IF_ERROR(IndexBuffer::RemoveLeftovers(store_.dir()));
  // A record that does not decode is reported (Stats().problems) and its
  // memory left out: the others are served (`--check` names it).
  std::vector<MemoryRecord> records;
  std::vector<std::string> problems;
  QANTARA_RETURN_IF_ERROR(ScanAll(
      rocks_, Cf::kMemories, rocksdb::ReadOptions(), "m", "n",
      [&](std::string_view key, std::string_view value) -> absl::Status {
        auto rec = DecodeMemoryRecord(value);
        if (!rec.ok()) {
          problems.push_back(absl::StrCat("memory record ", MemoryIdOfKeyForReport(key), ": ",
                                          rec.status().message(), " (memory not served)"));
          return absl::OkStatus();
        }
        records.push_back(*std::move(rec));
        return absl::OkStatus();
      },
      "read memories"));
  // Deleted memories whose key range is not compacted away yet.
  std::vector<uint32_t> purges;
  QANTARA_RETURN_IF_ERROR(ScanAll(
      rocks_, Cf::kMemories, rocksdb::ReadOptions(), "d", "e",
      [&](std::string_view key, std::string_view) -> absl::Status {
        if (key.size() == 5) purges.push_back(DecodeFixed32BE(key.data() + 1));
        return absl::OkStatus();
      },
      "read memory tombstones"));
  std::vector<uint32_t> ids;
  for (MemoryRecord& rec : records) {
    auto state = std::make_shared<MemState>(std::move(rec), cache_budget_, key_budget_);
    std::string name;
    {
      WriteLock w(*state);
      name = state->rec.name;
      state->committed_next_id = state->rec.next_unit_id;
      if (absl::Status s = RecoverPending(*state, problems); !s.ok()) {
        problems.push_back(
            absl::StrCat("memory '", state->rec.name, "': ", s.message(), " (memory not served)"));
        continue;
      }
    }
    {
      absl::MutexLock l(&mu_);  // never inside a memory's lock
      memories_[name] = state;
    }
    ids.push_back(state->id);
  }
  // A load that ended with the server (or crashed) is compacted now.
  for (uint32_t id : ids) compactor_.NoteWrite(id);
  for (uint32_t id : purges) compactor_.Purge(id);
  auto next = store_.Get(Cf::kMeta, kMetaNextMemoryIdKey);
  if (!next.ok()) return next.status();
  absl::MutexLock l(&mu_);
  problems_ = std::move(problems);
  next_memory_id_ = next->has_value() && (*next)->size() == 4 ? DecodeFixed32BE((*next)->data()) : 1;
  return absl::OkStatus();
}

absl::StatusOr<MemoryInfo> RocksMemoryStore::CreateMemory(const NewMemory& m) {
  QANTARA_ASSIGN_OR_RETURN(MemoryInfo info, CreateMemoryLocked(m));
  QANTARA_RETURN_IF_ERROR(rocks_.Durable());
  return info;
}

absl::StatusOr<MemoryInfo> RocksMemoryStore::CreateMemoryLocked(const NewMemory& m) {
  if (m.name.empty() || m.name.size() > kMaxMemoryNameBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("memory name must be 1 to ", kMaxMemoryNameBytes, " bytes"));
  }
  if (m.description.size() > kMaxDescriptionBytes) {
    return absl::InvalidArgumentError(absl::StrCat("memory description has ", m.description.size(),
                                                   " bytes; at most ", kMaxDescriptionBytes));
  }
  absl::MutexLock l(&mu_);
  if (memories_.size() >= kMaxMemories) {
    return absl::ResourceExhaustedError(absl::StrCat("the store holds ", memories_.size(),
                                                     " memories, the most it serves (", kMaxMemories,
                                                     "); delete one first"));
  }
  if (memories_.contains(m.name)) {
    return absl::AlreadyExistsError(absl::StrCat("memory '", m.name, "' already exists"));
  }
  MemoryRecord rec;
  rec.id = next_memory_id_;
  rec.name = m.name;
  rec.source_lang = m.source_lang;
  rec.target_lang = m.target_lang;
  rec.description = m.description;
  rec.created_at_us = absl::ToUnixMicros(absl::Now());
  rocksdb::WriteBatch batch;
  std::string id;
  PutFixed32BE(id, rec.id);
  std::string next;
  PutFixed32BE(next, rec.id + 1);
  batch.Put(rocks_.cf(Cf::kMemories), AsSlice(MemoryNameKey(rec.name)), AsSlice(id));
  batch.Put(rocks_.cf(Cf::kMemories), AsSlice(MemoryRecordKey(rec.id)), AsSlice(EncodeMemoryRecord(rec)));
  batch.Put(rocks_.cf(Cf::kMeta), AsSlice(kMetaNextMemoryIdKey), AsSlice(next));
  rocksdb::Status s = rocks_.db->Write(rocks_.write, &batch);
  if (!s.ok()) return FromRocks(s, "create memory");
  ++next_memory_id_;
  MemoryInfo info = InfoOf(rec);
  auto state = std::make_shared<MemState>(std::move(rec), cache_budget_, key_budget_);
  {
    WriteLock w(*state);
    state->source_hashes = std::make_unique<HashFilter>();  // a new id: no unit yet
  }
  state->tokens_complete = true;  // no unit yet; writers add theirs
  memories_[m.name] = std::move(state);
  return info;
}

absl::StatusOr<std::vector<MemoryInfo>> RocksMemoryStore::ListMemories() {
  std::vector<MemoryInfo> out;
  for (const auto& s : AllStates()) {
    absl::ReaderMutexLock r(&s->rw);
    out.push_back(InfoOf(s->rec));
  }
  return out;
}

absl::StatusOr<MemoryInfo> RocksMemoryStore::GetMemory(const MemoryRef& memory) {
  QANTARA_ASSIGN_OR_RETURN(std::shared_ptr<MemState> state, Find(memory));
  absl::ReaderMutexLock r(&state->rw);
  QANTARA_RETURN_IF_ERROR(CheckLive(*state));
  return InfoOf(state->rec);
}

absl::Status RocksMemoryStore::DeleteMemory(const MemoryRef& memory) {
  QANTARA_RETURN_IF_ERROR(DeleteMemoryLocked(memory));
  return rocks_.Durable();
}

absl::Status RocksMemoryStore::DeleteMemoryLocked(const MemoryRef& memory) {
  QANTARA_ASSIGN_OR_RETURN(std::shared_ptr<MemState> state, Find(memory));
  uint32_t id = 0;
  std::string name;
  {
    // Writers that found the memory before wait for this lock, then see
    // `deleted` and fail: none writes the record back after the delete.
    WriteLock w(*state);
    QANTARA_RETURN_IF_ERROR(CheckLive(*state));
    // A background index write must not land after the range deletes; its
    // error does not matter, as everything it wrote is deleted next.
    absl::Status finished = state->pending.Finish();
    finished.IgnoreError();
    id = state->id;
    name = state->rec.name;
    compactor_.Forget(id);
    const std::string lo = MemoryPrefix(id), hi = MemoryPrefix(id + 1);
    std::string tombstone;
    tombstone.push_back(1);
    PutString(tombstone, name);
    rocksdb::WriteBatch batch;
    batch.Delete(rocks_.cf(Cf::kMemories), AsSlice(MemoryNameKey(name)));
    batch.Delete(rocks_.cf(Cf::kMemories), AsSlice(MemoryRecordKey(id)));
    batch.Delete(rocks_.cf(Cf::kMemories), AsSlice(IndexedUptoKey(id)));
    batch.Put(rocks_.cf(Cf::kMemories), AsSlice(TombstoneKey(id)), AsSlice(tombstone));
    batch.DeleteRange(rocks_.cf(Cf::kMemories), AsSlice(ProgressKey(id, "")),
                      AsSlice(ProgressKey(id + 1, "")));
    for (Cf cf : {Cf::kUnits, Cf::kUnitKeys, Cf::kPostings, Cf::kExact, Cf::kLexicons}) {
      batch.DeleteRange(rocks_.cf(cf), AsSlice(lo), AsSlice(hi));
    }
    rocksdb::Status s = rocks_.db->Write(rocks_.write, &batch);
    if (!s.ok()) return FromRocks(s, "delete memory");
    state->deleted = true;
    state->keys_complete = false;
    state->tokens_complete = false;
    ++state->generation;
    state->pending.Clear();
    {
      absl::MutexLock f(&state->fill);
      state->postings.Clear();
      state->exact.Clear();
      state->keys.Clear();
    }
  }
  // Outside the memory's lock (the catalog's lock is never taken inside
  // one). Until then, Find() may still hand out the state: its `deleted`
  // turns callers away.
  {
    absl::MutexLock l(&mu_);
    auto it = memories_.find(name);
    if (it != memories_.end() && it->second == state) memories_.erase(it);
  }
  compactor_.Purge(id);  // drops the range from disk, then the tombstone
  return absl::OkStatus();
}

absl::Status RocksMemoryStore::RemoveTombstone(uint32_t id) {
  if (rocks_.db == nullptr) return absl::FailedPreconditionError("store is closed");
  rocksdb::Status s = rocks_.db->Delete(rocks_.write, rocks_.cf(Cf::kMemories), AsSlice(TombstoneKey(id)));
  return s.ok() ? absl::OkStatus() : FromRocks(s, "remove a memory tombstone");
}

absl::StatusOr<StoreStats> RocksMemoryStore::Stats() {
  StoreStats stats;
  for (const auto& s : AllStates()) {
    absl::ReaderMutexLock r(&s->rw);
    absl::MutexLock f(&s->fill);
    ++stats.memories;
    stats.units += s->rec.unit_count;
    stats.cached_postings += s->postings.size();
    stats.cached_exact += s->exact.size();
    stats.cached_unit_keys += s->keys.size();
    stats.cached_unit_keys_bytes += s->keys.bytes() + TokenKeyBytes(*s);
    if (s->keys_uncached) ++stats.memories_keys_uncached;
    stats.sketched_units += s->sketches.units();
    stats.sketch_bytes += s->sketches.bytes();
    stats.index_buffered_units += s->pending.units();
  }
  stats.index_compactions = compactor_.compactions();
  std::tie(stats.index_compactions_pending, stats.index_compaction_running) = compactor_.Pending();
  stats.cache_budget_bytes = cache_budget_->limit();
  stats.key_cache_budget_bytes = key_budget_->limit();
  stats.cached_bytes = cache_budget_->used();
  stats.cache_hits = cache_budget_->hits.load();
  stats.cache_misses = cache_budget_->misses.load();
  stats.cache_evictions = cache_budget_->evictions.load();
  stats.disk_bytes = store_.DiskBytes();
  const Store::MemoryUse rocks = store_.RocksMemory();
  stats.rocks_block_cache_bytes = rocks.block_cache_bytes;
  stats.rocks_memtable_bytes = rocks.memtable_bytes;
  stats.rocks_table_reader_bytes = rocks.table_reader_bytes;
  absl::MutexLock l(&mu_);
  stats.problems = problems_;
  return stats;
}

absl::StatusOr<std::vector<MemoryUsage>> RocksMemoryStore::Usage(size_t limit, size_t* total) {
  std::vector<std::shared_ptr<MemState>> states = AllStates();  // by name
  if (total != nullptr) *total = states.size();
  if (states.size() > limit) states.resize(limit);
  std::vector<MemoryUsage> out;
  out.reserve(states.size());
  rocksdb::SizeApproximationOptions sizes;
  sizes.include_memtables = true;
  sizes.include_files = true;
  for (const auto& s : states) {
    MemoryUsage u;
    {
      absl::ReaderMutexLock r(&s->rw);
      if (s->deleted) continue;
      u.name = s->rec.name;
      u.units = s->rec.unit_count;
      u.buffered_index_units = s->pending.units();
    }
    const std::string lo = MemoryPrefix(s->id), hi = MemoryPrefix(s->id + 1);
    const rocksdb::Range range(AsSlice(lo), AsSlice(hi));
    for (Cf cf : {Cf::kUnits, Cf::kUnitKeys, Cf::kPostings, Cf::kExact, Cf::kLexicons}) {
      uint64_t bytes = 0;
      rocksdb::Status st = rocks_.db->GetApproximateSizes(sizes, rocks_.cf(cf), &range, 1, &bytes);
      if (!st.ok()) return FromRocks(st, "approximate sizes");
      u.disk_bytes += bytes;
    }
    out.push_back(std::move(u));
  }
  return out;
}

absl::Status RocksMemoryStore::WaitForIndexWrites() {
  absl::Status result = absl::OkStatus();
  for (const auto& st : AllStates()) {
    WriteLock w(*st);
    ++st->generation;
    absl::Status s = st->pending.Finish();
    if (s.ok()) s = std::exchange(st->index_error, absl::OkStatus());
    if (result.ok()) result = s;
  }
  return result;
}

void RocksMemoryStore::WaitForIndexCompactions() { compactor_.WaitIdle(); }

absl::StatusOr<std::shared_ptr<MemState>> RocksMemoryStore::Find(const MemoryRef& memory) {
  absl::MutexLock l(&mu_);
  auto it = memories_.find(memory.name);
  if (it == memories_.end() || (memory.id != 0 && it->second->id != memory.id)) return NoMemory(memory);
  return it->second;
}

std::vector<std::shared_ptr<MemState>> RocksMemoryStore::AllStates() {
  std::vector<std::shared_ptr<MemState>> states;
  absl::MutexLock l(&mu_);
  states.reserve(memories_.size());
  for (const auto& [name, st] : memories_) states.push_back(st);
  return states;
}

bool RocksMemoryStore::IndexBusy(uint32_t id) {
  std::shared_ptr<MemState> state;
  {
    absl::MutexLock l(&mu_);
    for (const auto& [name, st] : memories_) {
      if (st->id == id) state = st;
    }
  }
  if (state == nullptr) return false;
  if (!state->rw.ReaderTryLock()) return true;
  const bool writing = state->pending.Writing();
  state->rw.ReaderUnlock();
  return writing;
}

}  // namespace internal
}  // namespace qantara::storage
