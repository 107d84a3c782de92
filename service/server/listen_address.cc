// Parsing the server's --listen HOST:PORT (IPv6 hosts in brackets, port
// 0..65535).
#include "service/server/listen_address.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace qantara::server {

absl::StatusOr<ListenAddress> ParseListenAddress(std::string_view text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
    return absl::InvalidArgumentError(absl::StrCat("invalid listen address '", std::string(text),
                                                   "': want HOST:PORT, e.g. 127.0.0.1:50051"));
  }
  std::string_view host = text.substr(0, colon);
  if (host.front() == '[' ? host.back() != ']' : host.find(':') != std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat("invalid listen address '", std::string(text),
                                                   "': put IPv6 hosts in brackets, [::1]:50051"));
  }
  int port = -1;
  if (!absl::SimpleAtoi(std::string(text.substr(colon + 1)), &port) || port < 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid port in listen address '", std::string(text), "': want 0..65535"));
  }
  return ListenAddress{std::string(host), port};
}

}  // namespace qantara::server
