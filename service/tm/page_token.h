// Page tokens: opaque, versioned and bound to the listing they continue.
//
// A token is base64url of: version byte 1, the listing's kind (one byte),
// a 64-bit hash of what the listing is bound to (a memory, a query, a
// caller), then the position to resume from. A token from another kind of
// listing, or for other request parameters, is refused; it never reaches
// past the caller's scope, since every page is filtered by scope anyway.
#ifndef QANTARA_SERVICE_TM_PAGE_TOKEN_H_
#define QANTARA_SERVICE_TM_PAGE_TOKEN_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace qantara::tm {

enum class PageKind : char {
  kMemories = 'm',
  kConcordance = 'c',
  kTokens = 't',
  kBackups = 'b',
  kAudit = 'a',
};

// The page size of a List request: 1 to 1000, 0 meaning 100.
// InvalidArgument ("page_size must be ...") above 1000.
absl::StatusOr<uint32_t> PageSize(uint32_t requested);

std::string EncodePageToken(PageKind kind, absl::string_view binding, absl::string_view position);
// The position of `token` ("" for an empty token: the first page).
// InvalidArgument ("page_token: ...") when it is not one this server made for
// this kind and binding.
absl::StatusOr<std::string> DecodePageToken(absl::string_view token, PageKind kind,
                                            absl::string_view binding);

}  // namespace qantara::tm

#endif  // QANTARA_SERVICE_TM_PAGE_TOKEN_H_
