// qantara-server: the translation memory and alignment server.
//
// Startup: parse flags, open the RocksDB data dir (failing fast if another
// server holds it), bind, print `listening on HOST:PORT` as the first line on
// stdout. SIGINT/SIGTERM: stop accepting, drain in-flight calls within
// --shutdown-grace seconds, close RocksDB cleanly, exit 0. SIGHUP: reload the
// TLS certificates (service/server/tls_flags.h).

#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "grpc/support/log.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "service/base/low_priority.h"
#include "service/match/analyzer.h"
#include "service/rpc/access_service.h"
#include "service/rpc/admin_service.h"
#include "service/rpc/align_service.h"
#include "service/rpc/auth.h"
#include "service/rpc/call_admission.h"
#include "service/rpc/grpc_status.h"
#include "service/rpc/idempotency.h"
#include "service/rpc/import_service.h"
#include "service/rpc/memory_service.h"
#include "service/rpc/metrics.h"
#include "service/rpc/parse_errors.h"
#include "service/rpc/server_service.h"
#include "service/rpc/slow_calls.h"
#include "service/rpc/text_service.h"
#include "service/server/access_bootstrap.h"
#include "service/server/check.h"
#include "service/server/grpc_limits.h"
#include "service/server/http_flags.h"
#include "service/server/limit_flags.h"
#include "service/server/listen_address.h"
#include "service/server/log.h"
#include "service/server/restore.h"
#include "service/server/tls_flags.h"
#include "service/tm/access.h"
#include "service/tm/memories.h"
#include "service/tm/rate_limits.h"
#include "storage/lexicon_store.h"
#include "storage/store.h"

namespace qantara::server {
namespace {

int Fail(const std::string& message) {
  std::fprintf(stderr, "qantara-server: %.*s\n", static_cast<int>(message.size()), message.data());
  return 1;
}

// What the server speaks, once it listens.
void LogTransport(const TlsFlags& flags, const TlsServer* tls, const ListenAddress& address, int port) {
  if (tls != nullptr) {
    Log(LogLevel::kInfo,
        absl::StrCat("TLS", flags.client_ca_file.empty() ? "" : " with client certificates (mTLS)", ": ",
                     tls->material().summary));
    if (!tls->material().warning.empty()) Log(LogLevel::kWarn, tls->material().warning);
  } else if (!IsLoopbackHost(address.host)) {
    Log(LogLevel::kWarn,
        absl::StrCat(
            "serving plaintext (no TLS) on ", address.host, ":", port,
            " (--insecure): anyone on the network can read and alter the calls, API tokens included"));
  }
  if (flags.reflection) Log(LogLevel::kInfo, "gRPC reflection on (--reflection)");
}

// SIGHUP: new TLS certificates, validated first; a bad file keeps the old.
void ReloadTls(TlsServer* tls) {
  if (tls == nullptr) {
    Log(LogLevel::kInfo, "received SIGHUP: no TLS certificates to reload (no --tls-cert)");
    return;
  }
  if (absl::Status reloaded = tls->Reload(); !reloaded.ok()) {
    Log(LogLevel::kError,
        absl::StrCat("SIGHUP: not reloading the TLS certificates, the old ones keep serving: ",
                     reloaded.message()));
    return;
  }
  Log(LogLevel::kInfo, absl::StrCat("reloaded TLS certificates: ", tls->material().summary,
                                    " (new connections get them within about a second)"));
  if (!tls->material().warning.empty()) Log(LogLevel::kWarn, tls->material().warning);
}

int Run(int argc, char** argv) {
  CLI::App app{"qantara-server: Arabic<->English translation memory and alignment server"};
  std::string listen = "127.0.0.1:50051";
  std::string data_dir = "./var/qantara";
  std::string log_level = "info";
  double grace_seconds = 10;
  std::string dictd_dir = "/usr/share/dictd";
  bool sync_writes = false;
  uint64_t cache_mb = storage::MemoryStoreOptions{}.cache_bytes >> 20;
  uint64_t key_cache_mb = storage::MemoryStoreOptions{}.key_cache_bytes >> 20;
  uint64_t block_cache_mb = storage::StoreOptions{}.block_cache_bytes >> 20;
  bool auth = false;
  uint32_t audit_days = 90;
  uint32_t request_id_hours = 24;
  tm::RateLimitOptions rates;
  double calls_per_s = rates.translator.calls_per_s, units_per_s = rates.translator.units_per_s;
  double cpu_ms_per_s = rates.translator.cpu_ms_per_s;
  double priority_cpu_ms_per_s = rates.priority_cpu_ms_per_s;
  app.add_option("--listen", listen, "HOST:PORT to listen on; port 0 picks a free port")
      ->capture_default_str();
  app.add_option("--data-dir", data_dir, "RocksDB data directory (created if missing)")
      ->capture_default_str();
  app.add_option("--log-level", log_level, "debug, info, warn or error")->capture_default_str();
  app.add_option("--shutdown-grace", grace_seconds, "seconds in-flight calls get to finish on SIGINT/SIGTERM")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_option("--dictd-dir", dictd_dir,
                 "directory of the FreeDict freedict-ara-eng / freedict-eng-ara dictd files "
                 "used by the aligner")
      ->capture_default_str();
  app.add_flag("--sync-writes", sync_writes,
               "acknowledge a write only once it is on disk (the write-ahead log fsync'ed, concurrent "
               "writes sharing one fsync): acknowledged writes then survive a power loss, not only a "
               "crash of the server");
  app.add_option("--cache-mb", cache_mb,
                 "MiB of posting and exact lists kept in memory (all memories; least recently used "
                 "evicted past it)")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{0}, uint64_t{1} << 24));
  app.add_option("--block-cache-mb", block_cache_mb,
                 "MiB of RocksDB's block cache (units, unit keys and index blocks as stored, all memories)")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 24));
  app.add_option("--key-cache-mb", key_cache_mb,
                 "MiB of unit matching keys kept in memory (all memories; about 600 bytes a unit): a "
                 "memory's keys are held whole when they fit in what is left, else read from disk")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{0}, uint64_t{1} << 24));
  app.add_flag("--auth", auth,
               "check an API token on every call (but health checks): roles and memory scopes, tokens made "
               "with `qantara token create`; the first start writes an admin token to DATA_DIR/admin.token");
  app.add_option("--audit-days", audit_days,
                 "days the audit trail keeps each event (writes, deletes, imports, exports, backups, token "
                 "changes; read with `qantara audit`)")
      ->capture_default_str()
      ->check(CLI::Range(1, 36500));
  app.add_option("--request-id-hours", request_id_hours,
                 "hours the server remembers each mutating call's request_id and response (a retry within "
                 "them is answered from memory, not carried out again)")
      ->capture_default_str()
      ->check(CLI::Range(1, 24 * 366));
  app.add_option(
         "--token-calls-per-s", calls_per_s,
         "with --auth: calls a second each non-admin token may make (bursts of 10 s of it); 0: no limit")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1e9));
  app.add_option("--token-units-per-s", units_per_s,
                 "with --auth: units a second each translator or manager token may write (adds, imports, "
                 "align-to-memory); 0: no limit")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1e12));
  app.add_option("--token-cpu-ms-per-s", cpu_ms_per_s,
                 "with --auth: milliseconds of CPU time a second each non-admin token's calls may take "
                 "(bursts of 10 s of it; calls that write units are paid for by --token-units-per-s "
                 "instead), so no token takes more than its share of the cores; 0: no limit")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1e9));
  app.add_option("--token-priority-cpu-ms-per-s", priority_cpu_ms_per_s,
                 "with --auth: milliseconds of CPU time a second each non-admin token's calls may take at "
                 "normal priority (a budget of 2 s of it); beyond, its calls run at the lowest CPU priority "
                 "(--low-priority) until it is back within it, so light clients' lookups keep their latency; "
                 "0: no such share")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1e9));
  double slow_call_ms = 1000;
  app.add_option("--slow-call-ms", slow_call_ms,
                 "log each call that takes longer than this (wall, CPU and lock-wait milliseconds, the "
                 "peer, the token); 0: none")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1e9));
  int slow_call_lines = 10;
  app.add_option("--slow-call-lines-per-s", slow_call_lines,
                 "most slow-call lines a second (the calls left out are counted in the next line)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  std::string low_priority = "nice";
  app.add_option("--low-priority", low_priority,
                 "how heavy calls (alignments, exhaustive and low-threshold lookups, concordance, SRX) and "
                 "calls of a token over its CPU share are made to yield the cores: idle (SCHED_IDLE: a "
                 "waking normal call preempts them at once) or nice (nice 19)")
      ->capture_default_str()
      ->check(CLI::IsMember({"idle", "nice"}));
  RestoreFlags restore;
  AddRestoreFlags(app, &restore);
  LimitFlags limits;
  AddLimitFlags(app, &limits);
  GrpcLimitFlags grpc_limits;
  AddGrpcLimitFlags(app, &grpc_limits);
  CheckFlags check;
  AddCheckFlags(app, &check);
  TlsFlags tls_flags;
  AddTlsFlags(app, &tls_flags);
  HttpFlags http_flags;
  AddHttpFlags(app, &http_flags);
  app.set_version_flag("--version", absl::StrCat("qantara-server ", QANTARA_VERSION));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  absl::StatusOr<LogLevel> level = ParseLogLevel(log_level);
  if (!level.ok()) return Fail(std::string(level.status().message()));
  SetLogLevel(*level);
  gpr_set_log_verbosity(*level == LogLevel::kDebug ? GPR_LOG_SEVERITY_DEBUG : GPR_LOG_SEVERITY_ERROR);

  absl::StatusOr<ListenAddress> address = ParseListenAddress(listen);
  if (!address.ok()) return Fail(std::string(address.status().message()));

  if (check.check) return RunCheck(check, data_dir);

  if (absl::Status checked = CheckTlsFlags(tls_flags, *address); !checked.ok()) {
    return Fail(std::string(checked.message()));
  }
  if (!auth && !IsLoopbackHost(address->host)) {
    return Fail(absl::StrCat("--listen ", listen,
                             " reaches beyond this machine: start with --auth (every call then needs an API "
                             "token; README \"Operating securely\"), or listen on 127.0.0.1"));
  }
  // The HTTP listener's flags are checked as early (the message limit they
  // default to is filled in once known).
  std::optional<http::HttpOptions> http_options;
  if (!http_flags.listen.empty()) {
    absl::StatusOr<http::HttpOptions> checked = HttpOptionsOf(http_flags, tls_flags, auth, data_dir, 0);
    if (!checked.ok()) return Fail(std::string(checked.status().message()));
    http_options = *std::move(checked);
    rpc::SetHttpEdgeSecret(http_options->edge_secret);
  }
  std::unique_ptr<TlsServer> tls;
  if (tls_flags.tls()) {
    absl::StatusOr<std::unique_ptr<TlsServer>> created = TlsServer::Create(tls_flags);
    if (!created.ok()) return Fail(std::string(created.status().message()));
    tls = std::move(*created);
  }

  // Block the shutdown and reload signals in every thread; the main thread
  // waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  absl::StatusOr<bool> restored = RestoreIfAsked(restore, data_dir);
  if (!restored.ok()) return Fail(std::string(restored.status().message()));
  absl::StatusOr<std::unique_ptr<storage::Store>> store = storage::Store::Open(
      data_dir, storage::StoreOptions{.sync_writes = sync_writes, .block_cache_bytes = block_cache_mb << 20});
  if (!store.ok()) return Fail(std::string(store.status().message()));
  Log(LogLevel::kInfo,
      absl::StrCat("opened data dir ", data_dir,
                   sync_writes ? " (writes synced to disk before they are acknowledged)" : ""));
  if (restore.only) return (*store)->Close().ok() ? 0 : Fail("closing the restored data dir failed");

  absl::StatusOr<std::unique_ptr<rpc::TextServiceImpl>> text_service = rpc::TextServiceImpl::Create();
  if (!text_service.ok()) return Fail(std::string(text_service.status().message()));

  absl::StatusOr<std::unique_ptr<match::Analyzer>> analyzer = match::CreateTextAnalyzer();
  if (!analyzer.ok()) return Fail(std::string(analyzer.status().message()));
  storage::MemoryStoreOptions memory_options;
  memory_options.cache_bytes = cache_mb << 20;
  memory_options.key_cache_bytes = key_cache_mb << 20;
  absl::StatusOr<std::unique_ptr<tm::Memories>> memories =
      tm::Memories::Open(**store, **analyzer, memory_options);
  if (!memories.ok()) return Fail(std::string(memories.status().message()));
  if (absl::StatusOr<storage::StoreStats> stats = (*memories)->Stats(); stats.ok()) {
    // Damage found at open: the rest is served; `--check` tells more.
    for (const std::string& problem : stats->problems) Log(LogLevel::kError, problem);
  }
  (*memories)->SetRequestLimits(limits.request);
  (*memories)->StartWarmUp();  // background: unit keys into memory; serving starts now
  rpc::MemoryServiceImpl memory_service(**memories);
  rpc::ImportExportServiceImpl import_service(**memories);
  rpc::AdminServiceImpl admin_service(**store);
  // The tokens and the audit trail (kept with and without --auth).
  absl::StatusOr<std::unique_ptr<tm::AccessControl>> opened = tm::AccessControl::Open(**store);
  if (!opened.ok()) return Fail(std::string(opened.status().message()));
  std::unique_ptr<tm::AccessControl> access = *std::move(opened);
  access->SetAuditKeep(absl::Hours(24) * audit_days);
  rpc::SetAuditErrorHandler(
      [](const absl::Status& s) { Log(LogLevel::kError, absl::StrCat("audit trail: ", s.message())); });
  if (auth) {
    absl::StatusOr<std::string> first = WriteFirstAdminToken(*access, data_dir);
    if (!first.ok()) return Fail(std::string(first.status().message()));
    if (!first->empty()) Log(LogLevel::kWarn, *first);
    Log(LogLevel::kInfo, "access control on: every call needs an API token");
  }
  rpc::InstallAccessControl(access.get(), /*enforce=*/auth);
  tm::RequestLog request_log(**store, absl::Hours(request_id_hours));
  if (absl::StatusOr<uint64_t> expired = request_log.Expire(); !expired.ok()) {
    Log(LogLevel::kError, absl::StrCat("request ids: ", expired.status().message()));
  }
  rpc::InstallRequestLog(&request_log);
  SetLowPriorityPolicy(low_priority == "nice" ? LowPriorityPolicy::kNice19 : LowPriorityPolicy::kIdle);
  rates.priority_cpu_ms_per_s = priority_cpu_ms_per_s;
  rates.reader = {calls_per_s, 0, cpu_ms_per_s};
  rates.translator = rates.manager = {calls_per_s, units_per_s, cpu_ms_per_s};
  tm::RateLimiter limiter(rates);
  if (auth) rpc::InstallRateLimiter(&limiter);
  rpc::AccessServiceImpl access_service(auth ? access.get() : nullptr, access.get());
  // FreeDict loads in the background; Align calls wait for it.
  absl::StatusOr<std::unique_ptr<rpc::AlignServiceImpl>> align_service =
      rpc::AlignServiceImpl::Create(dictd_dir, [](const std::string& warning, int64_t ms) {
        if (!warning.empty()) Log(LogLevel::kWarn, warning);
        Log(LogLevel::kInfo, absl::StrCat("aligner ready in ", ms, " ms"));
      });
  if (!align_service.ok()) return Fail(std::string(align_service.status().message()));
  storage::LexiconStore lexicons(**store);
  (*align_service)->UseMemories(**memories, lexicons);
  (*align_service)->SetRequestLimits(limits.request);
  (*text_service)->SetRequestLimits(limits.request);

  grpc::EnableDefaultHealthCheckService(true);
  if (tls_flags.reflection) grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  ApplyReflectionFlag(tls_flags, builder);
  int bound_port = 0;
  builder.AddListeningPort(absl::StrCat(address->host, ":", address->port),
                           tls ? tls->credentials() : grpc::InsecureServerCredentials(), &bound_port);
  const size_t message_bytes = MessageLimitBytes(limits.max_message_mb, limits.request);
  Log(LogLevel::kInfo, ApplyGrpcLimits(grpc_limits, message_bytes, builder));
  const rpc::AdmissionConfig admission = AdmissionConfigOf(grpc_limits);
  rpc::InstallAdmission(admission);
  Log(LogLevel::kInfo,
      absl::StrCat("admission: ", admission.heavy.slots, " heavy calls (", admission.heavy.queue,
                   " waiting), ", admission.streams.slots, " streams (", admission.streams.queue,
                   " waiting), streams silent for ", grpc_limits.stream_stall_s, " s cancelled"));
  rpc::InstallParseErrorCapture();
  rpc::ConfigureClientErrors(data_dir, [](const std::string& line) { Log(LogLevel::kError, line); });
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors =
      rpc::AdmissionInterceptors();
  interceptors.push_back(rpc::ParseErrorInterceptorFactory());
  if (auth && (cpu_ms_per_s > 0 || priority_cpu_ms_per_s > 0))
    interceptors.push_back(rpc::CpuChargeInterceptorFactory());
  if (slow_call_ms > 0) {
    interceptors.push_back(rpc::SlowCallInterceptorFactory(
        {.threshold = absl::Microseconds(static_cast<int64_t>(slow_call_ms * 1000)),
         .max_lines_per_s = slow_call_lines,
         .log = [](std::string_view line) { Log(LogLevel::kWarn, line); }}));
  }
  // Prometheus metrics (service/rpc/metrics.h): every call counted and timed;
  // rpc::ScrapeMetrics() renders them for the HTTP listener's /metrics.
  rpc::RpcMetrics rpc_metrics;
  interceptors.push_back(rpc_metrics.InterceptorFactory());
  rpc::InstallMetrics(rpc::ServerMetricsSources(rpc_metrics, **memories, **store, QANTARA_VERSION));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  builder.RegisterService(text_service->get());
  builder.RegisterService(&memory_service);
  builder.RegisterService(align_service->get());
  builder.RegisterService(&import_service);
  builder.RegisterService(&admin_service);
  builder.RegisterService(&access_service);
  rpc::ServerServiceImpl server_service(rpc::ServerFacts{.version = QANTARA_VERSION,
                                                         .storage_format_version = storage::kFormatVersion,
                                                         .limits = limits.request,
                                                         .max_message_bytes = message_bytes});
  builder.RegisterService(&server_service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || bound_port == 0) {
    rpc::UninstallMetrics();
    if (absl::Status closed = (*store)->Close(); !closed.ok()) {
      Log(LogLevel::kWarn, absl::StrCat("closing the data dir: ", closed.ToString()));
    }
    return Fail(
        absl::StrCat("cannot listen on ", listen, " (address in use or not available on this machine)"));
  }
  server->GetHealthCheckService()->SetServingStatus(true);
  // The HTTP/JSON edge: its calls go through the in-process channel, so they
  // meet the same checks as gRPC clients.
  std::unique_ptr<http::HttpEdge> http_edge;
  if (http_options) {
    if (http_flags.max_body_mb == 0) http_options->max_body_bytes = message_bytes;
    http_options->max_lookup_memories = limits.request.max_lookup_memories;
    absl::StatusOr<std::unique_ptr<http::HttpEdge>> started = [&] {
      grpc::ChannelArguments args;
      args.SetMaxReceiveMessageSize(static_cast<int>(std::min<size_t>(message_bytes, INT32_MAX)));
      args.SetMaxSendMessageSize(static_cast<int>(std::min<size_t>(message_bytes, INT32_MAX)));
      return http::HttpEdge::Start(*http_options, server->InProcessChannel(args),
                                   http::HttpHooks{.metrics =
                                                       [] {
                                                         absl::StatusOr<std::string> text =
                                                             rpc::ScrapeMetrics();
                                                         return text.ok() ? *std::move(text) : std::string();
                                                       },
                                                   .access_control = auth});
    }();
    if (!started.ok()) {
      server->Shutdown();
      server->Wait();
      rpc::UninstallMetrics();
      if (absl::Status closed = (*store)->Close(); !closed.ok()) {
        Log(LogLevel::kWarn, absl::StrCat("closing the data dir: ", closed.ToString()));
      }
      return Fail(std::string(started.status().message()));
    }
    http_edge = *std::move(started);
  }
  // Health of writes: service "qantara.v1.writes" is NOT_SERVING while the
  // store cannot write (a full disk; README "Disk full"), "" stays SERVING
  // while reads are served. The store calls this now and on each change,
  // until it is closed.
  (*store)->WatchWrites([health = server->GetHealthCheckService(), edge = http_edge.get(),
                         first = true](const absl::Status& writes) mutable {
    health->SetServingStatus("qantara.v1.writes", writes.ok());
    if (edge != nullptr) edge->SetWritable(writes.ok());
    if (!writes.ok()) Log(LogLevel::kError, absl::StrCat("writes stopped: ", writes.message()));
    if (writes.ok() && !first) Log(LogLevel::kInfo, "writes resumed");
    first = false;
  });

  std::printf("listening on %s:%d\n", address->host.c_str(), bound_port);
  std::fflush(stdout);
  Log(LogLevel::kInfo, absl::StrCat("serving on ", address->host, ":", bound_port));
  LogTransport(tls_flags, tls.get(), *address, bound_port);
  if (http_edge) {
    std::printf("http listening on %s:%d\n", http_edge->host().c_str(), http_edge->port());
    std::fflush(stdout);
    Log(LogLevel::kInfo, absl::StrCat("HTTP/JSON API on ", http_flags.listen, " (port ", http_edge->port(),
                                      ", ", http_edge->tls() ? "TLS" : "plaintext", ")"));
  }

  int sig = 0;
  while (sigwait(&signals, &sig) == 0 && sig == SIGHUP) {
    ReloadTls(tls.get());
    if (http_edge && http_edge->tls()) {
      if (absl::Status reloaded = http_edge->ReloadTls(); !reloaded.ok()) {
        Log(LogLevel::kError,
            absl::StrCat("SIGHUP: the HTTP listener keeps its old certificates: ", reloaded.message()));
      } else {
        Log(LogLevel::kInfo, "reloaded the HTTP listener's TLS certificates");
      }
    }
  }
  Log(LogLevel::kInfo,
      absl::StrCat("received ", strsignal(sig), ", draining calls (up to ", grace_seconds, " s)"));
  server->GetHealthCheckService()->SetServingStatus(false);
  if (http_edge) http_edge->SetServing(false);
  const auto deadline = std::chrono::system_clock::now() +
                        std::chrono::milliseconds(static_cast<int64_t>(grace_seconds * 1000));
  server->Shutdown(deadline);  // HTTP requests in flight end with it: their calls are its calls
  if (http_edge) http_edge->Stop();
  server->Wait();
  rpc::UninstallMetrics();  // before the store closes (waits for a scrape in progress)
  rpc::UninstallAdmission();
  rpc::InstallAccessControl(nullptr);
  rpc::InstallRequestLog(nullptr);
  rpc::InstallRateLimiter(nullptr);
  (*align_service)->DetachMemories();  // background lexicon training stops before the store closes
  memories->reset();                   // writes the index entries it buffers
  absl::Status closed = (*store)->Close();
  if (!closed.ok()) {
    Log(LogLevel::kError, absl::StrCat("closing data dir: ", std::string(closed.message())));
    return 1;
  }
  Log(LogLevel::kInfo, "stopped cleanly");
  return 0;
}

}  // namespace
}  // namespace qantara::server

int main(int argc, char** argv) { return qantara::server::Run(argc, argv); }
