// qantara-server's limits on gRPC itself (issue 15, hostile input and load):
// threads and memory (a grpc::ResourceQuota), streams per connection,
// keepalive and idle connections, the message size derived from the request
// limits, and admission control (service/rpc/call_admission.h).
#ifndef QANTARA_SERVICE_SERVER_GRPC_LIMITS_H_
#define QANTARA_SERVICE_SERVER_GRPC_LIMITS_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "CLI/CLI.hpp"
#include "grpcpp/server_builder.h"
#include "service/rpc/call_admission.h"
#include "service/tm/request_limits.h"

namespace qantara::server {

struct GrpcLimitFlags {
  int max_threads = 128;                    // threads serving calls (ResourceQuota::SetMaxThreads)
  uint64_t grpc_memory_mb = 1024;           // gRPC's buffers (ResourceQuota::Resize)
  int max_streams_per_connection = 32;      // GRPC_ARG_MAX_CONCURRENT_STREAMS
  int64_t max_connection_idle_s = 600;      // GRPC_ARG_MAX_CONNECTION_IDLE_MS
  int64_t max_connection_age_s = 0;         // GRPC_ARG_MAX_CONNECTION_AGE_MS; 0: none
  int64_t max_connection_age_grace_s = 60;  // GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS
  int64_t keepalive_s = 60;                 // GRPC_ARG_KEEPALIVE_TIME_MS
  int64_t keepalive_timeout_s = 20;         // GRPC_ARG_KEEPALIVE_TIMEOUT_MS
  int64_t min_client_ping_s = 10;           // GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS
  int max_ping_strikes = 2;                 // GRPC_ARG_HTTP2_MAX_PING_STRIKES
  size_t max_heavy_calls = 0;               // 0: half the cores (at least 1)
  size_t heavy_queue = 8;
  size_t max_streams = 32;
  size_t stream_queue = 8;
  int64_t admission_wait_ms = 5000;
  double stream_stall_s = 120;
};

// Declares the flags on `app`, storing into `*flags`.
void AddGrpcLimitFlags(CLI::App& app, GrpcLimitFlags* flags);

// The message limit: `max_message_mb` when set, else derived from the
// request limits (an Align request holds two documents of
// max_document_bytes, plus 1 MiB for the rest), at least 4 MiB.
size_t MessageLimitBytes(size_t max_message_mb, const tm::RequestLimits& request);

// The admission pools and watchdog of the flags (heavy slots resolved).
rpc::AdmissionConfig AdmissionConfigOf(const GrpcLimitFlags& flags);

// Applies everything but admission to `builder`; `message_bytes` from
// MessageLimitBytes. Returns a one-line summary for the log.
std::string ApplyGrpcLimits(const GrpcLimitFlags& flags, size_t message_bytes, grpc::ServerBuilder& builder);

}  // namespace qantara::server

#endif  // QANTARA_SERVICE_SERVER_GRPC_LIMITS_H_
