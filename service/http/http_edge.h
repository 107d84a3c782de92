// The HTTP/JSON edge (--http-listen): the REST API of service/http/routes.h,
// import jobs, export downloads, Translate Toolkit's tmserver protocol,
// /metrics, /healthz, /readyz and /v1/openapi.json, on cpp-httplib.
//
// Every API request becomes a call on the server's own in-process gRPC
// channel, with the request's `Authorization: Bearer` header as the call's
// metadata: HTTP clients pass the same token checks, rate limits, request
// limits, admission, audit and request-id handling as gRPC clients, by the
// same code. The edge itself bounds what it reads before that: header and
// body sizes, upload sizes, connections' idle and read times, its threads.
#ifndef QANTARA_SERVICE_HTTP_HTTP_EDGE_H_
#define QANTARA_SERVICE_HTTP_HTTP_EDGE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"

namespace grpc {
class ClientContext;
}
namespace httplib {
class Server;
class ContentReader;
struct Request;
struct Response;
}  // namespace httplib

namespace qantara::http {

class ImportJobs;
class TlsIdentity;
struct Stubs;

struct HttpOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: a free port
  // TLS with the same files as gRPC (--tls-cert, --tls-key, --tls-client-ca);
  // empty cert_file: plaintext.
  std::string cert_file, key_file, client_ca_file;
  size_t max_body_bytes = 64 << 20;                 // a JSON request body
  uint64_t max_upload_bytes = 4ull << 30;           // an import's uploaded file
  int threads = 16;                                 // requests served at once
  absl::Duration call_timeout = absl::Minutes(10);  // deadline of each rpc
  absl::Duration idle_timeout = absl::Seconds(30);  // keep-alive and read/write timeouts
  std::string upload_dir;                           // import uploads are spooled here (emptied at start)
  int max_running_imports = 4;                      // import jobs at once (more: 429)
  absl::Duration keep_finished_jobs = absl::Hours(24);
  // /metrics without a token when access control is on (a scraper on a
  // private network); otherwise it needs an admin token.
  bool metrics_without_token = false;
  // tmserver: memories its lookups search ("" = every memory of the pair the
  // caller may read) and the memory its PUT/POST add to ("" = the pair's only
  // memory).
  std::vector<std::string> tmserver_memories;
  std::string tmserver_add_memory;
  // Sent with each call (metadata "qantara-http-edge") so the audit trail
  // trusts the HTTP client's address it names (rpc::SetHttpEdgeSecret).
  std::string edge_secret;
  int tmserver_max_candidates = 3;  // tmserver's own default
  double tmserver_min_similarity = 75;
  size_t max_lookup_memories = 32;  // --max-lookup-memories: tmserver lookups are split by it
};

struct HttpHooks {
  // The Prometheus text of /metrics ("" when there is none).
  std::function<std::string()> metrics;
  // Whether access control is enforced (tokens needed).
  bool access_control = false;
};

class HttpEdge {
 public:
  // Binds and starts serving on a thread of its own; the channel is the
  // server's in-process channel.
  static absl::StatusOr<std::unique_ptr<HttpEdge>> Start(const HttpOptions& options,
                                                         std::shared_ptr<grpc::Channel> channel,
                                                         HttpHooks hooks);
  ~HttpEdge();

  const std::string& host() const { return options_.host; }
  int port() const { return port_; }
  bool tls() const { return tls_; }
  // /readyz: serving (false while draining) and writes possible.
  void SetServing(bool serving) { serving_.store(serving); }
  void SetWritable(bool writable) { writable_.store(writable); }
  // SIGHUP: re-reads the TLS files; on success new connections get them, on
  // error the old ones keep serving. OK without TLS.
  absl::Status ReloadTls();
  // Stops accepting, cancels running import jobs, waits for them.
  void Stop();

 private:
  HttpEdge(const HttpOptions& options, std::shared_ptr<grpc::Channel> channel, HttpHooks hooks);
  void Install();
  void Handle(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader* reader);
  bool ReadBody(const httplib::ContentReader* reader, httplib::Response& res, std::string* body);
  void Prepare(grpc::ClientContext& ctx, const httplib::Request& req, const std::string& authorization,
               bool deadline);
  void Ready(httplib::Response& res);
  void Metrics(const httplib::Request& req, httplib::Response& res);
  void StartImport(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader* reader,
                   const std::string& authorization, const std::string& memory);
  void Export(const httplib::Request& req, httplib::Response& res, const std::string& authorization,
              const std::string& memory);
  void Tmserver(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader* reader,
                const std::string& authorization);

  HttpOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  HttpHooks hooks_;
  std::unique_ptr<TlsIdentity> identity_;  // with TLS; outlives server_
  std::unique_ptr<Stubs> stubs_;
  std::unique_ptr<ImportJobs> jobs_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  bool tls_ = false;
  std::atomic<bool> serving_{false};
  std::atomic<bool> writable_{true};
  std::atomic<bool> stopped_{false};
};

}  // namespace qantara::http

#endif  // QANTARA_SERVICE_HTTP_HTTP_EDGE_H_
