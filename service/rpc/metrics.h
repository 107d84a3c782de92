// Prometheus metrics (issue 17): the gRPC edge's call counts and latencies
// (RpcMetrics, fed by a server interceptor), and the text exposition format
// 0.0.4 of those and of the store, the caches, RocksDB, imports and the
// process (RenderPrometheus). The HTTP listener serves ScrapeMetrics() at
// /metrics; README "Metrics" lists the metric names.
//
// Recording a call costs a hash lookup when it starts and a few relaxed
// atomic adds when its status is sent: each method has a fixed slot, made
// once from the services of the generated descriptor pool (package
// qantara.v1), so the label set of the rpc metrics is fixed; calls to any
// other method (grpc.health.v1.Health, reflection, unknown methods) are
// counted under method="other".
#ifndef QANTARA_SERVICE_RPC_METRICS_H_
#define QANTARA_SERVICE_RPC_METRICS_H_

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/server_interceptor.h"
#include "grpcpp/support/status.h"
#include "service/rpc/call_admission.h"
#include "service/rpc/import_service.h"
#include "service/tm/memories.h"
#include "storage/memory_store.h"
#include "storage/store.h"

namespace qantara::rpc {

// Upper bounds (seconds) of the latency histogram's buckets (+Inf follows).
inline constexpr std::array<double, 14> kLatencyBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                           0.1,    0.25,  0.5,    1,     2.5,  5,     10};
// gRPC status codes 0 (OK) to 16 (UNAUTHENTICATED).
inline constexpr size_t kGrpcCodes = 17;
// The HTTP Content-Type of RenderPrometheus's text.
inline constexpr absl::string_view kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

// "OK", "INVALID_ARGUMENT", ... ("UNKNOWN" for a code out of range).
absl::string_view GrpcCodeName(grpc::StatusCode code);

class RpcMetrics {
 public:
  // One method's figures, read at one moment (each counter on its own: a
  // call finishing meanwhile may show in one and not yet in another).
  struct MethodFigures {
    std::string method;                      // "qantara.v1.MemoryService/Lookup", or "other"
    std::array<uint64_t, kGrpcCodes> codes;  // finished calls by status code
    // Finished calls by latency bucket (not cumulative; the last: above 10 s).
    std::array<uint64_t, kLatencyBuckets.size() + 1> buckets;
    double seconds = 0;     // the latencies' sum
    int64_t in_flight = 0;  // calls started, not yet finished
  };

  // Every method of every service of package qantara.v1 in the generated
  // descriptor pool (the services linked into this binary), plus "other".
  RpcMetrics();
  // These methods ("/package.Service/Method"), plus "other" (tests).
  explicit RpcMetrics(const std::vector<std::string>& full_methods);
  RpcMetrics(const RpcMetrics&) = delete;
  RpcMetrics& operator=(const RpcMetrics&) = delete;

  // For ServerBuilder::experimental().SetInterceptorCreators: records every
  // call, from its start (the interceptor is made) to its status being sent
  // (a call that ends without a status sent, e.g. the server shut down, is
  // counted as CANCELLED). REQUIRES: this outlives the server.
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> InterceptorFactory();

  // The slot of `full_method` ("/qantara.v1.MemoryService/Lookup"), or that of "other".
  size_t Slot(absl::string_view full_method) const;
  // A call of slot `slot` started / finished with `code` after `seconds`.
  void Start(size_t slot);
  void Finish(size_t slot, grpc::StatusCode code, double seconds);

  // Every method's figures, in a fixed order (by name, "other" last).
  std::vector<MethodFigures> Figures() const;

 private:
  struct alignas(64) Counters {
    std::array<std::atomic<uint64_t>, kGrpcCodes> codes{};
    std::array<std::atomic<uint64_t>, kLatencyBuckets.size() + 1> buckets{};
    std::atomic<uint64_t> nanos{0};
    std::atomic<int64_t> in_flight{0};
  };

  void Init(std::vector<std::string> methods);

  std::vector<std::string> names_;                    // by slot; the last: "other"
  absl::flat_hash_map<std::string, size_t> slot_of_;  // "/package.Service/Method" -> slot
  std::unique_ptr<Counters[]> counters_;              // by slot
  std::array<uint64_t, kLatencyBuckets.size()> bounds_nanos_;
};

// The process's own figures (from /proc/self/status and getrusage).
struct ProcessFigures {
  uint64_t resident_bytes = 0;  // VmRSS
  uint64_t threads = 0;
  double cpu_seconds = 0;         // user + system
  double start_time_seconds = 0;  // since the Unix epoch
};
ProcessFigures ReadProcessFigures();

// What RenderPrometheus reads. Every member may be left empty: its metrics
// are then left out. A source that fails shows as
// qantara_metrics_source_up{source=...} 0 (and its metrics are left out).
struct MetricsSources {
  const RpcMetrics* rpc = nullptr;
  std::string version;  // qantara_build_info{version=...}
  std::function<absl::StatusOr<storage::StoreStats>()> store_stats;
  // The first `limit` memories by name, and how many there are in all.
  std::function<absl::StatusOr<std::vector<storage::MemoryUsage>>(size_t limit, size_t* total)> memories;
  std::function<storage::Store::EngineStats()> engine;
  std::function<AdmissionStats()> admission;
  std::function<ImportFigures()> imports;
  std::function<ProcessFigures()> process;
  // Per-memory series are given for the first this many memories by name
  // (qantara_memories_omitted tells how many are left out): bounds the
  // series a scrape holds, whatever the number of memories.
  size_t max_memory_series = 1000;
};

// The Prometheus text exposition format (0.0.4) of `sources`.
std::string RenderPrometheus(const MetricsSources& sources);

// The sources of a running server: `rpc`, the memories' figures, the
// store's RocksDB figures, admission (service/rpc/call_admission.h),
// imports and the process. REQUIRES: all outlive the sources' use
// (UninstallMetrics before they are destroyed).
MetricsSources ServerMetricsSources(const RpcMetrics& rpc, tm::Memories& memories, storage::Store& store,
                                    std::string version);

// `value` escaped for a label value: backslash, double quote and line feed
// (as \\, \" and \n); any other byte (UTF-8 included) as it is.
std::string EscapeLabelValue(absl::string_view value);

// The running server's metrics, for the HTTP edge: qantara-server installs
// its sources before it serves and uninstalls them before it closes the
// store (UninstallMetrics waits for a scrape in progress). ScrapeMetrics
// renders them: Unavailable when none are installed.
void InstallMetrics(MetricsSources sources);
void UninstallMetrics();
absl::StatusOr<std::string> ScrapeMetrics();

}  // namespace qantara::rpc

#endif  // QANTARA_SERVICE_RPC_METRICS_H_
