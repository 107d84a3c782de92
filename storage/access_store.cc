// AccessStore: token records in the `access` column family, keyed 't' + id.
#include "storage/access_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "storage/internal/encoding.h"
#include "storage/internal/rocks.h"
#include "storage/internal/scan.h"
#include "storage/internal/status.h"

namespace qantara::storage {
namespace {

constexpr uint8_t kTokenValueVersion = 1;
constexpr char kTokenKind = 't';
constexpr char kAuditKind = 'a';
constexpr uint8_t kAuditValueVersion = 1;

// 'a' + time_us (u64be, offset so that order is time order) + seq (u64be).
std::string AuditKey(int64_t time_us, uint64_t seq) {
  std::string key(1, kAuditKind);
  PutFixed64BE(key, static_cast<uint64_t>(time_us) ^ (uint64_t{1} << 63));
  PutFixed64BE(key, seq);
  return key;
}
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

std::string EncodeAuditEvent(const AuditEvent& e) {
  std::string out;
  out.push_back(static_cast<char>(kAuditValueVersion));
  PutString(out, e.who);
  PutString(out, e.action);
  PutString(out, e.memory);
  PutVarint64(out, e.units);
  PutString(out, e.peer);
  PutString(out, e.outcome);
  PutString(out, e.detail);
  return out;
}

absl::StatusOr<AuditEvent> DecodeAuditEvent(std::string_view key, std::string_view value) {
  AuditEvent e;
  if (key.size() != 17 || key[0] != kAuditKind) return absl::DataLossError("corrupt audit event key");
  e.time_us = static_cast<int64_t>(DecodeFixed64BE(key.data() + 1) ^ (uint64_t{1} << 63));
  e.seq = DecodeFixed64BE(key.data() + 9);
  ByteReader r(value);
  uint8_t version = 0;
  if (!r.GetByte(&version) || version != kAuditValueVersion || !r.GetString(&e.who) ||
      !r.GetString(&e.action) || !r.GetString(&e.memory) || !r.GetVarint64(&e.units) ||
      !r.GetString(&e.peer) || !r.GetString(&e.outcome) || !r.GetString(&e.detail) || !r.empty()) {
    return absl::DataLossError(absl::StrCat("corrupt audit event of ", e.time_us, " us"));
  }
  return e;
}

absl::Status AccessStore::AppendAudit(const AuditEvent& event) {
  return store_.Put(Cf::kAccess, AuditKey(event.time_us, event.seq), EncodeAuditEvent(event));
}

absl::StatusOr<std::vector<AuditEvent>> AccessStore::ListAudit(
    int64_t since_us, const std::string& from_key, size_t limit, size_t scan_limit,
    const std::function<bool(const AuditEvent&)>& keep, std::string* next_key) {
  internal::RocksHandles& rocks = internal::Rocks(store_);
  if (rocks.db == nullptr) return absl::FailedPreconditionError("store is closed");
  std::string lower = AuditKey(since_us, 0);
  if (!from_key.empty()) {
    if (from_key.size() != 17 || from_key[0] != kAuditKind) {
      return absl::InvalidArgumentError("page_token: not one this server gave");
    }
    lower = std::max(lower, from_key);
  }
  std::vector<AuditEvent> out;
  next_key->clear();
  size_t scanned = 0;
  absl::Status s = internal::ScanAll(
      rocks, Cf::kAccess, rocksdb::ReadOptions(), lower, internal::PrefixEnd(std::string(1, kAuditKind)),
      [&](std::string_view key, std::string_view value) -> absl::Status {
        if (out.size() >= limit || scanned >= scan_limit) {
          *next_key = std::string(key);
          return absl::CancelledError("page full");  // stops the scan
        }
        ++scanned;
        absl::StatusOr<AuditEvent> e = DecodeAuditEvent(key, value);
        if (!e.ok()) return e.status();
        if (!keep || keep(*e)) out.push_back(*std::move(e));
        return absl::OkStatus();
      },
      "read the audit trail");
  if (!s.ok() && !(absl::IsCancelled(s) && !next_key->empty())) return s;
  return out;
}

absl::Status AccessStore::DeleteAuditBefore(int64_t before_us) {
  internal::RocksHandles& rocks = internal::Rocks(store_);
  if (rocks.db == nullptr) return absl::FailedPreconditionError("store is closed");
  const std::string from(1, kAuditKind);
  const std::string to = AuditKey(before_us, 0);
  rocksdb::Status st = rocks.db->DeleteRange(rocks.write, rocks.cf(Cf::kAccess), internal::AsSlice(from),
                                             internal::AsSlice(to));
  return st.ok() ? absl::OkStatus() : FromRocks(st, "rotate the audit trail");
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
