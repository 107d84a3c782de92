// RequestStore: request records in the `requests` column family, keyed
// 'r' + scope `str` + id, with an expiry index 'e' + time + the same rest.
#include "storage/request_store.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"
#include "service/base/status_macros.h"
#include "storage/internal/encoding.h"
#include "storage/internal/rocks.h"
#include "storage/internal/scan.h"
#include "storage/internal/status.h"

namespace qantara::storage {
namespace {

constexpr uint8_t kRequestValueVersion = 1;
constexpr char kRecordKind = 'r';
constexpr char kExpiryKind = 'e';
constexpr size_t kMaxIdBytes = 128;
constexpr size_t kMaxScopeBytes = 256;

// scope `str` + id: unambiguous whatever bytes the two hold.
std::string Rest(std::string_view scope, std::string_view id) {
  std::string rest;
  PutString(rest, scope);
  rest.append(id);
  return rest;
}

std::string RecordKey(std::string_view scope, std::string_view id) {
  return std::string(1, kRecordKind).append(Rest(scope, id));
}

std::string ExpiryKey(int64_t time_us, std::string_view rest) {
  std::string key(1, kExpiryKind);
  PutFixed64BE(key, static_cast<uint64_t>(time_us) ^ (uint64_t{1} << 63));
  key.append(rest);
  return key;
}

}  // namespace

std::string EncodeRequestRecord(const RequestRecord& r) {
  std::string out;
  out.push_back(static_cast<char>(kRequestValueVersion));
  PutVarint64(out, static_cast<uint64_t>(r.time_us));
  PutString(out, r.method);
  PutFixed64BE(out, r.request_hash);
  PutString(out, r.response);
  return out;
}

absl::StatusOr<RequestRecord> DecodeRequestRecord(std::string_view key, std::string_view value) {
  RequestRecord rec;
  if (key.empty() || key[0] != kRecordKind) return absl::DataLossError("corrupt request record key");
  ByteReader k(key.substr(1));
  if (!k.GetString(&rec.scope)) return absl::DataLossError("corrupt request record key");
  rec.id = std::string(key.substr(key.size() - k.remaining()));
  ByteReader r(value);
  uint8_t version = 0;
  uint64_t time = 0;
  if (!r.GetByte(&version) || version != kRequestValueVersion || !r.GetVarint64(&time) ||
      !r.GetString(&rec.method) || !r.GetFixed64BE(&rec.request_hash) || !r.GetString(&rec.response) ||
      !r.empty()) {
    return absl::DataLossError(absl::StrCat("corrupt record of request id '", absl::CHexEscape(rec.id), "'"));
  }
  rec.time_us = static_cast<int64_t>(time);
  return rec;
}

absl::StatusOr<std::optional<RequestRecord>> RequestStore::Get(std::string_view scope, std::string_view id) {
  const std::string key = RecordKey(scope, id);
  QANTARA_ASSIGN_OR_RETURN(std::optional<std::string> value, store_.Get(Cf::kRequests, key));
  if (!value.has_value()) return std::optional<RequestRecord>();
  QANTARA_ASSIGN_OR_RETURN(RequestRecord rec, DecodeRequestRecord(key, *value));
  return std::optional<RequestRecord>(std::move(rec));
}

absl::Status RequestStore::Put(const RequestRecord& record) {
  if (record.id.empty() || record.id.size() > kMaxIdBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("request_id must be 1 to ", kMaxIdBytes, " bytes, not ", record.id.size()));
  }
  if (record.scope.size() > kMaxScopeBytes) {
    return absl::InvalidArgumentError(absl::StrCat("a request scope is at most ", kMaxScopeBytes, " bytes"));
  }
  internal::RocksHandles& rocks = internal::Rocks(store_);
  if (rocks.db == nullptr) return absl::FailedPreconditionError("store is closed");
  const std::string rest = Rest(record.scope, record.id);
  rocksdb::WriteBatch batch;
  rocksdb::ColumnFamilyHandle* cf = rocks.cf(Cf::kRequests);
  // A replaced record leaves its old expiry entry: DeleteBefore then finds a
  // newer record under it and keeps it.
  rocksdb::Status s = batch.Put(cf, internal::AsSlice(std::string(1, kRecordKind).append(rest)),
                                internal::AsSlice(EncodeRequestRecord(record)));
  if (s.ok()) s = batch.Put(cf, internal::AsSlice(ExpiryKey(record.time_us, rest)), rocksdb::Slice());
  if (s.ok()) s = rocks.db->Write(rocks.write, &batch);
  return s.ok() ? absl::OkStatus() : FromRocks(s, "remember a request id");
}

absl::StatusOr<uint64_t> RequestStore::DeleteBefore(int64_t before_us, uint64_t max) {
  internal::RocksHandles& rocks = internal::Rocks(store_);
  if (rocks.db == nullptr) return absl::FailedPreconditionError("store is closed");
  rocksdb::ColumnFamilyHandle* cf = rocks.cf(Cf::kRequests);
  const std::string lower(1, kExpiryKind);
  const std::string upper = ExpiryKey(before_us, "");
  rocksdb::WriteBatch batch;
  uint64_t deleted = 0;
  absl::Status scan = internal::ScanAll(
      rocks, Cf::kRequests, rocksdb::ReadOptions(), lower, upper,
      [&](std::string_view key, std::string_view) -> absl::Status {
        if (deleted >= max) return absl::CancelledError("enough for one call");
        if (key.size() < 9) return absl::DataLossError("corrupt request expiry key");
        const int64_t time = static_cast<int64_t>(DecodeFixed64BE(key.data() + 1) ^ (uint64_t{1} << 63));
        const std::string record_key = std::string(1, kRecordKind).append(key.substr(9));
        rocksdb::Status s = batch.Delete(cf, internal::AsSlice(key));
        if (!s.ok()) return FromRocks(s, "expire a request id");
        std::string value;
        s = rocks.db->Get(rocksdb::ReadOptions(), cf, internal::AsSlice(record_key), &value);
        if (s.ok()) {
          absl::StatusOr<RequestRecord> rec = DecodeRequestRecord(record_key, value);
          // Replaced by a newer call since: that one keeps its record.
          if (rec.ok() && rec->time_us != time) return absl::OkStatus();
          s = batch.Delete(cf, internal::AsSlice(record_key));
          if (!s.ok()) return FromRocks(s, "expire a request id");
          ++deleted;
        } else if (!s.IsNotFound()) {
          return FromRocks(s, "read a request id");
        }
        return absl::OkStatus();
      },
      "expire request ids");
  if (!scan.ok() && !absl::IsCancelled(scan)) return scan;
  if (batch.Count() == 0) return deleted;
  rocksdb::Status s = rocks.db->Write(rocks.write, &batch);
  if (!s.ok()) return FromRocks(s, "expire request ids");
  return deleted;
}

}  // namespace qantara::storage
