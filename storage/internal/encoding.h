// Byte encodings of qantara's keys and values (storage/FORMAT.md, version 3).
//
// Keys: fixed-width big-endian integers, so RocksDB's bytewise order is the
// numeric order and a memory's keys are one contiguous range. Values: a
// leading encoding-version byte, then varints and length-prefixed strings.
// Decoders never trust their input: DataLoss on anything malformed.
#ifndef QANTARA_STORAGE_INTERNAL_ENCODING_H_
#define QANTARA_STORAGE_INTERNAL_ENCODING_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "service/match/index_view.h"
#include "storage/memory_store.h"

namespace qantara::storage {

// ---- primitives ----
void PutFixed32BE(std::string& out, uint32_t v);
void PutFixed64BE(std::string& out, uint64_t v);
uint32_t DecodeFixed32BE(const char* p);
uint64_t DecodeFixed64BE(const char* p);
void PutVarint64(std::string& out, uint64_t v);
void PutString(std::string& out, std::string_view s);  // varint length + bytes

// Reads primitives from a byte string; every Get* fails (returns false)
// instead of reading past the end.
class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  bool GetByte(uint8_t* v);
  bool GetVarint64(uint64_t* v);
  bool GetString(std::string* s);
  bool GetFixed32BE(uint32_t* v);
  bool GetFixed64BE(uint64_t* v);
  bool empty() const { return in_.empty(); }
  size_t remaining() const { return in_.size(); }

 private:
  std::string_view in_;
};

// ---- memories CF ----
// 'n' + name -> memory id (fixed32 BE); 'm' + id (fixed32 BE) -> MemoryRecord;
// 'i' + id (fixed32 BE) -> fixed64 BE unit id: every unit up to it is indexed.
std::string MemoryNameKey(std::string_view name);
std::string MemoryRecordKey(uint32_t memory_id);
std::string IndexedUptoKey(uint32_t memory_id);
// The tombstone of deleted memory `memory_id` ("d" + id), kept until its
// key range is compacted away; its value is the memory's name as `str`.
std::string TombstoneKey(uint32_t memory_id);
// The progress mark of job `job` in memory `memory_id` ("p" + id + job);
// every mark of the memory lies in [ProgressKey(id, ""), ProgressKey(id + 1, "")).
std::string ProgressKey(uint32_t memory_id, std::string_view job);
// 0x01, position varint, complete (1 byte, 0 or 1), updated_at_us varint.
std::string EncodeProgress(const ProgressMark& mark);
absl::StatusOr<ProgressMark> DecodeProgress(std::string_view job, std::string_view in);

struct MemoryRecord {
  uint32_t id = 0;
  std::string name;
  std::string source_lang;  // as given, e.g. "ar-SA"
  std::string target_lang;
  std::string description;
  int64_t created_at_us = 0;
  uint64_t unit_count = 0;
  uint64_t next_unit_id = 1;
  uint32_t max_length[2] = {0, 0};  // longest unit side, in match tokens (source, target)
  friend bool operator==(const MemoryRecord&, const MemoryRecord&) = default;
};
std::string EncodeMemoryRecord(const MemoryRecord& r);
absl::StatusOr<MemoryRecord> DecodeMemoryRecord(std::string_view in);

// ---- per-memory key ranges (units, unit_keys, postings, exact CFs) ----
// Every key of memory `id` starts with MemoryPrefix(id) (4 bytes); the range
// [MemoryPrefix(id), MemoryPrefix(id + 1)) holds all of them.
std::string MemoryPrefix(uint32_t memory_id);

// units and unit_keys CFs: memory id + unit id (fixed64 BE).
std::string UnitKey(uint32_t memory_id, uint64_t unit_id);
// Decodes the unit id of a UnitKey. REQUIRES: key.size() == 12.
uint64_t UnitIdOfKey(std::string_view key);

std::string EncodeUnit(const match::Unit& unit);  // the id is in the key, not the value
absl::StatusOr<match::Unit> DecodeUnit(uint64_t id, std::string_view in);

std::string EncodeUnitKeys(const match::UnitKeys& keys);
absl::StatusOr<match::UnitKeys> DecodeUnitKeys(std::string_view in);

// postings CF: memory id + side (1 byte) + token key (fixed64 BE) + length (fixed16 BE).
std::string PostingKey(uint32_t memory_id, match::Side side, uint64_t token_key, uint32_t length);
// The prefix of every PostingKey of a token (all lengths).
std::string PostingTokenPrefix(uint32_t memory_id, match::Side side, uint64_t token_key);

// Posting list value: varint count, then ascending ids as varint deltas.
std::string EncodePostingList(const std::vector<uint64_t>& ids);
// DataLoss unless the ids are strictly ascending and the value ends after the last one.
absl::StatusOr<std::vector<uint64_t>> DecodePostingList(std::string_view in);
// The same list in the compact in-memory form the caches hold.
absl::StatusOr<match::PostingList> DecodeCompactPostingList(std::string_view in);
// Merge operand: a sequence of varint (id << 1 | remove) entries, applied in order.
void AppendPostingOp(std::string& operand, uint64_t id, bool remove);
// Applies operands (in order) to `ids` (ascending; stays ascending).
bool ApplyPostingOps(std::string_view operand, std::vector<uint64_t>& ids);

// exact CF: memory id + side + ExactHash (fixed64 BE) + unit id (fixed64 BE).
std::string ExactKey(uint32_t memory_id, match::Side side, uint64_t hash, uint64_t unit_id);
std::string ExactPrefix(uint32_t memory_id, match::Side side, uint64_t hash);
// exact value: the second of the unit's change date (changed_at_us), rounded
// up (0 for dates up to the epoch), as a varint.
std::string ExactValue(int64_t changed_at_us);
// The bound an exact value of a unit changed at `changed_at_us` holds (us).
int64_t ExactBound(int64_t changed_at_us);
// The bound of the change date (us) an exact value holds: at least the
// unit's changed_at_us; match::ExactList::kUnknownChange for an empty value
// (written before format 6). DataLoss when malformed (readers take that as
// unknown; --check reports it).
absl::StatusOr<int64_t> DecodeExactValue(std::string_view value);

}  // namespace qantara::storage

#endif  // QANTARA_STORAGE_INTERNAL_ENCODING_H_
