// AccessStore: token records in the `access` column family, keyed 't' + id.
#include "storage/access_store.h"

#include "absl/strings/str_cat.h"
#include "rocksdb/options.h"
#include "storage/internal/encoding.h"
#include "storage/internal/rocks.h"
#include "storage/internal/scan.h"

namespace qantara::storage {
namespace {

constexpr uint8_t kTokenValueVersion = 1;
constexpr char kTokenKind = 't';
constexpr size_t kMaxTokenIdBytes = 64;
// Bounds a corrupt count before anything is reserved.
constexpr uint64_t kMaxPatterns = 1 << 16;

std::string TokenKey(std::string_view id) { return std::string(1, kTokenKind).append(id); }

absl::Status Corrupt(std::string_view id) {
  return absl::DataLossError(absl::StrCat("corrupt record of API token id '", std::string(id), "'"));
}

}  // namespace

std::string EncodeTokenRecord(const TokenRecord& r) {
  std::string out;
  out.push_back(static_cast<char>(kTokenValueVersion));
  PutString(out, r.name);
  PutString(out, r.secret_hash);
  out.push_back(static_cast<char>(r.role));
  PutVarint64(out, r.memories.size());
  for (const std::string& m : r.memories) PutString(out, m);
  PutVarint64(out, static_cast<uint64_t>(r.created_at_us));
  PutVarint64(out, static_cast<uint64_t>(r.expires_at_us));
  PutVarint64(out, static_cast<uint64_t>(r.revoked_at_us));
  PutString(out, r.created_by);
  return out;
}

absl::StatusOr<TokenRecord> DecodeTokenRecord(std::string_view id, std::string_view in) {
  ByteReader r(in);
  TokenRecord t;
  t.id = std::string(id);
  uint8_t version = 0;
  uint64_t n = 0, created = 0, expires = 0, revoked = 0;
  if (!r.GetByte(&version) || version != kTokenValueVersion || !r.GetString(&t.name) ||
      !r.GetString(&t.secret_hash) || !r.GetByte(&t.role) || !r.GetVarint64(&n) || n > kMaxPatterns ||
      n > in.size()) {
    return Corrupt(id);
  }
  t.memories.resize(n);
  for (std::string& m : t.memories) {
    if (!r.GetString(&m)) return Corrupt(id);
  }
  if (!r.GetVarint64(&created) || !r.GetVarint64(&expires) || !r.GetVarint64(&revoked) ||
      !r.GetString(&t.created_by) || !r.empty()) {
    return Corrupt(id);
  }
  t.created_at_us = static_cast<int64_t>(created);
  t.expires_at_us = static_cast<int64_t>(expires);
  t.revoked_at_us = static_cast<int64_t>(revoked);
  return t;
}

absl::Status AccessStore::PutToken(const TokenRecord& record) {
  if (record.id.empty() || record.id.size() > kMaxTokenIdBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("a token id must be 1 to ", kMaxTokenIdBytes, " bytes, not ", record.id.size()));
  }
  return store_.Put(Cf::kAccess, TokenKey(record.id), EncodeTokenRecord(record));
}

absl::StatusOr<std::vector<TokenRecord>> AccessStore::ListTokens() {
  internal::RocksHandles& rocks = internal::Rocks(store_);
  if (rocks.db == nullptr) return absl::FailedPreconditionError("store is closed");
  std::vector<TokenRecord> out;
  const std::string lower(1, kTokenKind);
  absl::Status s = internal::ScanAll(
      rocks, Cf::kAccess, rocksdb::ReadOptions(), lower, internal::PrefixEnd(lower),
      [&](std::string_view key, std::string_view value) -> absl::Status {
        absl::StatusOr<TokenRecord> t = DecodeTokenRecord(key.substr(1), value);
        if (!t.ok()) return t.status();
        out.push_back(*std::move(t));
        return absl::OkStatus();
      },
      "read API tokens");
  if (!s.ok()) return s;
  return out;
}

}  // namespace qantara::storage
