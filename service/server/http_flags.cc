// --http-listen and friends (service/server/http_flags.h).
#include "service/server/http_flags.h"

#include <openssl/rand.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "service/server/listen_address.h"

namespace qantara::server {

void AddHttpFlags(CLI::App& app, HttpFlags* flags) {
  app.add_option("--http-listen", flags->listen,
                 "HOST:PORT of the HTTP/JSON API (REST /v1, tmserver, /metrics, /healthz); off when empty. "
                 "Same TLS files, tokens and limits as gRPC");
  app.add_option("--http-max-body-mb", flags->max_body_mb,
                 "MiB of a JSON request body over HTTP (0: the gRPC message limit)")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{0}, uint64_t{1} << 12));
  app.add_option("--http-max-upload-mb", flags->max_upload_mb, "MiB of a file uploaded to an HTTP import job")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 20));
  app.add_option("--http-threads", flags->threads, "HTTP requests served at once (more wait for a thread)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  app.add_option("--http-max-imports", flags->max_imports, "HTTP import jobs running at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  app.add_flag("--metrics-without-token", flags->metrics_without_token,
               "with --auth: serve /metrics without a token (a scraper on a private network); otherwise it "
               "needs an admin token");
  app.add_option("--tmserver-memory", flags->tmserver_memories,
                 "memory the tmserver endpoint searches (repeat; default: every memory of the language pair "
                 "the caller may read)");
  app.add_option("--tmserver-add-memory", flags->tmserver_add_memory,
                 "memory tmserver PUT/POST add to (default: the pair's only memory)");
}

absl::StatusOr<http::HttpOptions> HttpOptionsOf(const HttpFlags& flags, const TlsFlags& tls, bool auth,
                                                const std::string& data_dir, size_t message_bytes) {
  absl::StatusOr<ListenAddress> address = ParseListenAddress(flags.listen);
  if (!address.ok())
    return absl::InvalidArgumentError(absl::StrCat("--http-listen: ", address.status().message()));
  if (absl::Status checked = CheckTlsFlags(tls, *address); !checked.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--http-listen: ", checked.message()));
  }
  if (!auth && !IsLoopbackHost(address->host)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--http-listen ", flags.listen,
                     " reaches beyond this machine: start with --auth, or listen on "
                     "127.0.0.1"));
  }
  http::HttpOptions o;
  o.host = address->host;
  if (o.host.size() > 2 && o.host.front() == '[' && o.host.back() == ']')
    o.host = o.host.substr(1, o.host.size() - 2);
  o.port = address->port;
  o.cert_file = tls.cert_file;
  o.key_file = tls.key_file;
  o.client_ca_file = tls.client_ca_file;
  o.max_body_bytes = flags.max_body_mb == 0 ? message_bytes : flags.max_body_mb << 20;
  o.max_upload_bytes = flags.max_upload_mb << 20;
  o.threads = flags.threads;
  o.max_running_imports = flags.max_imports;
  o.upload_dir = data_dir + "/http-uploads";
  o.metrics_without_token = flags.metrics_without_token;
  o.tmserver_memories = flags.tmserver_memories;
  o.tmserver_add_memory = flags.tmserver_add_memory;
  unsigned char secret[16];
  if (RAND_bytes(secret, sizeof secret) != 1) return absl::InternalError("no random bytes for the HTTP edge");
  o.edge_secret =
      absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(secret), sizeof secret));
  return o;
}

}  // namespace qantara::server
