// Access control: tokens made with OpenSSL's RAND_bytes, kept as SHA-256 of
// their secrets, checked against an in-memory map of the stored records.
#include "service/tm/access.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "service/base/error_details.h"
#include "service/base/ignore_error.h"
#include "service/base/status_macros.h"

namespace qantara::tm {
namespace {

constexpr absl::string_view kTokenPrefix = "qt_";
constexpr size_t kIdBytes = 8;       // 16 hex digits
constexpr size_t kSecretBytes = 32;  // 43 base64url characters
constexpr size_t kIdChars = kIdBytes * 2;
constexpr size_t kSecretChars = 43;
constexpr size_t kTokenChars = kTokenPrefix.size() + kIdChars + 1 + kSecretChars;

std::string Sha256(absl::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &n, EVP_sha256(), nullptr) != 1) return std::string();
  return std::string(reinterpret_cast<const char*>(digest), n);
}

absl::StatusOr<std::string> RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    return absl::InternalError("the system's random source failed (OpenSSL RAND_bytes)");
  }
  return out;
}

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-' || c == '@' || c == '/';
}

absl::Status CheckName(absl::string_view name) {
  if (name.empty() || name.size() > kMaxTokenNameBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("a token name must be 1 to ", kMaxTokenNameBytes, " bytes, not ", name.size()));
  }
  if (!std::all_of(name.begin(), name.end(), IsNameChar)) {
    return absl::InvalidArgumentError(
        absl::StrCat("token name '", absl::CHexEscape(name), "': use letters, digits and . _ - @ / only"));
  }
  return absl::OkStatus();
}

absl::Status Unauthenticated() {
  return WithReason(absl::UnauthenticatedError("invalid API token (unknown, or a wrong secret)"),
                    "TOKEN_INVALID");
}

std::string FormatTime(int64_t us) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", absl::FromUnixMicros(us), absl::UTCTimeZone());
}

bool Live(const storage::TokenRecord& r, int64_t now_us) {
  return r.revoked_at_us == 0 && (r.expires_at_us == 0 || now_us < r.expires_at_us);
}

}  // namespace

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kReader: return "reader";
    case Role::kTranslator: return "translator";
    case Role::kManager: return "manager";
    case Role::kAdmin: return "admin";
  }
  return "unknown";
}

absl::StatusOr<Role> ParseRole(absl::string_view name) {
  for (Role r : {Role::kReader, Role::kTranslator, Role::kManager, Role::kAdmin}) {
    if (name == RoleName(r)) return r;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown role '", absl::CHexEscape(name), "': want reader, translator, manager or admin"));
}

bool Principal::InScope(absl::string_view memory) const {
  if (role == Role::kAdmin) return true;
  for (const std::string& p : memories) {
    if (!p.empty() && p.back() == '*') {
      if (absl::StartsWith(memory, absl::string_view(p).substr(0, p.size() - 1))) return true;
    } else if (p == memory) {
      return true;
    }
  }
  return false;
}

Principal Unrestricted() { return Principal{"", Role::kAdmin, {"*"}}; }

absl::Status CheckPattern(absl::string_view p) {
  if (p.empty() || p.size() > kMaxTokenPatternBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("a memory pattern must be 1 to ", kMaxTokenPatternBytes, " bytes, not ", p.size()));
  }
  for (size_t i = 0; i < p.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(p[i]);
    if (c < 0x20 || c == 0x7f) {
      return absl::InvalidArgumentError(
          absl::StrCat("memory pattern '", absl::CHexEscape(p), "' holds a control character"));
    }
    if (c == '*' && i + 1 != p.size()) {
      return absl::InvalidArgumentError(absl::StrCat("memory pattern '", absl::CHexEscape(p),
                                                     "': '*' may only end a pattern (e.g. acme/*)"));
    }
  }
  return absl::OkStatus();
}

absl::Status NeedRole(const Principal& who, Role needed, absl::string_view action) {
  if (static_cast<uint8_t>(who.role) >= static_cast<uint8_t>(needed)) return absl::OkStatus();
  absl::Status s = absl::PermissionDeniedError(
      absl::StrCat("token '", who.name, "' (", RoleName(who.role), ") may not ", action, ": that needs ",
                   needed == Role::kAdmin ? "an " : "a ", RoleName(needed), " token"));
  s = WithMetadata(WithReason(std::move(s), "ROLE_TOO_LOW"), "required_role", RoleName(needed));
  return WithMetadata(std::move(s), "role", RoleName(who.role));
}

absl::Status NeedMemory(const Principal& who, absl::string_view memory, Role needed,
                        absl::string_view action) {
  // Worded as storage words a missing memory: the two look the same.
  if (!who.InScope(memory)) {
    return WithResource(
        WithReason(absl::NotFoundError(absl::StrCat("no memory named '", memory, "'")), "MEMORY_NOT_FOUND"),
        "qantara.v1.Memory", memory);
  }
  return NeedRole(who, needed, action);
}

void StampIdentity(const Principal& who, match::Unit& unit) {
  if (who.name.empty()) return;
  if (who.role == Role::kAdmin) {
    if (unit.created_by.empty()) unit.created_by = who.name;
    if (unit.changed_by.empty()) unit.changed_by = who.name;
    return;
  }
  const std::string& submitted = !unit.changed_by.empty() ? unit.changed_by : unit.created_by;
  if (!submitted.empty() && submitted != who.name) unit.attributes.extra["submitted_by"] = submitted;
  unit.created_by = who.name;
  unit.changed_by = who.name;
}

absl::StatusOr<std::unique_ptr<AccessControl>> AccessControl::Open(storage::Store& store) {
  std::unique_ptr<AccessControl> ac(new AccessControl(store));
  QANTARA_ASSIGN_OR_RETURN(std::vector<storage::TokenRecord> records, ac->tokens_.ListTokens());
  absl::MutexLock l(&ac->mu_);
  for (storage::TokenRecord& r : records) {
    std::string id = r.id;
    ac->by_id_.emplace(std::move(id), std::move(r));
  }
  return ac;
}

TokenInfo AccessControl::InfoOf(const storage::TokenRecord& r) {
  return TokenInfo{r.name,          static_cast<Role>(r.role), r.memories,  r.created_at_us,
                   r.expires_at_us, r.revoked_at_us,           r.created_by};
}

absl::StatusOr<std::string> AccessControl::CreateToken(
    const NewToken& token, absl::string_view created_by, TokenInfo* info,
    const std::function<absl::Status(const std::string& secret)>& before_store) {
  QANTARA_RETURN_IF_ERROR(CheckName(token.name));
  if (token.role < Role::kReader || token.role > Role::kAdmin) {
    return absl::InvalidArgumentError("a token needs a role: reader, translator, manager or admin");
  }
  if (token.memories.size() > kMaxTokenPatterns) {
    return absl::InvalidArgumentError(absl::StrCat("a token has at most ", kMaxTokenPatterns,
                                                   " memory patterns, not ", token.memories.size()));
  }
  if (token.memories.empty() && token.role != Role::kAdmin) {
    return absl::InvalidArgumentError(
        absl::StrCat("a ", RoleName(token.role),
                     " token needs the memories it reaches (names, prefixes like acme/*, or *)"));
  }
  for (const std::string& p : token.memories) QANTARA_RETURN_IF_ERROR(CheckPattern(p));
  if (token.expires_in_seconds > kMaxTokenSeconds) {
    return absl::InvalidArgumentError(absl::StrCat("a token expires within 3650 days (", kMaxTokenSeconds,
                                                   " s), not ", token.expires_in_seconds, " s"));
  }
  QANTARA_ASSIGN_OR_RETURN(std::string id_bytes, RandomBytes(kIdBytes));
  QANTARA_ASSIGN_OR_RETURN(std::string secret_bytes, RandomBytes(kSecretBytes));
  std::string secret = absl::WebSafeBase64Escape(secret_bytes);  // unpadded: 43 characters
  storage::TokenRecord r;
  r.id = absl::BytesToHexString(id_bytes);
  r.name = token.name;
  r.secret_hash = Sha256(secret);
  if (r.secret_hash.empty()) return absl::InternalError("SHA-256 failed (OpenSSL EVP_Digest)");
  r.role = static_cast<uint8_t>(token.role);
  r.memories = token.role == Role::kAdmin ? std::vector<std::string>{"*"} : token.memories;
  r.created_at_us = absl::ToUnixMicros(absl::Now());
  if (token.expires_in_seconds > 0) {
    r.expires_at_us = r.created_at_us + static_cast<int64_t>(token.expires_in_seconds) * 1000000;
  }
  r.created_by = std::string(created_by);
  absl::MutexLock l(&mu_);
  for (const auto& [id, other] : by_id_) {
    if (other.name == r.name && Live(other, r.created_at_us)) {
      return absl::AlreadyExistsError(
          absl::StrCat("a live token named '", r.name, "' exists: revoke it first, or choose another name"));
    }
    if (id == r.id) return absl::InternalError("token id collision; try again");
  }
  std::string full = absl::StrCat(kTokenPrefix, r.id, "_", secret);
  if (before_store) QANTARA_RETURN_IF_ERROR(before_store(full));
  QANTARA_RETURN_IF_ERROR(tokens_.PutToken(r));
  if (info != nullptr) *info = InfoOf(r);
  by_id_.emplace(r.id, std::move(r));
  return full;
}

std::vector<TokenInfo> AccessControl::ListTokens() const {
  std::vector<TokenInfo> out;
  {
    absl::ReaderMutexLock l(&mu_);
    out.reserve(by_id_.size());
    for (const auto& [id, r] : by_id_) out.push_back(InfoOf(r));
  }
  std::sort(out.begin(), out.end(), [](const TokenInfo& a, const TokenInfo& b) {
    return a.name != b.name ? a.name < b.name : a.created_at_us < b.created_at_us;
  });
  return out;
}

absl::StatusOr<TokenInfo> AccessControl::RevokeToken(absl::string_view name, absl::string_view by) {
  const int64_t now = absl::ToUnixMicros(absl::Now());
  absl::MutexLock l(&mu_);
  storage::TokenRecord* found = nullptr;
  size_t live_admins = 0;
  for (auto& [id, r] : by_id_) {
    if (r.revoked_at_us != 0) continue;
    if (r.name == name) found = &r;
    if (r.role == static_cast<uint8_t>(Role::kAdmin) && Live(r, now)) ++live_admins;
  }
  if (found == nullptr) {
    return WithResource(
        WithReason(absl::NotFoundError(absl::StrCat("no live token named '", absl::CHexEscape(name), "'")),
                   "TOKEN_NOT_FOUND"),
        "qantara.v1.Token", name);
  }
  if (name == by) {
    return absl::FailedPreconditionError(
        absl::StrCat("token '", name, "' cannot revoke itself: revoke it with another admin token"));
  }
  if (found->role == static_cast<uint8_t>(Role::kAdmin) && Live(*found, now) && live_admins <= 1) {
    return absl::FailedPreconditionError(absl::StrCat(
        "'", name, "' is the last live admin token: create another admin token before revoking it"));
  }
  storage::TokenRecord revoked = *found;
  revoked.revoked_at_us = now;
  QANTARA_RETURN_IF_ERROR(tokens_.PutToken(revoked));
  *found = revoked;
  return InfoOf(revoked);
}

absl::StatusOr<Principal> AccessControl::Authenticate(absl::string_view token, int64_t now_us) const {
  if (token.size() != kTokenChars || !absl::StartsWith(token, kTokenPrefix) ||
      token[kTokenPrefix.size() + kIdChars] != '_') {
    return WithReason(absl::UnauthenticatedError(absl::StrCat(
                          "malformed API token: want qt_ followed by ", kTokenChars - kTokenPrefix.size(),
                          " characters, as `qantara token create` prints it")),
                      "TOKEN_INVALID");
  }
  const absl::string_view id = token.substr(kTokenPrefix.size(), kIdChars);
  const absl::string_view secret = token.substr(kTokenPrefix.size() + kIdChars + 1);
  const std::string hash = Sha256(secret);
  absl::ReaderMutexLock l(&mu_);
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return Unauthenticated();
  const storage::TokenRecord& r = it->second;
  if (hash.size() != r.secret_hash.size() ||
      CRYPTO_memcmp(hash.data(), r.secret_hash.data(), hash.size()) != 0) {
    return Unauthenticated();
  }
  if (r.revoked_at_us != 0) {
    return WithReason(absl::UnauthenticatedError(absl::StrCat("API token '", r.name, "' was revoked at ",
                                                              FormatTime(r.revoked_at_us))),
                      "TOKEN_REVOKED");
  }
  if (r.expires_at_us != 0 && now_us >= r.expires_at_us) {
    return WithReason(absl::UnauthenticatedError(
                          absl::StrCat("API token '", r.name, "' expired at ", FormatTime(r.expires_at_us))),
                      "TOKEN_EXPIRED");
  }
  return Principal{r.name, static_cast<Role>(r.role), r.memories};
}

void AccessControl::SetAuditKeep(absl::Duration keep) {
  audit_keep_us_.store(absl::ToInt64Microseconds(keep), std::memory_order_relaxed);
  IgnoreError(Rotate(absl::ToUnixMicros(absl::Now())), "rotation is retried every 1,024 events");
}

absl::Status AccessControl::Rotate(int64_t now_us) {
  return tokens_.DeleteAuditBefore(now_us - audit_keep_us_.load(std::memory_order_relaxed));
}

absl::Status AccessControl::Record(storage::AuditEvent event) {
  event.time_us = absl::ToUnixMicros(absl::Now());
  event.seq = audit_seq_.fetch_add(1, std::memory_order_relaxed);
  absl::Status s = tokens_.AppendAudit(event);
  if ((event.seq & 1023) == 1023) {
    absl::Status rotated = Rotate(event.time_us);
    if (s.ok()) s = rotated;
  }
  return s;
}

absl::StatusOr<std::vector<storage::AuditEvent>> AccessControl::ListAudit(int64_t since_us,
                                                                          const std::string& memory,
                                                                          const std::string& page_token,
                                                                          size_t limit,
                                                                          std::string* next_page_token) {
  if (limit == 0 || limit > 1000) {
    return absl::InvalidArgumentError(absl::StrCat("page_size must be 1 to 1000, not ", limit));
  }
  std::function<bool(const storage::AuditEvent&)> keep;
  if (!memory.empty()) keep = [&memory](const storage::AuditEvent& e) { return e.memory == memory; };
  return tokens_.ListAudit(since_us, page_token, limit, /*scan_limit=*/100000, keep, next_page_token);
}

bool AccessControl::HasAdmin(int64_t now_us) const {
  absl::ReaderMutexLock l(&mu_);
  for (const auto& [id, r] : by_id_) {
    if (r.role == static_cast<uint8_t>(Role::kAdmin) && Live(r, now_us)) return true;
  }
  return false;
}

}  // namespace qantara::tm
