// Page tokens: version, kind, binding hash, position; base64url.
#include "service/tm/page_token.h"

#include <cstdint>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "service/match/hash.h"

namespace qantara::tm {
namespace {

constexpr char kVersion = 1;
constexpr size_t kMaxTokenBytes = 2048;

std::string HashBytes(absl::string_view binding) {
  const uint64_t h = match::Hash64(std::string_view(binding.data(), binding.size()));
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>(h >> (56 - 8 * i));
  return out;
}

absl::Status NotOurs(absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(
      "page_token: not a token this server gave for this listing (", why,
      "); pass the next_page_token of the previous page of the same request, or \"\" for the first"));
}

}  // namespace

absl::StatusOr<uint32_t> PageSize(uint32_t requested) {
  if (requested > 1000) {
    return absl::InvalidArgumentError(absl::StrCat("page_size must be 1 to 1000 (0: 100), not ", requested));
  }
  return requested == 0 ? 100 : requested;
}

std::string EncodePageToken(PageKind kind, absl::string_view binding, absl::string_view position) {
  std::string raw;
  raw.push_back(kVersion);
  raw.push_back(static_cast<char>(kind));
  raw.append(HashBytes(binding));
  raw.append(position.data(), position.size());
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token, PageKind kind,
                                            absl::string_view binding) {
  if (token.empty()) return std::string();
  if (token.size() > kMaxTokenBytes) return NotOurs("too long");
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw) || raw.size() < 10) return NotOurs("malformed");
  if (raw[0] != kVersion) return NotOurs("unknown version");
  if (raw[1] != static_cast<char>(kind)) return NotOurs("from another kind of listing");
  if (raw.compare(2, 8, HashBytes(binding)) != 0) return NotOurs("made for other request parameters");
  return raw.substr(10);
}

}  // namespace qantara::tm
