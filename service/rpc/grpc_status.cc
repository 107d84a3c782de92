// Mapping absl::Status codes and messages to grpc::Status at the API edge.
#include "service/rpc/grpc_status.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace qantara::rpc {

namespace {

// Longest message sent: a message may quote what the client sent (a
// memory name, a language tag), and gRPC carries it in a header whose size
// clients limit (8 KiB by default); a longer one would fail the client's
// read of the status instead of telling it what was wrong.
constexpr size_t kMaxMessageBytes = 1024;

std::string Bounded(absl::string_view message) {
  if (message.size() <= kMaxMessageBytes) return std::string(message);
  size_t cut = kMaxMessageBytes - 64;
  while (cut > 0 && (static_cast<unsigned char>(message[cut]) & 0xC0) == 0x80) --cut;  // a UTF-8 boundary
  return absl::StrCat(message.substr(0, cut), "... (", message.size() - cut,
                      " more bytes of this message cut)");
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& s) {
  if (s.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(s.code()), Bounded(s.message()));
}

}  // namespace qantara::rpc
