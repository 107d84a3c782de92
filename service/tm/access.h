// Access control: API tokens, their roles and scopes, and what each call
// needs (proto/qantara/v1/access.proto says it for clients).
//
// A token is `qt_` + its public id (16 hex digits) + `_` + its secret (32
// random bytes, base64url: 43 characters). The store keeps the id, the name,
// the role, the scope and SHA-256 of the secret, never the secret: a secret
// is shown once, when made. The secrets are random, so one fast hash suffices
// (no password stretching); the comparison is constant-time. The tokens are
// few (people and plugins), so every record is kept in memory: checking a
// token is a hash and a map lookup, with no storage read.
//
// Proto-free: the gRPC edge (service/rpc/auth.h) and any other edge ask
// Authenticate() and then Authorize().
#ifndef QANTARA_SERVICE_TM_ACCESS_H_
#define QANTARA_SERVICE_TM_ACCESS_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/match/unit.h"
#include "storage/access_store.h"
#include "storage/store.h"

namespace qantara::tm {

// What a token may do; each role has everything of the ones before it.
enum class Role : uint8_t { kReader = 1, kTranslator = 2, kManager = 3, kAdmin = 4 };

// "reader", "translator", "manager", "admin".
absl::string_view RoleName(Role role);
// The role of a name (as RoleName writes it); InvalidArgument naming the
// four otherwise.
absl::StatusOr<Role> ParseRole(absl::string_view name);

// Who is calling: the token's identity, as checked by Authenticate().
struct Principal {
  std::string name;  // the token's name ("" when access control is off)
  Role role = Role::kAdmin;
  std::vector<std::string> memories;  // name patterns (see InScope)

  // True when memory `memory` is in the scope: a pattern equal to it, a
  // pattern ending in '*' that it starts with (the '*' excluded), or "*".
  // Admins reach every memory.
  bool InScope(absl::string_view memory) const;
};

// The principal of a server without access control: an admin with no name.
Principal Unrestricted();

// A token as listed (the secret is not kept).
struct TokenInfo {
  std::string name;
  Role role = Role::kReader;
  std::vector<std::string> memories;
  int64_t created_at_us = 0;
  int64_t expires_at_us = 0;  // 0: never
  int64_t revoked_at_us = 0;  // 0: live
  std::string created_by;
};

// A new token: what CreateToken takes.
struct NewToken {
  std::string name;
  Role role = Role::kReader;
  std::vector<std::string> memories;  // required but for admins
  uint64_t expires_in_seconds = 0;    // 0: never
};

inline constexpr size_t kMaxTokenNameBytes = 128;
inline constexpr size_t kMaxTokenPatterns = 64;
inline constexpr size_t kMaxTokenPatternBytes = 256;
inline constexpr uint64_t kMaxTokenSeconds = uint64_t{3650} * 86400;

// Checks a memory name pattern: 1 to kMaxTokenPatternBytes bytes, no
// control characters, '*' only as the last character. InvalidArgument
// naming the pattern and what is wrong.
absl::Status CheckPattern(absl::string_view pattern);

// Permission needed for a call, below the role that has it.
// PERMISSION_DENIED names the token, its role and the role needed.
absl::Status NeedRole(const Principal& who, Role needed, absl::string_view action);

// The check of a call on memory `memory`: NOT_FOUND (the same message as
// for a memory that does not exist) when it is outside the token's scope,
// else NeedRole.
absl::Status NeedMemory(const Principal& who, absl::string_view memory, Role needed,
                        absl::string_view action);

// Who wrote a unit: with access control on (a named principal), the unit's
// created_by and changed_by are the token's name. An admin's own values are
// kept (an import that preserves its users), empty ones filled; another
// role's values, when given and different, are kept only as the attribute
// `submitted_by` (changed_by's, else created_by's). Nothing changes for
// Unrestricted().
void StampIdentity(const Principal& who, match::Unit& unit);

class AccessControl {
 public:
  // Loads the tokens of `store`. REQUIRES: the store outlives this.
  static absl::StatusOr<std::unique_ptr<AccessControl>> Open(storage::Store& store);

  // Makes a token for `created_by` (the maker's name) and returns its
  // secret (the whole `qt_..._...` string), with its info in *info.
  // InvalidArgument (name, patterns, days), AlreadyExists (a live token of
  // that name). `before_store`, when given, is handed the secret before the
  // token is stored; its error stores nothing and is returned.
  absl::StatusOr<std::string> CreateToken(
      const NewToken& token, absl::string_view created_by, TokenInfo* info = nullptr,
      const std::function<absl::Status(const std::string& secret)>& before_store = nullptr);

  // Every token, by name (then by creation).
  std::vector<TokenInfo> ListTokens() const;

  // Revokes the live token `name`. `by`: the revoker's name (refused when it
  // is `name`: a token cannot revoke itself). NotFound (no live token of that
  // name), FailedPrecondition (itself, or the last live admin).
  absl::StatusOr<TokenInfo> RevokeToken(absl::string_view name, absl::string_view by);

  // The principal of `token` (as sent, without "Bearer "), at `now_us`.
  // Unauthenticated: malformed, unknown id or wrong secret (one message for
  // both, naming neither), expired or revoked (named: the caller held the
  // secret).
  absl::StatusOr<Principal> Authenticate(absl::string_view token, int64_t now_us) const;

  // True when some live, unexpired admin token exists.
  bool HasAdmin(int64_t now_us) const;

  // The audit trail: Record stamps the event with the time and an order,
  // stores it, and drops events older than the keep time (checked every
  // 1,024 events and at Open). Errors: the store's (the caller logs them:
  // a call is not failed for its audit entry).
  void SetAuditKeep(absl::Duration keep) ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status Record(storage::AuditEvent event);
  // Events from `since_us` on, of memory `memory` when not empty, oldest
  // first: a page of up to `limit` (1 to 1,000), resumed from `page_token`;
  // *next_page_token is "" at the end.
  absl::StatusOr<std::vector<storage::AuditEvent>> ListAudit(int64_t since_us, const std::string& memory,
                                                             const std::string& page_token, size_t limit,
                                                             std::string* next_page_token);

 private:
  explicit AccessControl(storage::Store& store) : tokens_(store) {}
  static TokenInfo InfoOf(const storage::TokenRecord& r);

  absl::Status Rotate(int64_t now_us);

  storage::AccessStore tokens_;
  std::atomic<uint64_t> audit_seq_{0};
  std::atomic<int64_t> audit_keep_us_{int64_t{90} * 86400 * 1000000};
  mutable absl::Mutex mu_;
  // By public id.
  absl::flat_hash_map<std::string, storage::TokenRecord> by_id_ ABSL_GUARDED_BY(mu_);
};

}  // namespace qantara::tm

#endif  // QANTARA_SERVICE_TM_ACCESS_H_
