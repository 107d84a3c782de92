// Access control at the gRPC edge: the token from the call's metadata,
// checked by the installed tm::AccessControl.
#include "service/rpc/auth.h"

#include <atomic>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace qantara::rpc {
namespace {

std::atomic<const tm::AccessControl*> installed{nullptr};

constexpr absl::string_view kScheme = "bearer ";

}  // namespace

void InstallAccessControl(const tm::AccessControl* access) {
  installed.store(access, std::memory_order_release);
}

absl::StatusOr<tm::Principal> Caller(const grpc::ServerContext* context) {
  const tm::AccessControl* access = installed.load(std::memory_order_acquire);
  if (access == nullptr) return tm::Unrestricted();
  const auto& metadata = context->client_metadata();
  auto [first, last] = metadata.equal_range("authorization");
  if (first == last) {
    return absl::UnauthenticatedError(
        "no API token: send the metadata 'authorization: Bearer <token>' (the CLI: --token, --token-file "
        "or QANTARA_TOKEN)");
  }
  if (std::next(first) != last) {
    return absl::UnauthenticatedError("more than one 'authorization' metadata entry: send one token");
  }
  const absl::string_view value(first->second.data(), first->second.size());
  if (value.size() <= kScheme.size() || !absl::StartsWithIgnoreCase(value, kScheme)) {
    return absl::UnauthenticatedError("malformed 'authorization' metadata: want 'Bearer <token>'");
  }
  return access->Authenticate(absl::StripAsciiWhitespace(value.substr(kScheme.size())),
                              absl::ToUnixMicros(absl::Now()));
}

absl::StatusOr<tm::Principal> Allow(const grpc::ServerContext* context, tm::Role needed,
                                    absl::string_view action) {
  absl::StatusOr<tm::Principal> who = Caller(context);
  if (!who.ok()) return who;
  if (absl::Status s = tm::NeedRole(*who, needed, action); !s.ok()) return s;
  return who;
}

absl::StatusOr<tm::Principal> AllowMemory(const grpc::ServerContext* context, absl::string_view memory,
                                          tm::Role needed, absl::string_view action) {
  absl::StatusOr<tm::Principal> who = Caller(context);
  if (!who.ok()) return who;
  if (absl::Status s = tm::NeedMemory(*who, memory, needed, action); !s.ok()) return s;
  return who;
}

}  // namespace qantara::rpc
