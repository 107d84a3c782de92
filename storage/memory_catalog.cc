// The catalog of memories: open, create, list, get and delete memories, the
// store's statistics, and the waits of tests and benchmarks.

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "rocksdb/write_batch.h"
#include "service/base/status_macros.h"
#include "storage/internal/keys.h"
#include "storage/internal/rocks_memory_store.h"
#include "storage/internal/scan.h"
#include "storage/internal/status.h"

namespace qantara::storage {

absl::StatusOr<std::unique_ptr<MemoryStore>> MemoryStore::Open(Store& store,
                                                               const MemoryStoreOptions& options) {
  auto ms = std::make_unique<internal::RocksMemoryStore>(store, options);
  QANTARA_RETURN_IF_ERROR(ms->Load());
  return std::unique_ptr<MemoryStore>(std::move(ms));
}

namespace internal {
namespace {

// The longest memory name: names are keys (storage/FORMAT.md).
constexpr size_t kMaxNameBytes = 200;

}  // namespace

absl::Status NoMemory(const std::string& name) {
  return absl::NotFoundError(absl::StrCat("no memory named '", name, "'"));
}

RocksMemoryStore::RocksMemoryStore(Store& store, const MemoryStoreOptions& options)
    : store_(store),
      rocks_(Rocks(store)),
      options_(options),
      compactor_(
          rocks_, [this](uint32_t id) { return IndexBusy(id); },
          IndexCompactorOptions{options.compact_after_quiet, options.compact_min_runs}) {}

RocksMemoryStore::~RocksMemoryStore() {
  stop_ = true;
  compactor_.Stop();  // waits for a compaction running
  WaitForWarmUp();
  // Write what is buffered (else the next open rebuilds it from unit keys).
  if (rocks_.db == nullptr) return;  // the store was closed first
  for (const auto& state : AllStates()) {
    absl::WriterMutexLock w(&state->rw);
    // Best effort: what is not written is rebuilt from the unit keys at the
    // next open (recovery.cc), so a failure here loses nothing.
    absl::Status s = FlushPending(rocks_, *state, options_);
    s.IgnoreError();
  }
}

absl::Status RocksMemoryStore::Load() {
  QANTARA_RETURN_IF_ERROR(IndexBuffer::RemoveLeftovers(store_.dir()));
  std::vector<MemoryRecord> records;
  absl::Status scan = ScanAll(
      rocks_, Cf::kMemories, rocksdb::ReadOptions(), "m", "n",
      [&](std::string_view, std::string_view value) -> absl::Status {
        auto rec = DecodeMemoryRecord(value);
        if (!rec.ok()) return rec.status();
        records.push_back(*std::move(rec));
        return absl::OkStatus();
      },
      "read memories");
  if (!scan.ok()) return scan;
  std::vector<uint32_t> ids;
  for (MemoryRecord& rec : records) {
    auto state = std::make_shared<MemState>(std::move(rec));
    {
      absl::WriterMutexLock w(&state->rw);
      state->committed_next_id = state->rec.next_unit_id;
      QANTARA_RETURN_IF_ERROR(RecoverPending(*state));
      absl::MutexLock l(&mu_);
      memories_[state->rec.name] = state;
    }
    ids.push_back(state->id);
  }
  // A load that ended with the server (or crashed) is compacted now.
  for (uint32_t id : ids) compactor_.NoteWrite(id);
  auto next = store_.Get(Cf::kMeta, kMetaNextMemoryIdKey);
  if (!next.ok()) return next.status();
  absl::MutexLock l(&mu_);
  next_memory_id_ = next->has_value() && (*next)->size() == 4 ? DecodeFixed32BE((*next)->data()) : 1;
  return absl::OkStatus();
}

absl::StatusOr<MemoryInfo> RocksMemoryStore::CreateMemory(const NewMemory& m) {
  if (m.name.empty() || m.name.size() > kMaxNameBytes) {
    return absl::InvalidArgumentError(absl::StrCat("memory name must be 1 to ", kMaxNameBytes, " bytes"));
  }
  absl::MutexLock l(&mu_);
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
  rocksdb::Status s = rocks_.db->Write(rocksdb::WriteOptions(), &batch);
  if (!s.ok()) return FromRocks(s, "create memory");
  ++next_memory_id_;
  MemoryInfo info = InfoOf(rec);
  auto state = std::make_shared<MemState>(std::move(rec));
  {
    absl::WriterMutexLock w(&state->rw);
    state->source_hashes = std::make_unique<HashFilter>();  // a new id: no unit yet
  }
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

absl::StatusOr<MemoryInfo> RocksMemoryStore::GetMemory(const std::string& name) {
  auto state = Find(name);
  if (!state.ok()) return state.status();
  absl::ReaderMutexLock r(&(*state)->rw);
  return InfoOf((*state)->rec);
}

absl::Status RocksMemoryStore::DeleteMemory(const std::string& name) {
  std::shared_ptr<MemState> state;
  {
    absl::MutexLock l(&mu_);
    auto it = memories_.find(name);
    if (it == memories_.end()) return NoMemory(name);
    state = it->second;
    memories_.erase(it);
  }
  absl::WriterMutexLock w(&state->rw);
  // A background index write must not land after the range deletes; its
  // error does not matter, as everything it wrote is deleted next.
  absl::Status finished = state->pending.Finish();
  finished.IgnoreError();
  const uint32_t id = state->id;
  compactor_.Forget(id);
  const std::string lo = MemoryPrefix(id), hi = MemoryPrefix(id + 1);
  rocksdb::WriteBatch batch;
  batch.Delete(rocks_.cf(Cf::kMemories), AsSlice(MemoryNameKey(name)));
  batch.Delete(rocks_.cf(Cf::kMemories), AsSlice(MemoryRecordKey(id)));
  batch.Delete(rocks_.cf(Cf::kMemories), AsSlice(IndexedUptoKey(id)));
  for (Cf cf : {Cf::kUnits, Cf::kUnitKeys, Cf::kPostings, Cf::kExact, Cf::kLexicons}) {
    batch.DeleteRange(rocks_.cf(cf), AsSlice(lo), AsSlice(hi));
  }
  rocksdb::Status s = rocks_.db->Write(rocksdb::WriteOptions(), &batch);
  if (!s.ok()) {
    absl::MutexLock l(&mu_);
    memories_[name] = state;
    return FromRocks(s, "delete memory");
  }
  state->keys_complete = false;
  ++state->generation;
  state->pending.Clear();
  absl::MutexLock f(&state->fill);
  state->postings.clear();
  state->exact.clear();
  state->keys.clear();
  return absl::OkStatus();
}

absl::StatusOr<StoreStats> RocksMemoryStore::Stats() {
  StoreStats stats;
  for (const auto& s : AllStates()) {
    absl::ReaderMutexLock r(&s->rw);
    absl::MutexLock f(&s->fill);
    ++stats.memories;
    stats.units += s->rec.unit_count;
    stats.cached_postings += s->postings.size();
    stats.cached_unit_keys += s->keys.size();
  }
  stats.disk_bytes = store_.DiskBytes();
  return stats;
}

absl::Status RocksMemoryStore::WaitForIndexWrites() {
  absl::Status result = absl::OkStatus();
  for (const auto& st : AllStates()) {
    absl::WriterMutexLock w(&st->rw);
    ++st->generation;
    absl::Status s = st->pending.Finish();
    if (result.ok()) result = s;
  }
  return result;
}

void RocksMemoryStore::WaitForIndexCompactions() { compactor_.WaitIdle(); }

absl::StatusOr<std::shared_ptr<MemState>> RocksMemoryStore::Find(const std::string& name) {
  absl::MutexLock l(&mu_);
  auto it = memories_.find(name);
  if (it == memories_.end()) return NoMemory(name);
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
