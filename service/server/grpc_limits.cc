// The gRPC limits of service/server/grpc_limits.h.
#include "service/server/grpc_limits.h"

#include <algorithm>
#include <thread>

#include "absl/strings/str_cat.h"
#include "grpc/grpc.h"
#include "grpcpp/resource_quota.h"

namespace qantara::server {

void AddGrpcLimitFlags(CLI::App& app, GrpcLimitFlags* f) {
  app.add_option("--max-threads", f->max_threads,
                 "most threads serving calls (gRPC resource quota); a call arriving when all are busy is "
                 "refused with RESOURCE_EXHAUSTED")
      ->capture_default_str()
      ->check(CLI::Range(8, 100000));
  app.add_option("--grpc-memory-mb", f->grpc_memory_mb,
                 "MiB gRPC may use for its buffers (resource quota; past it gRPC shrinks its windows)")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{16}, uint64_t{1} << 20));
  app.add_option("--max-streams-per-connection", f->max_streams_per_connection,
                 "most calls one connection may have open at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 1 << 20));
  app.add_option("--max-connection-idle-s", f->max_connection_idle_s,
                 "a connection without calls for this long is closed (0: never)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 30));
  app.add_option("--max-connection-age-s", f->max_connection_age_s,
                 "a connection is closed after this long, its calls given --max-connection-age-grace-s "
                 "(0: never)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 30));
  app.add_option("--max-connection-age-grace-s", f->max_connection_age_grace_s,
                 "seconds the calls of an aged connection get to finish")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 30));
  app.add_option("--keepalive-s", f->keepalive_s,
                 "the server pings a connection silent for this long (a dead client's calls are then "
                 "cancelled)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 30));
  app.add_option("--keepalive-timeout-s", f->keepalive_timeout_s,
                 "a connection whose ping is not answered within this is closed")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 30));
  app.add_option("--min-client-ping-s", f->min_client_ping_s,
                 "clients may ping (keepalive) at most this often, with or without calls; more often "
                 "counts a strike")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 30));
  app.add_option("--max-ping-strikes", f->max_ping_strikes,
                 "a connection pinging too often this many times is closed (GOAWAY too_many_pings)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000));
  app.add_option(
         "--max-heavy-calls", f->max_heavy_calls,
         "heavy calls running at once (Align, AlignToMemory, Concordance, Fragments, exhaustive lookups, "
         "Segment with SRX rules); 0: half the cores, at least 1")
      ->capture_default_str()
      ->check(CLI::Range(size_t{0}, size_t{10000}));
  app.add_option("--heavy-queue", f->heavy_queue,
                 "heavy calls waiting for a slot; one more is refused with RESOURCE_EXHAUSTED")
      ->capture_default_str()
      ->check(CLI::Range(size_t{0}, size_t{10000}));
  app.add_option("--max-streams", f->max_streams,
                 "client-paced streaming calls running at once (AddUnits, Import, Export, BatchLookup)")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1}, size_t{100000}));
  app.add_option("--stream-queue", f->stream_queue, "streaming calls waiting for a slot")
      ->capture_default_str()
      ->check(CLI::Range(size_t{0}, size_t{100000}));
  app.add_option("--admission-wait-ms", f->admission_wait_ms,
                 "a queued heavy or streaming call is refused (RESOURCE_EXHAUSTED) after waiting this long")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 30));
  app.add_option("--stream-stall-s", f->stream_stall_s,
                 "a streaming call that neither sends nor receives a message for this long (a client that "
                 "never sends or never reads) is cancelled; 0: never")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1e9));
}

size_t MessageLimitBytes(size_t max_message_mb, const tm::RequestLimits& request) {
  if (max_message_mb > 0) return max_message_mb << 20;
  const size_t derived = 2 * request.max_document_bytes + (size_t{1} << 20);
  const size_t mib = (derived + (size_t{1} << 20) - 1) >> 20;
  return std::clamp<size_t>(mib, 4, 1024) << 20;
}

rpc::AdmissionConfig AdmissionConfigOf(const GrpcLimitFlags& f) {
  rpc::AdmissionConfig c;
  size_t heavy = f.max_heavy_calls;
  if (heavy == 0) heavy = std::max<size_t>(1, std::thread::hardware_concurrency() / 2);
  c.heavy.name = "heavy calls";
  c.heavy.flag = "--max-heavy-calls";
  c.heavy.slots = heavy;
  c.heavy.queue = f.heavy_queue;
  c.heavy.max_wait = absl::Milliseconds(f.admission_wait_ms);
  c.streams.name = "streaming calls";
  c.streams.flag = "--max-streams";
  c.streams.slots = f.max_streams;
  c.streams.queue = f.stream_queue;
  c.streams.max_wait = absl::Milliseconds(f.admission_wait_ms);
  c.stream_stall = absl::Milliseconds(static_cast<int64_t>(f.stream_stall_s * 1000));
  return c;
}

std::string ApplyGrpcLimits(const GrpcLimitFlags& f, size_t message_bytes, grpc::ServerBuilder& builder) {
  grpc::ResourceQuota quota("qantara-server");
  quota.SetMaxThreads(f.max_threads);
  quota.Resize(static_cast<size_t>(f.grpc_memory_mb) << 20);
  builder.SetResourceQuota(quota);
  builder.SetMaxReceiveMessageSize(static_cast<int>(message_bytes));
  builder.SetMaxSendMessageSize(static_cast<int>(message_bytes));
  auto ms = [](int64_t s) { return static_cast<int>(std::min<int64_t>(s * 1000, INT32_MAX)); };
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, f.max_streams_per_connection);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS,
                             f.max_connection_idle_s > 0 ? ms(f.max_connection_idle_s) : INT32_MAX);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS,
                             f.max_connection_age_s > 0 ? ms(f.max_connection_age_s) : INT32_MAX);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                             f.max_connection_age_s > 0 ? ms(f.max_connection_age_grace_s) : INT32_MAX);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, ms(f.keepalive_s));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, ms(f.keepalive_timeout_s));
  // The server's own keepalive pings go on while a stream is silent (a
  // stalled client's connection is still checked), and clients may ping
  // every --min-client-ping-s even without calls.
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, ms(f.min_client_ping_s));
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, f.max_ping_strikes);
  return absl::StrCat("gRPC limits: ", f.max_threads, " threads, ", f.grpc_memory_mb, " MiB buffers, ",
                      message_bytes >> 20, " MiB messages, ", f.max_streams_per_connection,
                      " streams a connection, idle connections closed after ", f.max_connection_idle_s, " s");
}

}  // namespace qantara::server
