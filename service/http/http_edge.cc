// The HTTP/JSON edge (service/http/http_edge.h).
#include "service/http/http_edge.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "service/http/import_jobs.h"
#include "service/http/openapi.h"
#include "service/http/routes.h"
#include "service/http/tls_identity.h"
#include "service/http/transcode.h"

namespace qantara::http {

namespace v1 = qantara::v1;
using google::protobuf::Message;
using Params = std::vector<std::pair<std::string, std::string>>;

namespace {

constexpr const char* kJson = "application/json";

void SendError(httplib::Response& res, const grpc::Status& status) {
  res.status = HttpStatusOf(status.error_code());
  // RetryInfo (rate limits, a busy server, a write in progress) also as the
  // standard header, whole seconds rounded up.
  google::rpc::Status rich;
  if (!status.error_details().empty() && rich.ParseFromString(status.error_details())) {
    for (const google::protobuf::Any& detail : rich.details()) {
      google::rpc::RetryInfo retry;
      if (detail.UnpackTo(&retry)) {
        const int64_t ms = retry.retry_delay().seconds() * 1000 + retry.retry_delay().nanos() / 1000000;
        res.set_header("Retry-After", std::to_string(std::max<int64_t>(1, (ms + 999) / 1000)));
      }
    }
  }
  res.set_content(ErrorJson(status), kJson);
}

void SendError(httplib::Response& res, absl::StatusCode code, const std::string& message) {
  SendError(res, grpc::Status(static_cast<grpc::StatusCode>(code), message));
}

void SendError(httplib::Response& res, const absl::Status& status) {
  SendError(res, status.code(), std::string(status.message()));
}

// A server stream the HTTP client left before its end (gone, or too slow to
// read): cancelled, drained and finished, so the call ends on the server too.
template <class Stream, class Next>
void Abandon(grpc::ClientContext& ctx, Stream& stream, Next* next) {
  ctx.TryCancel();
  while (stream.Read(next)) {
  }
  (void)stream.Finish();
}

// The raw path of the request target (before '?', still percent-encoded).
std::string RawPath(const httplib::Request& req) {
  const std::string& target = req.target.empty() ? req.path : req.target;
  return target.substr(0, target.find('?'));
}

Params QueryOf(const httplib::Request& req) {
  Params out;
  for (const auto& [k, v] : req.params) out.emplace_back(k, v);
  return out;
}

// The Authorization header: "" when absent; an error when sent twice.
absl::StatusOr<std::string> Authorization(const httplib::Request& req) {
  const size_t n = req.get_header_value_count("Authorization");
  if (n > 1) return absl::InvalidArgumentError("more than one Authorization header: send one token");
  return n == 0 ? std::string() : req.get_header_value("Authorization");
}

// The language's primary subtag, lower case: "en_US" -> "en", "AR" -> "ar".
std::string Primary(absl::string_view tag) {
  std::string lower = absl::AsciiStrToLower(tag);
  return lower.substr(0, lower.find_first_of("-_"));
}

}  // namespace

HttpEdge::HttpEdge(const HttpOptions& options, std::shared_ptr<grpc::Channel> channel, HttpHooks hooks)
    : options_(options), channel_(std::move(channel)), hooks_(std::move(hooks)) {}

HttpEdge::~HttpEdge() { Stop(); }

absl::StatusOr<std::unique_ptr<HttpEdge>> HttpEdge::Start(const HttpOptions& options,
                                                          std::shared_ptr<grpc::Channel> channel,
                                                          HttpHooks hooks) {
  std::unique_ptr<HttpEdge> edge(new HttpEdge(options, std::move(channel), std::move(hooks)));
  edge->stubs_ = std::make_unique<Stubs>(edge->channel_);
  edge->jobs_ =
      std::make_unique<ImportJobs>(*edge->stubs_, options.max_running_imports, options.keep_finished_jobs);
  if (!options.upload_dir.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(options.upload_dir, ec);  // uploads of a server that stopped mid-import
    std::filesystem::create_directories(options.upload_dir, ec);
    if (ec)
      return absl::InternalError(absl::StrCat("cannot create ", options.upload_dir, ": ", ec.message()));
  }
  if (!options.cert_file.empty()) {
    edge->identity_ =
        std::make_unique<TlsIdentity>(options.cert_file, options.key_file, options.client_ca_file);
    if (absl::Status loaded = edge->identity_->Load(); !loaded.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("--http-listen: ", loaded.message()));
    }
    TlsIdentity* identity = edge->identity_.get();
    auto tls =
        std::make_unique<httplib::SSLServer>([identity](SSL_CTX& ctx) { return identity->Configure(ctx); });
    if (!tls->is_valid()) {
      return absl::InvalidArgumentError("--http-listen: cannot set up TLS");
    }
    edge->server_ = std::move(tls);
    edge->tls_ = true;
  } else {
    edge->server_ = std::make_unique<httplib::Server>();
  }
  edge->Install();
  httplib::Server& s = *edge->server_;
  const int port = options.port == 0                            ? s.bind_to_any_port(options.host)
                   : s.bind_to_port(options.host, options.port) ? options.port
                                                                : -1;
  if (port <= 0) {
    return absl::UnavailableError(absl::StrCat("--http-listen: cannot listen on ", options.host, ":",
                                               options.port,
                                               " (address in use or not available on this machine)"));
  }
  edge->port_ = port;
  edge->serving_.store(true);
  edge->thread_ = std::thread([server = edge->server_.get()] { server->listen_after_bind(); });
  return edge;
}

absl::Status HttpEdge::ReloadTls() {
  if (identity_ == nullptr) return absl::OkStatus();
  return identity_->Load();
}

void HttpEdge::Stop() {
  if (stopped_.exchange(true)) return;
  serving_.store(false);
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
  if (jobs_) jobs_->Shutdown();
}

void HttpEdge::Install() {
  httplib::Server& s = *server_;
  const int threads = std::max(1, options_.threads);
  s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  const auto idle = absl::ToChronoSeconds(options_.idle_timeout);
  s.set_keep_alive_timeout(std::max<time_t>(1, idle.count()));
  s.set_read_timeout(idle);
  s.set_write_timeout(idle);
  s.set_keep_alive_max_count(1000);
  s.set_tcp_nodelay(true);  // small JSON answers: no Nagle wait for the ACK
  s.set_payload_max_length(std::max<uint64_t>(options_.max_body_bytes, options_.max_upload_bytes));

  // Before any body is read: a body larger than the route allows is refused
  // from its Content-Length, and GET takes none.
  s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    const bool upload = req.method == "POST" && absl::EndsWith(RawPath(req), "/imports");
    const uint64_t length = req.get_header_value<uint64_t>("Content-Length");
    const bool chunked = absl::EqualsIgnoreCase(req.get_header_value("Transfer-Encoding"), "chunked");
    if ((req.method == "GET" || req.method == "HEAD") && (length > 0 || chunked)) {
      SendError(res, absl::StatusCode::kInvalidArgument,
                "GET takes no body: send the fields as query parameters");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!upload && length > options_.max_body_bytes) {
      res.status = 413;
      res.set_content(ErrorJson(absl::StatusCode::kInvalidArgument,
                                absl::StrCat("request body of ", length, " bytes is over the limit of ",
                                             options_.max_body_bytes, " bytes (--http-max-body-mb)")),
                      kJson);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  auto with_reader = [this](const httplib::Request& req, httplib::Response& res,
                            const httplib::ContentReader& reader) { Handle(req, res, &reader); };
  auto without = [this](const httplib::Request& req, httplib::Response& res) { Handle(req, res, nullptr); };
  // Every path, also one whose decoded form holds a line break (a tmserver
  // query such as "%0AText%0A"): std::regex's "." matches no '\n' or '\r'.
  const char* kAnyPath = R"([\s\S]*)";
  s.Get(kAnyPath, without);
  s.Post(kAnyPath, with_reader);
  s.Put(kAnyPath, with_reader);
  s.Patch(kAnyPath, with_reader);
  s.Delete(kAnyPath, with_reader);
  s.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    SendError(res, absl::StatusCode::kInternal, "internal error serving this request");
  });
  s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 404) {
      res.set_content(
          ErrorJson(absl::StatusCode::kNotFound, absl::StrCat("no route for ", req.method, " ", req.path)),
          kJson);
    } else if (res.status == 413) {
      res.set_content(ErrorJson(absl::StatusCode::kInvalidArgument, "request body over the limit"), kJson);
    } else if (res.status >= 400) {
      res.set_content(ErrorJson(absl::StatusCode::kInvalidArgument, absl::StrCat("HTTP ", res.status)),
                      kJson);
    }
  });
}

// A JSON body read up to the limit; false (and the response set) past it.
bool HttpEdge::ReadBody(const httplib::ContentReader* reader, httplib::Response& res, std::string* body) {
  if (reader == nullptr) return true;
  bool too_big = false;
  const size_t limit = options_.max_body_bytes;
  (*reader)([&](const char* data, size_t n) {
    if (body->size() + n > limit) {
      too_big = true;
      return false;
    }
    body->append(data, n);
    return true;
  });
  if (too_big) {
    res.status = 413;
    res.set_content(
        ErrorJson(absl::StatusCode::kInvalidArgument,
                  absl::StrCat("request body is over the limit of ", limit, " bytes (--http-max-body-mb)")),
        kJson);
    return false;
  }
  return true;
}

void HttpEdge::Prepare(grpc::ClientContext& ctx, const httplib::Request& req,
                       const std::string& authorization, bool deadline) {
  if (!authorization.empty()) ctx.AddMetadata("authorization", authorization);
  if (!options_.edge_secret.empty()) {
    ctx.AddMetadata("qantara-http-edge", options_.edge_secret);
    ctx.AddMetadata("qantara-http-peer", absl::StrCat(req.remote_addr, ":", req.remote_port));
  }
  if (deadline)
    ctx.set_deadline(std::chrono::system_clock::now() + absl::ToChronoSeconds(options_.call_timeout));
}

void HttpEdge::Handle(const httplib::Request& req, httplib::Response& res,
                      const httplib::ContentReader* reader) {
  const std::string path = RawPath(req);
  if (req.method == "GET") {
    if (path == "/healthz") return res.set_content("{\"status\":\"ok\"}", kJson);
    if (path == "/readyz") return Ready(res);
    if (path == "/metrics") return Metrics(req, res);
    if (path == "/v1/openapi.json") return res.set_content(OpenApiJson(), kJson);
  }
  absl::StatusOr<std::string> authorization = Authorization(req);
  if (!authorization.ok()) return SendError(res, authorization.status());
  if (absl::StartsWith(path, "/tmserver/")) return Tmserver(req, res, reader, *authorization);
  const std::vector<std::string> parts = absl::StrSplit(absl::StripPrefix(path, "/"), '/');
  // The import job and export download routes (not transcoded: a file goes
  // up or comes down, not JSON).
  if (parts.size() == 4 && parts[0] == "v1" && parts[1] == "memories") {
    std::string memory;
    if (!PercentDecode(parts[2], &memory)) {
      return SendError(res, absl::StatusCode::kInvalidArgument, "bad percent-escape in the memory name");
    }
    if (parts[3] == "imports" && req.method == "POST")
      return StartImport(req, res, reader, *authorization, memory);
    if (parts[3] == "export" && req.method == "GET") return Export(req, res, *authorization, memory);
  }
  if (parts.size() == 3 && parts[0] == "v1" && parts[1] == "imports" && req.method == "GET") {
    std::optional<std::string> job = jobs_->StatusJson(parts[2], *authorization);
    if (!job) {
      return SendError(res, absl::StatusCode::kNotFound,
                       absl::StrCat("no import job '", parts[2], "' for this token (jobs are kept for ",
                                    absl::FormatDuration(options_.keep_finished_jobs), " after they end)"));
    }
    return res.set_content(*job, kJson);
  }
  bool verb_mismatch = false;
  std::optional<RouteMatch> match = MatchRoute(req.method, path, &verb_mismatch);
  if (!match) {
    if (verb_mismatch) {
      return SendError(res, absl::StatusCode::kUnimplemented,
                       absl::StrCat(req.method, " is not a method of ", req.path, " (see /v1/openapi.json)"));
    }
    return SendError(res, absl::StatusCode::kNotFound,
                     absl::StrCat("no route for ", req.method, " ", req.path, " (see /v1/openapi.json)"));
  }
  const Route& route = *match->route;
  std::string body;
  if (!ReadBody(reader, res, &body)) return;
  std::unique_ptr<Message> request(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(route.method->input_type())->New());
  if (absl::Status s = BuildRequest(route, body, match->vars, QueryOf(req), request.get()); !s.ok()) {
    return SendError(res, s);
  }
  if (route.shape == Shape::kMessage) {
    grpc::ClientContext ctx;
    Prepare(ctx, req, *authorization, /*deadline=*/true);
    std::unique_ptr<Message> response;
    grpc::Status s = route.call(*stubs_, ctx, *request, &response);
    if (!s.ok()) return SendError(res, s);
    res.status = route.ok_status;
    return res.set_content(ToJson(*response), kJson);
  }
  // A server stream: the first message (or the error) before the headers,
  // then the rest as they come, as one JSON array.
  struct State {
    grpc::ClientContext ctx;
    std::unique_ptr<MessageStream> stream;
    std::unique_ptr<Message> next;
    bool started = false;
    bool finished = false;
  };
  auto state = std::make_shared<State>();
  Prepare(state->ctx, req, *authorization, /*deadline=*/true);
  state->stream = route.open(*stubs_, state->ctx, *request);
  if (!state->stream->Read(&state->next)) {
    grpc::Status s = state->stream->Finish();
    if (!s.ok()) return SendError(res, s);
    return res.set_content("[]", kJson);
  }
  res.set_chunked_content_provider(
      kJson,
      [state](size_t, httplib::DataSink& sink) {
        std::string piece = state->started ? "," : "[";
        state->started = true;
        piece += ToJson(*state->next);
        if (!sink.write(piece.data(), piece.size())) return false;
        if (state->stream->Read(&state->next)) return true;
        state->finished = true;
        if (!state->stream->Finish().ok()) return false;  // cut short: the client sees a truncated body
        sink.write("]", 1);
        sink.done();
        return true;
      },
      [state](bool) {
        if (!state->finished) Abandon(state->ctx, *state->stream, &state->next);
      });
}

void HttpEdge::Ready(httplib::Response& res) {
  if (!serving_.load()) {
    res.status = 503;
    return res.set_content("{\"status\":\"stopping\"}", kJson);
  }
  if (!writable_.load()) {
    res.status = 503;
    return res.set_content("{\"status\":\"writes stopped (see the server log)\"}", kJson);
  }
  res.set_content("{\"status\":\"ready\"}", kJson);
}

void HttpEdge::Metrics(const httplib::Request& req, httplib::Response& res) {
  if (hooks_.access_control && !options_.metrics_without_token) {
    absl::StatusOr<std::string> authorization = Authorization(req);
    if (!authorization.ok()) return SendError(res, authorization.status());
    // An admin token: ListTokens is admin-only, and cheap at page size 1.
    grpc::ClientContext ctx;
    Prepare(ctx, req, *authorization, /*deadline=*/true);
    v1::ListTokensRequest probe;
    probe.set_page_size(1);
    v1::ListTokensResponse ignored;
    grpc::Status s = stubs_->access->ListTokens(&ctx, probe, &ignored);
    if (!s.ok()) {
      return SendError(res, grpc::Status(s.error_code(), absl::StrCat("/metrics needs an admin token (or "
                                                                      "--metrics-without-token): ",
                                                                      s.error_message())));
    }
  }
  std::string text = hooks_.metrics ? hooks_.metrics() : std::string();
  res.set_content(text, "text/plain; version=0.0.4; charset=utf-8");
}

void HttpEdge::StartImport(const httplib::Request& req, httplib::Response& res,
                           const httplib::ContentReader* reader, const std::string& authorization,
                           const std::string& memory) {
  if (options_.upload_dir.empty()) {
    return SendError(res, absl::StatusCode::kUnimplemented, "imports over HTTP need an upload directory");
  }
  // What the client asks for, checked before the upload: the ImportStart
  // fields from the query, the memory readable with this token, a length
  // that fits the limit and the disk.
  static const Route start_route{
      "POST", "/v1/memories/{memory}/imports", "", nullptr, Shape::kMessage, 202, nullptr, nullptr, ""};
  v1::ImportStart start;
  if (absl::Status s = BuildRequest(start_route, "", {{"memory", memory}}, QueryOf(req), &start); !s.ok()) {
    return SendError(res, s);
  }
  if (!req.has_header("Content-Length")) {
    res.status = 411;
    return res.set_content(
        ErrorJson(absl::StatusCode::kInvalidArgument, "an import upload needs a Content-Length header"),
        kJson);
  }
  const uint64_t length = req.get_header_value<uint64_t>("Content-Length");
  if (length > options_.max_upload_bytes) {
    res.status = 413;
    return res.set_content(
        ErrorJson(absl::StatusCode::kInvalidArgument,
                  absl::StrCat("upload of ", length, " bytes is over the limit of ",
                               options_.max_upload_bytes, " bytes (--http-max-upload-mb)")),
        kJson);
  }
  struct statvfs fs;
  constexpr uint64_t kReserve = 1ull << 30;
  if (statvfs(options_.upload_dir.c_str(), &fs) == 0 &&
      static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize < length + kReserve) {
    res.status = 507;
    return res.set_content(
        ErrorJson(absl::StatusCode::kResourceExhausted,
                  absl::StrCat("not enough disk for an upload of ", length, " bytes (1 GiB is kept free)")),
        kJson);
  }
  {
    grpc::ClientContext ctx;
    Prepare(ctx, req, authorization, /*deadline=*/true);
    v1::GetMemoryRequest get;
    get.set_name(memory);
    v1::Memory info;
    if (grpc::Status s = stubs_->memory->GetMemory(&ctx, get, &info); !s.ok()) return SendError(res, s);
  }
  if (jobs_->running() >= options_.max_running_imports) {
    return SendError(
        res, absl::StatusCode::kResourceExhausted,
        absl::StrCat(options_.max_running_imports,
                     " import jobs are running (--http-max-imports): try again when one has finished"));
  }
  const std::string file = absl::StrCat(options_.upload_dir, "/", RandomHex());
  std::ofstream out(file, std::ios::binary);
  uint64_t got = 0;
  bool failed = !out;
  if (reader != nullptr && !failed) {
    (*reader)([&](const char* data, size_t n) {
      got += n;
      if (got > options_.max_upload_bytes) return false;
      out.write(data, static_cast<std::streamsize>(n));
      return static_cast<bool>(out);
    });
  }
  out.close();
  if (failed || !out || got != length) {
    std::remove(file.c_str());
    return SendError(res, absl::StatusCode::kInvalidArgument,
                     absl::StrCat("upload ended after ", got, " of ", length, " bytes"));
  }
  start.set_total_bytes(length);
  absl::StatusOr<std::string> id = jobs_->Start(authorization, start, file);
  if (!id.ok()) {
    std::remove(file.c_str());
    return SendError(res, id.status());
  }
  res.status = 202;
  res.set_header("Location", absl::StrCat("/v1/imports/", *id));
  res.set_content(*jobs_->StatusJson(*id, authorization), kJson);
}

void HttpEdge::Export(const httplib::Request& req, httplib::Response& res, const std::string& authorization,
                      const std::string& memory) {
  static const Route export_route{
      "GET", "/v1/memories/{memory}/export", "", nullptr, Shape::kMessage, 200, nullptr, nullptr, ""};
  v1::ExportRequest request;
  // ?format= takes the enum's names (FILE_FORMAT_PO) and, for a download
  // link, the file endings: tmx, po.
  Params query = QueryOf(req);
  for (auto& [key, value] : query) {
    if (key != "format") continue;
    if (value == "po" || value == "pot") value = "FILE_FORMAT_PO";
    if (value == "tmx") value = "FILE_FORMAT_TMX";
  }
  if (absl::Status s = BuildRequest(export_route, "", {{"memory", memory}}, query, &request); !s.ok()) {
    return SendError(res, s);
  }
  const bool po = request.format() == v1::FILE_FORMAT_PO;
  struct State {
    grpc::ClientContext ctx;
    std::unique_ptr<grpc::ClientReader<v1::ExportResponse>> reader;
    v1::ExportResponse next;
    bool finished = false;
  };
  auto state = std::make_shared<State>();
  Prepare(state->ctx, req, authorization, /*deadline=*/false);  // as long as the download takes
  state->reader = stubs_->import_export->Export(&state->ctx, request);
  if (!state->reader->Read(&state->next)) {
    grpc::Status s = state->reader->Finish();
    state->finished = true;
    if (!s.ok()) return SendError(res, s);
  }
  res.set_header("Content-Disposition", po ? "attachment; filename=\"qantara-export.po\""
                                           : "attachment; filename=\"qantara-export.tmx\"");
  res.set_chunked_content_provider(
      po ? "text/x-gettext-translation; charset=utf-8" : "application/x-tmx+xml; charset=utf-8",
      [state](size_t, httplib::DataSink& sink) {
        if (state->finished) {
          sink.done();
          return true;
        }
        const std::string& chunk = state->next.chunk();
        if (!chunk.empty() && !sink.write(chunk.data(), chunk.size())) return false;
        if (state->reader->Read(&state->next)) return true;
        state->finished = true;
        if (!state->reader->Finish().ok()) return false;  // cut short: no final chunk, the client sees it
        sink.done();
        return true;
      },
      [state](bool) {
        if (!state->finished) Abandon(state->ctx, *state->reader, &state->next);
      });
}

// Translate Toolkit's tmserver protocol (translate/services/tmserver.py):
//   GET  /tmserver/{slang}/{tlang}/unit/{text} -> [{"source", "target", "context", "quality"}]
//   PUT|POST /tmserver/{slang}/{tlang}/unit/{uid}, body {"source", "target"}: add the unit
void HttpEdge::Tmserver(const httplib::Request& req, httplib::Response& res,
                        const httplib::ContentReader* reader, const std::string& authorization) {
  const std::string path = RawPath(req);
  const std::vector<std::string> parts =
      absl::StrSplit(absl::StripPrefix(path, "/tmserver/"), absl::MaxSplits('/', 3));
  if (parts.size() != 4 || parts[2] != "unit") {
    return SendError(
        res, absl::StatusCode::kNotFound,
        "tmserver: only /tmserver/{slang}/{tlang}/unit/{text} is served (GET lookup, PUT/POST add)");
  }
  std::string slang, tlang, text;
  if (!PercentDecode(parts[0], &slang) || !PercentDecode(parts[1], &tlang) ||
      !PercentDecode(parts[3], &text)) {
    return SendError(res, absl::StatusCode::kInvalidArgument, "tmserver: bad percent-escape in the path");
  }
  // The memories of this pair (either direction) the caller may read.
  struct Pair {
    std::vector<std::string> forward, reverse;
  } pair;
  {
    std::string page_token;
    for (int pages = 0; pages < 100; ++pages) {
      grpc::ClientContext ctx;
      Prepare(ctx, req, authorization, /*deadline=*/true);
      v1::ListMemoriesRequest list;
      list.set_page_size(1000);
      list.set_page_token(page_token);
      v1::ListMemoriesResponse got;
      if (grpc::Status s = stubs_->memory->ListMemories(&ctx, list, &got); !s.ok()) return SendError(res, s);
      for (const v1::Memory& m : got.memories()) {
        if (!options_.tmserver_memories.empty() &&
            std::find(options_.tmserver_memories.begin(), options_.tmserver_memories.end(), m.name()) ==
                options_.tmserver_memories.end()) {
          continue;
        }
        const std::string ms = Primary(m.source_lang()), mt = Primary(m.target_lang());
        if (ms == Primary(slang) && mt == Primary(tlang)) pair.forward.push_back(m.name());
        if (ms == Primary(tlang) && mt == Primary(slang)) pair.reverse.push_back(m.name());
      }
      page_token = got.next_page_token();
      if (page_token.empty()) break;
    }
  }
  if (req.method == "PUT" || req.method == "POST") {
    std::string body;
    if (!ReadBody(reader, res, &body)) return;
    nlohmann::json unit = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (!unit.is_object() || !unit["source"].is_string() || !unit["target"].is_string()) {
      return SendError(res, absl::StatusCode::kInvalidArgument,
                       "tmserver: the body must be a JSON object with string \"source\" and \"target\"");
    }
    std::string memory = options_.tmserver_add_memory;
    bool reversed = false;
    if (memory.empty()) {
      const size_t n = pair.forward.size() + pair.reverse.size();
      if (n != 1) {
        return SendError(
            res, n == 0 ? absl::StatusCode::kNotFound : absl::StatusCode::kFailedPrecondition,
            absl::StrCat("tmserver: ", n, " memories of ", slang, "->", tlang,
                         " this token reaches: name the one to add to with --tmserver-add-memory"));
      }
      memory = pair.forward.empty() ? pair.reverse[0] : pair.forward[0];
      reversed = pair.forward.empty();
    } else {
      reversed = std::find(pair.reverse.begin(), pair.reverse.end(), memory) != pair.reverse.end() &&
                 std::find(pair.forward.begin(), pair.forward.end(), memory) == pair.forward.end();
    }
    v1::AddUnitRequest add;
    add.set_memory(memory);
    add.mutable_unit()->set_source(unit[reversed ? "target" : "source"].get<std::string>());
    add.mutable_unit()->set_target(unit[reversed ? "source" : "target"].get<std::string>());
    add.mutable_unit()->set_origin(v1::ORIGIN_MANUAL);
    grpc::ClientContext ctx;
    Prepare(ctx, req, authorization, /*deadline=*/true);
    v1::AddUnitResponse added;
    if (grpc::Status s = stubs_->memory->AddUnit(&ctx, add, &added); !s.ok()) return SendError(res, s);
    return res.set_content(ToJson(added), kJson);
  }
  if (req.method != "GET") {
    return SendError(res, absl::StatusCode::kUnimplemented, "tmserver: GET looks up, PUT and POST add");
  }
  int max_candidates = options_.tmserver_max_candidates;
  double min_similarity = options_.tmserver_min_similarity;
  if (req.has_param("max_candidates") &&
      (!absl::SimpleAtoi(req.get_param_value("max_candidates"), &max_candidates) || max_candidates < 1 ||
       max_candidates > 100)) {
    return SendError(res, absl::StatusCode::kInvalidArgument, "tmserver: max_candidates must be 1 to 100");
  }
  if (req.has_param("min_similarity") &&
      (!absl::SimpleAtod(req.get_param_value("min_similarity"), &min_similarity) ||
       !(min_similarity >= 0 && min_similarity <= 100))) {
    return SendError(res, absl::StatusCode::kInvalidArgument, "tmserver: min_similarity must be 0 to 100");
  }
  std::vector<v1::Match> matches;
  for (bool reverse : {false, true}) {
    const std::vector<std::string>& names = reverse ? pair.reverse : pair.forward;
    const size_t kPerLookup = std::max<size_t>(1, options_.max_lookup_memories);
    for (size_t at = 0; at < names.size(); at += kPerLookup) {
      v1::LookupRequest lookup;
      for (size_t i = at; i < std::min(names.size(), at + kPerLookup); ++i) lookup.add_memories(names[i]);
      lookup.set_text(text);
      lookup.set_threshold(min_similarity);
      lookup.set_max_results(static_cast<uint32_t>(max_candidates));
      lookup.set_reverse(reverse);
      grpc::ClientContext ctx;
      Prepare(ctx, req, authorization, /*deadline=*/true);
      v1::LookupResponse got;
      if (grpc::Status s = stubs_->memory->Lookup(&ctx, lookup, &got); !s.ok()) return SendError(res, s);
      for (const v1::Match& m : got.matches()) matches.push_back(m);
    }
  }
  std::stable_sort(matches.begin(), matches.end(),
                   [](const v1::Match& a, const v1::Match& b) { return a.score() > b.score(); });
  if (matches.size() > static_cast<size_t>(max_candidates)) matches.resize(max_candidates);
  nlohmann::json out = nlohmann::json::array();
  for (const v1::Match& m : matches) {
    out.push_back({{"source", m.source()},
                   {"target", m.target()},
                   {"context", m.unit().context().id()},
                   {"quality", static_cast<int>(std::lround(std::min(100.0, m.score())))}});
  }
  res.set_content(out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), kJson);
}

}  // namespace qantara::http
