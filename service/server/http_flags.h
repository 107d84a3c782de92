// The HTTP/JSON listener's flags (--http-listen and its limits) and the
// checks made before it starts (service/http/http_edge.h serves it).
#ifndef QANTARA_SERVICE_SERVER_HTTP_FLAGS_H_
#define QANTARA_SERVICE_SERVER_HTTP_FLAGS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "service/http/http_edge.h"
#include "service/server/tls_flags.h"

namespace qantara::server {

struct HttpFlags {
  std::string listen;        // "": no HTTP listener
  uint64_t max_body_mb = 0;  // 0: the gRPC message limit
  uint64_t max_upload_mb = 4096;
  int threads = 16;
  int max_imports = 4;
  bool metrics_without_token = false;
  std::vector<std::string> tmserver_memories;
  std::string tmserver_add_memory;
};

void AddHttpFlags(CLI::App& app, HttpFlags* flags);

// The edge's options: the address parsed, the same TLS files as gRPC, and
// the same refusals (a non-loopback address needs --auth, and TLS or
// --insecure). Uploads are spooled under DATA_DIR/http-uploads.
absl::StatusOr<http::HttpOptions> HttpOptionsOf(const HttpFlags& flags, const TlsFlags& tls, bool auth,
                                                const std::string& data_dir, size_t message_bytes);

}  // namespace qantara::server

#endif  // QANTARA_SERVICE_SERVER_HTTP_FLAGS_H_
