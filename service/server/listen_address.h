// Parsing of the server's --listen address.
#ifndef QANTARA_SERVICE_SERVER_LISTEN_ADDRESS_H_
#define QANTARA_SERVICE_SERVER_LISTEN_ADDRESS_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace qantara::server {

struct ListenAddress {
  std::string host;  // as given: "127.0.0.1", "0.0.0.0", "[::1]", "localhost"
  int port = 0;      // 0 lets the kernel pick a free port
};

// Parses "HOST:PORT" (IPv6 hosts in brackets). Returns InvalidArgument for a
// missing host or port, or a port outside 0..65535.
absl::StatusOr<ListenAddress> ParseListenAddress(std::string_view text);

}  // namespace qantara::server

#endif  // QANTARA_SERVICE_SERVER_LISTEN_ADDRESS_H_
