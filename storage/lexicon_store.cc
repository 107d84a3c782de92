// LexiconStore: a memory's learned alignment lexicon encoded as one value in the
// `lexicons` column family, read, written and deleted by memory name.
#include "storage/lexicon_store.h"

#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "service/base/status_macros.h"
#include "storage/internal/encoding.h"
#include "storage/internal/rocks.h"
#include "storage/internal/status.h"

namespace qantara::storage {
namespace {

constexpr uint8_t kLexiconValueVersion = 1;
constexpr char kLexiconKind = 'L';

absl::Status Corrupt() { return absl::DataLossError("corrupt lexicon value"); }

}  // namespace

std::string LexiconKey(uint32_t memory_id) {
  std::string key;
  PutFixed32BE(key, memory_id);
  key.push_back(kLexiconKind);
  return key;
}

std::string EncodeStoredLexicon(const StoredLexicon& lexicon) {
  std::string out;
  out.push_back(static_cast<char>(kLexiconValueVersion));
  PutVarint64(out, lexicon.analysis_version);
  PutVarint64(out, lexicon.trained_units);
  PutVarint64(out, lexicon.trained_pairs);
  PutVarint64(out, lexicon.last_unit_id);
  PutVarint64(out, static_cast<uint64_t>(lexicon.trained_at_us));
  PutVarint64(out, lexicon.entries.size());
  for (const auto& [key, concepts] : lexicon.entries) {
    PutString(out, key);
    PutVarint64(out, concepts.size());
    for (const std::string& c : concepts) PutString(out, c);
  }
  return out;
}

absl::StatusOr<StoredLexicon> DecodeStoredLexicon(std::string_view in) {
  ByteReader r(in);
  uint8_t version = 0;
  if (!r.GetByte(&version) || version != kLexiconValueVersion) return Corrupt();
  StoredLexicon lex;
  uint64_t analysis = 0, at = 0, n = 0;
  if (!r.GetVarint64(&analysis) || analysis > UINT32_MAX || !r.GetVarint64(&lex.trained_units) ||
      !r.GetVarint64(&lex.trained_pairs) || !r.GetVarint64(&lex.last_unit_id) || !r.GetVarint64(&at) ||
      !r.GetVarint64(&n)) {
    return Corrupt();
  }
  lex.analysis_version = static_cast<uint32_t>(analysis);
  lex.trained_at_us = static_cast<int64_t>(at);
  // Every entry takes at least two bytes: a count larger than the input is corrupt.
  if (n > in.size()) return Corrupt();
  lex.entries.reserve(n);
  for (uint64_t k = 0; k < n; ++k) {
    std::string key;
    uint64_t m = 0;
    if (!r.GetString(&key) || !r.GetVarint64(&m) || m > in.size()) return Corrupt();
    std::vector<std::string> concepts(m);
    for (std::string& c : concepts) {
      if (!r.GetString(&c)) return Corrupt();
    }
    lex.entries.emplace_back(std::move(key), std::move(concepts));
  }
  if (!r.empty()) return Corrupt();
  return lex;
}

absl::Status LexiconStore::WithMemory(const MemoryRef& memory,
                                      const std::function<absl::Status(uint32_t)>& fn) {
  internal::RocksHandles& rocks = internal::Rocks(store_);
  if (rocks.db == nullptr) return absl::FailedPreconditionError("store is closed");
  if (rocks.with_live_memory) return rocks.with_live_memory(memory, fn);
  QANTARA_ASSIGN_OR_RETURN(const std::optional<std::string> id,
                           store_.Get(Cf::kMemories, MemoryNameKey(memory.name)));
  if (!id.has_value()) return absl::NotFoundError(absl::StrCat("no memory named '", memory.name, "'"));
  if (id->size() != 4) return absl::DataLossError("corrupt memory name record");
  const uint32_t found = DecodeFixed32BE(id->data());
  if (memory.id != 0 && memory.id != found) {
    return absl::NotFoundError(absl::StrCat("memory '", memory.name, "' (id ", memory.id, ") was deleted"));
  }
  return fn(found);
}

absl::StatusOr<std::optional<StoredLexicon>> LexiconStore::Get(const MemoryRef& memory) {
  std::optional<std::string> value;
  QANTARA_RETURN_IF_ERROR(WithMemory(memory, [&](uint32_t id) -> absl::Status {
    QANTARA_ASSIGN_OR_RETURN(value, store_.Get(Cf::kLexicons, LexiconKey(id)));
    return absl::OkStatus();
  }));
  if (!value.has_value()) return std::optional<StoredLexicon>();
  absl::StatusOr<StoredLexicon> lex = DecodeStoredLexicon(*value);
  if (!lex.ok()) {
    return absl::DataLossError(
        absl::StrCat("memory '", memory.name, "': ", std::string(lex.status().message())));
  }
  return std::optional<StoredLexicon>(*std::move(lex));
}

absl::Status LexiconStore::Put(const MemoryRef& memory, const StoredLexicon& lexicon) {
  const std::string value = EncodeStoredLexicon(lexicon);
  return WithMemory(memory, [&](uint32_t id) { return store_.Put(Cf::kLexicons, LexiconKey(id), value); });
}

absl::Status LexiconStore::Delete(const MemoryRef& memory) {
  return WithMemory(memory, [&](uint32_t id) -> absl::Status {
    internal::RocksHandles& rocks = internal::Rocks(store_);
    const std::string key = LexiconKey(id);
    rocksdb::Status s = rocks.db->Delete(rocks.write, rocks.cf(Cf::kLexicons), internal::AsSlice(key));
    return s.ok() ? absl::OkStatus() : FromRocks(s, "delete lexicon");
  });
}

}  // namespace qantara::storage
