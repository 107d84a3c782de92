// Prometheus metrics of service/rpc/metrics.h: the call-recording
// interceptor and the text exposition format.
#include "service/rpc/metrics.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "qantara/v1/access.pb.h"
#include "qantara/v1/admin.pb.h"
#include "qantara/v1/align.pb.h"
#include "qantara/v1/import.pb.h"
#include "qantara/v1/memory.pb.h"
#include "qantara/v1/server.pb.h"
#include "qantara/v1/text.pb.h"

namespace qantara::rpc {
namespace {

using Clock = std::chrono::steady_clock;

constexpr absl::string_view kOther = "other";

// Taken when the program starts (static initialisation): its start time.
const absl::Time g_process_start = absl::Now();

constexpr std::array<absl::string_view, kGrpcCodes> kCodeNames = {
    "OK",        "CANCELLED",      "UNKNOWN",           "INVALID_ARGUMENT",   "DEADLINE_EXCEEDED",
    "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
    "ABORTED",   "OUT_OF_RANGE",   "UNIMPLEMENTED",     "INTERNAL",           "UNAVAILABLE",
    "DATA_LOSS", "UNAUTHENTICATED"};

// The methods of every service of package qantara.v1 in the files of the
// API (and the files they import). A message of each file is named, so that
// its descriptor is linked in and registered whether or not this binary
// serves the file's service.
std::vector<std::string> QantaraMethods() {
  std::vector<const google::protobuf::FileDescriptor*> files = {
      qantara::v1::CreateTokenRequest::descriptor()->file(),
      qantara::v1::CreateBackupRequest::descriptor()->file(),
      qantara::v1::AlignRequest::descriptor()->file(),
      qantara::v1::ExportRequest::descriptor()->file(),
      qantara::v1::CreateMemoryRequest::descriptor()->file(),
      qantara::v1::GetServerInfoRequest::descriptor()->file(),
      qantara::v1::SegmentRequest::descriptor()->file(),
  };
  std::set<const google::protobuf::FileDescriptor*> seen;
  std::set<std::string> methods;
  while (!files.empty()) {
    const google::protobuf::FileDescriptor* file = files.back();
    files.pop_back();
    if (!seen.insert(file).second) continue;
    for (int i = 0; i < file->dependency_count(); ++i) files.push_back(file->dependency(i));
    if (file->package() != "qantara.v1") continue;
    for (int i = 0; i < file->service_count(); ++i) {
      const google::protobuf::ServiceDescriptor* s = file->service(i);
      for (int j = 0; j < s->method_count(); ++j)
        methods.insert(absl::StrCat("/", s->full_name(), "/", s->method(j)->name()));
    }
  }
  return std::vector<std::string>(methods.begin(), methods.end());
}

class MetricsInterceptor final : public grpc::experimental::Interceptor {
 public:
  MetricsInterceptor(RpcMetrics& metrics, size_t slot)
      : metrics_(metrics), slot_(slot), start_(Clock::now()) {
    metrics_.Start(slot_);
  }
  ~MetricsInterceptor() override {
    if (!recorded_) Record(grpc::StatusCode::CANCELLED);
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (!recorded_ &&
        methods->QueryInterceptionHookPoint(grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      Record(methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

 private:
  void Record(grpc::StatusCode code) {
    recorded_ = true;
    metrics_.Finish(slot_, code, std::chrono::duration<double>(Clock::now() - start_).count());
  }

  RpcMetrics& metrics_;
  const size_t slot_;
  const Clock::time_point start_;
  bool recorded_ = false;  // a call's hooks run one at a time
};

class MetricsInterceptorFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit MetricsInterceptorFactory(RpcMetrics& metrics) : metrics_(metrics) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override {
    return new MetricsInterceptor(metrics_, metrics_.Slot(info->method() == nullptr ? "" : info->method()));
  }

 private:
  RpcMetrics& metrics_;
};

// A number as Prometheus reads it: the shortest text that reads back as
// `v` (integers exactly), +Inf, -Inf or NaN.
std::string Number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[32];
  for (int precision = 15; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof(buf), "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

// Appends metric families to a text, one HELP and TYPE per family.
class Writer {
 public:
  void Family(absl::string_view name, absl::string_view type, absl::string_view help) {
    absl::StrAppend(&out_, "# HELP ", name, " ", help, "\n# TYPE ", name, " ", type, "\n");
  }
  // `labels`: pairs of name and (unescaped) value.
  void Sample(absl::string_view name,
              std::initializer_list<std::pair<absl::string_view, absl::string_view>> labels, double value) {
    out_.append(name.data(), name.size());
    if (labels.size() > 0) {
      out_.push_back('{');
      bool first = true;
      for (const auto& [label, v] : labels) {
        if (!first) out_.push_back(',');
        first = false;
        absl::StrAppend(&out_, label, "=\"", EscapeLabelValue(v), "\"");
      }
      out_.push_back('}');
    }
    absl::StrAppend(&out_, " ", Number(value), "\n");
  }
  void Sample(absl::string_view name, double value) { Sample(name, {}, value); }
  // A family of one unlabelled sample.
  void One(absl::string_view name, absl::string_view type, absl::string_view help, double value) {
    Family(name, type, help);
    Sample(name, value);
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

void RenderRpc(const RpcMetrics& rpc, Writer& w) {
  const std::vector<RpcMetrics::MethodFigures> figures = rpc.Figures();
  // A method's series appear with its first call (OK at 0 from then on).
  auto used = [](const RpcMetrics::MethodFigures& f) {
    if (f.in_flight != 0) return true;
    for (uint64_t n : f.codes) {
      if (n != 0) return true;
    }
    return false;
  };
  w.Family("qantara_rpc_requests_total", "counter",
           "gRPC calls finished, by method and status code (errors: code other than OK).");
  for (const auto& f : figures) {
    if (!used(f)) continue;
    for (size_t c = 0; c < kGrpcCodes; ++c) {
      if (c == 0 || f.codes[c] != 0) {
        w.Sample("qantara_rpc_requests_total", {{"method", f.method}, {"code", kCodeNames[c]}},
                 static_cast<double>(f.codes[c]));
      }
    }
  }
  w.Family("qantara_rpc_duration_seconds", "histogram",
           "gRPC calls finished, by method and time from the call's start to its status sent.");
  for (const auto& f : figures) {
    if (!used(f)) continue;
    uint64_t cumulative = 0;
    for (size_t b = 0; b < f.buckets.size(); ++b) {
      cumulative += f.buckets[b];
      const std::string le = b < kLatencyBuckets.size() ? Number(kLatencyBuckets[b]) : "+Inf";
      w.Sample("qantara_rpc_duration_seconds_bucket", {{"method", f.method}, {"le", le}},
               static_cast<double>(cumulative));
    }
    w.Sample("qantara_rpc_duration_seconds_sum", {{"method", f.method}}, f.seconds);
    w.Sample("qantara_rpc_duration_seconds_count", {{"method", f.method}}, static_cast<double>(cumulative));
  }
  w.Family("qantara_rpc_in_flight", "gauge", "gRPC calls started and not yet finished, by method.");
  for (const auto& f : figures) {
    if (used(f)) w.Sample("qantara_rpc_in_flight", {{"method", f.method}}, static_cast<double>(f.in_flight));
  }
}

void RenderStore(const storage::StoreStats& s, Writer& w) {
  w.One("qantara_memories", "gauge", "Translation memories in the store.", static_cast<double>(s.memories));
  w.One("qantara_units", "gauge", "Translation units in all memories.", static_cast<double>(s.units));
  w.One("qantara_disk_bytes", "gauge", "Bytes of the store's SST and WAL files.",
        static_cast<double>(s.disk_bytes));
  w.One("qantara_cache_bytes", "gauge",
        "Estimated bytes of the posting and exact lists cached (all memories).",
        static_cast<double>(s.cached_bytes));
  w.One("qantara_cache_budget_bytes", "gauge",
        "The byte budget of the posting and exact list caches (--cache-mb).",
        static_cast<double>(s.cache_budget_bytes));
  w.One("qantara_cache_hits_total", "counter", "List reads the posting and exact caches answered.",
        static_cast<double>(s.cache_hits));
  w.One("qantara_cache_misses_total", "counter", "List reads the caches did not answer (read from RocksDB).",
        static_cast<double>(s.cache_misses));
  w.One("qantara_cache_evictions_total", "counter",
        "Lists evicted from the caches to stay within the budget.", static_cast<double>(s.cache_evictions));
  w.Family("qantara_cache_lists", "gauge",
           "Entries held in the caches, by kind (postings: a token's lists).");
  w.Sample("qantara_cache_lists", {{"kind", "postings"}}, static_cast<double>(s.cached_postings));
  w.Sample("qantara_cache_lists", {{"kind", "exact"}}, static_cast<double>(s.cached_exact));
  w.One("qantara_unit_keys_cached", "gauge", "Units whose matching keys are held in memory.",
        static_cast<double>(s.cached_unit_keys));
  w.One("qantara_unit_keys_cache_bytes", "gauge",
        "Estimated bytes of the unit keys held in memory (within --key-cache-mb).",
        static_cast<double>(s.cached_unit_keys_bytes));
  w.One("qantara_unit_keys_cache_budget_bytes", "gauge",
        "The byte budget of the unit-key caches (--key-cache-mb).",
        static_cast<double>(s.key_cache_budget_bytes));
  w.One("qantara_memories_unit_keys_on_disk", "gauge",
        "Memories whose unit keys did not fit in --key-cache-mb (read from disk).",
        static_cast<double>(s.memories_keys_uncached));
  w.One("qantara_unit_sketches", "gauge",
        "Units whose token-key sketch is held in memory (memories whose keys are read from disk).",
        static_cast<double>(s.sketched_units));
  w.One("qantara_unit_sketch_bytes", "gauge", "Estimated bytes of the token-key sketches held in memory.",
        static_cast<double>(s.sketch_bytes));
  w.Family("qantara_rocksdb_memory_bytes", "gauge", "RocksDB's memory, by use.");
  w.Sample("qantara_rocksdb_memory_bytes", {{"use", "block_cache"}},
           static_cast<double>(s.rocks_block_cache_bytes));
  w.Sample("qantara_rocksdb_memory_bytes", {{"use", "memtables"}},
           static_cast<double>(s.rocks_memtable_bytes));
  w.Sample("qantara_rocksdb_memory_bytes", {{"use", "table_readers"}},
           static_cast<double>(s.rocks_table_reader_bytes));
  w.One("qantara_index_buffered_units", "gauge",
        "Units whose index entries bulk adds hold in memory, not yet written (all memories).",
        static_cast<double>(s.index_buffered_units));
  w.One("qantara_index_compactions_total", "counter", "Compactions of bulk-loaded memory indexes done.",
        static_cast<double>(s.index_compactions));
  w.One("qantara_index_compactions_pending", "gauge",
        "Memories waiting for an index compaction check or purge.",
        static_cast<double>(s.index_compactions_pending));
  w.One("qantara_index_compaction_running", "gauge", "1 while a memory index compaction runs.",
        s.index_compaction_running ? 1 : 0);
  w.One("qantara_store_problems", "gauge", "Damaged records the store's open found and worked around.",
        static_cast<double>(s.problems.size()));
}

void RenderMemories(const std::vector<storage::MemoryUsage>& memories, size_t total, Writer& w) {
  w.Family("qantara_memory_units", "gauge", "Translation units of each memory (the first memories by name).");
  for (const auto& m : memories) {
    w.Sample("qantara_memory_units", {{"memory", m.name}}, static_cast<double>(m.units));
  }
  w.Family(
      "qantara_memory_disk_bytes", "gauge",
      "RocksDB's estimate of each memory's bytes (units, keys, index, lexicon; SST files and memtables).");
  for (const auto& m : memories) {
    w.Sample("qantara_memory_disk_bytes", {{"memory", m.name}}, static_cast<double>(m.disk_bytes));
  }
  w.Family("qantara_memory_index_buffered_units", "gauge",
           "Units of each memory whose index entries are held in memory, not yet written.");
  for (const auto& m : memories) {
    w.Sample("qantara_memory_index_buffered_units", {{"memory", m.name}},
             static_cast<double>(m.buffered_index_units));
  }
  w.One("qantara_memories_omitted", "gauge",
        "Memories left out of the per-memory series (only the first by name are given).",
        static_cast<double>(total > memories.size() ? total - memories.size() : 0));
}

void RenderEngine(const storage::Store::EngineStats& e, Writer& w) {
  w.One("qantara_rocksdb_running_compactions", "gauge", "RocksDB compactions running now.",
        static_cast<double>(e.running_compactions));
  w.One("qantara_rocksdb_running_flushes", "gauge", "RocksDB memtable flushes running now.",
        static_cast<double>(e.running_flushes));
  w.One("qantara_rocksdb_compaction_pending", "gauge", "Column families RocksDB wants to compact.",
        static_cast<double>(e.compaction_pending_cfs));
  w.One("qantara_rocksdb_pending_compaction_bytes", "gauge",
        "RocksDB's estimate of the bytes left to compact.", static_cast<double>(e.pending_compaction_bytes));
  w.One("qantara_rocksdb_immutable_memtables", "gauge", "Memtables waiting to be flushed.",
        static_cast<double>(e.immutable_memtables));
  w.One("qantara_rocksdb_write_stopped", "gauge", "1 while RocksDB stops writes (a write stall).",
        e.write_stopped ? 1 : 0);
  w.One("qantara_rocksdb_delayed_write_rate_bytes", "gauge",
        "Bytes per second RocksDB slows writes to now; 0 when writes are not slowed.",
        static_cast<double>(e.delayed_write_rate));
  w.One("qantara_rocksdb_background_errors_total", "counter", "RocksDB background errors since the open.",
        static_cast<double>(e.background_errors));
  w.One("qantara_rocksdb_compactions_total", "counter", "Compactions RocksDB completed since the open.",
        static_cast<double>(e.compactions));
  w.One("qantara_rocksdb_compaction_read_bytes_total", "counter", "Bytes read by completed compactions.",
        static_cast<double>(e.compaction_read_bytes));
  w.One("qantara_rocksdb_compaction_written_bytes_total", "counter",
        "Bytes written by completed compactions.", static_cast<double>(e.compaction_written_bytes));
  w.One("qantara_rocksdb_flushes_total", "counter", "Memtable flushes RocksDB completed since the open.",
        static_cast<double>(e.flushes));
  w.Family("qantara_rocksdb_write_stalls_total", "counter",
           "Times a column family's writes began to be slowed (delayed) or stopped.");
  w.Sample("qantara_rocksdb_write_stalls_total", {{"kind", "delayed"}},
           static_cast<double>(e.stalls_delayed));
  w.Sample("qantara_rocksdb_write_stalls_total", {{"kind", "stopped"}},
           static_cast<double>(e.stalls_stopped));
}

void RenderAdmission(const AdmissionStats& a, Writer& w) {
  const std::pair<absl::string_view, const tm::AdmissionPool::Stats*> pools[] = {{"heavy", &a.heavy},
                                                                                 {"stream", &a.streams}};
  w.Family("qantara_admission_running", "gauge", "Calls holding a slot of an admission pool.");
  for (const auto& [pool, s] : pools) {
    w.Sample("qantara_admission_running", {{"pool", pool}}, static_cast<double>(s->running));
  }
  w.Family("qantara_admission_queued", "gauge", "Calls waiting for a slot of an admission pool.");
  for (const auto& [pool, s] : pools) {
    w.Sample("qantara_admission_queued", {{"pool", pool}}, static_cast<double>(s->queued));
  }
  w.Family("qantara_admission_admitted_total", "counter", "Calls an admission pool admitted.");
  for (const auto& [pool, s] : pools) {
    w.Sample("qantara_admission_admitted_total", {{"pool", pool}}, static_cast<double>(s->admitted));
  }
  w.Family("qantara_admission_refused_total", "counter",
           "Calls an admission pool refused (RESOURCE_EXHAUSTED).");
  for (const auto& [pool, s] : pools) {
    w.Sample("qantara_admission_refused_total", {{"pool", pool}}, static_cast<double>(s->refused));
  }
  w.One("qantara_stalled_streams_cancelled_total", "counter",
        "Streams cancelled for waiting on their client past --stream-stall-s.",
        static_cast<double>(a.stalled_cancelled));
}

void RenderImports(const ImportFigures& f, Writer& w) {
  w.One("qantara_imports_running", "gauge", "Import calls importing now.", static_cast<double>(f.running));
  w.One("qantara_imports_started_total", "counter", "Import calls that began importing.",
        static_cast<double>(f.started));
  w.One("qantara_import_units_stored_total", "counter", "Units added or updated by imports (not dry runs).",
        static_cast<double>(f.units_stored));
  w.One("qantara_import_read_bytes_total", "counter", "Bytes of TMX and XLIFF files read by imports.",
        static_cast<double>(f.bytes_read));
}

void RenderProcess(const ProcessFigures& p, Writer& w) {
  w.One("qantara_process_resident_memory_bytes", "gauge", "Resident set size of the server (VmRSS).",
        static_cast<double>(p.resident_bytes));
  w.One("qantara_process_threads", "gauge", "Threads of the server process.", static_cast<double>(p.threads));
  w.One("qantara_process_cpu_seconds_total", "counter", "CPU time of the server process (user and system).",
        p.cpu_seconds);
  w.One("qantara_process_start_time_seconds", "gauge",
        "Start time of the server process since the Unix epoch.", p.start_time_seconds);
}

// The installed sources (InstallMetrics): a scrape renders them under a
// reader lock, so UninstallMetrics waits for it.
ABSL_CONST_INIT absl::Mutex g_mu(absl::kConstInit);
std::unique_ptr<MetricsSources> g_sources ABSL_GUARDED_BY(g_mu);

}  // namespace

absl::string_view GrpcCodeName(grpc::StatusCode code) {
  const int c = static_cast<int>(code);
  return c >= 0 && c < static_cast<int>(kGrpcCodes) ? kCodeNames[c] : kCodeNames[2];
}

RpcMetrics::RpcMetrics() { Init(QantaraMethods()); }

RpcMetrics::RpcMetrics(const std::vector<std::string>& full_methods) { Init(full_methods); }

void RpcMetrics::Init(std::vector<std::string> methods) {
  std::sort(methods.begin(), methods.end());
  methods.erase(std::unique(methods.begin(), methods.end()), methods.end());
  for (const std::string& m : methods) {
    slot_of_.emplace(m, names_.size());
    names_.push_back(std::string(absl::StripPrefix(m, "/")));
  }
  names_.push_back(std::string(kOther));
  counters_ = std::make_unique<Counters[]>(names_.size());
  for (size_t b = 0; b < kLatencyBuckets.size(); ++b) {
    bounds_nanos_[b] = static_cast<uint64_t>(std::llround(kLatencyBuckets[b] * 1e9));
  }
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> RpcMetrics::InterceptorFactory() {
  return std::make_unique<MetricsInterceptorFactory>(*this);
}

size_t RpcMetrics::Slot(absl::string_view full_method) const {
  auto it = slot_of_.find(full_method);
  return it == slot_of_.end() ? names_.size() - 1 : it->second;
}

void RpcMetrics::Start(size_t slot) { counters_[slot].in_flight.fetch_add(1, std::memory_order_relaxed); }

void RpcMetrics::Finish(size_t slot, grpc::StatusCode code, double seconds) {
  Counters& c = counters_[slot];
  const int code_index = static_cast<int>(code);
  c.codes[code_index >= 0 && code_index < static_cast<int>(kGrpcCodes) ? code_index : 2].fetch_add(
      1, std::memory_order_relaxed);
  const uint64_t nanos = seconds <= 0 ? 0 : static_cast<uint64_t>(seconds * 1e9);
  // The first bucket whose bound holds it (Prometheus buckets are `le`).
  const size_t bucket =
      std::lower_bound(bounds_nanos_.begin(), bounds_nanos_.end(), nanos) - bounds_nanos_.begin();
  c.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  c.nanos.fetch_add(nanos, std::memory_order_relaxed);
  c.in_flight.fetch_sub(1, std::memory_order_relaxed);
}

std::vector<RpcMetrics::MethodFigures> RpcMetrics::Figures() const {
  std::vector<MethodFigures> out(names_.size());
  for (size_t i = 0; i < names_.size(); ++i) {
    const Counters& c = counters_[i];
    MethodFigures& f = out[i];
    f.method = names_[i];
    for (size_t k = 0; k < kGrpcCodes; ++k) f.codes[k] = c.codes[k].load(std::memory_order_relaxed);
    for (size_t b = 0; b < f.buckets.size(); ++b) f.buckets[b] = c.buckets[b].load(std::memory_order_relaxed);
    f.seconds = static_cast<double>(c.nanos.load(std::memory_order_relaxed)) / 1e9;
    f.in_flight = c.in_flight.load(std::memory_order_relaxed);
  }
  return out;
}

ProcessFigures ReadProcessFigures() {
  ProcessFigures p;
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    absl::string_view rest = line;
    uint64_t n = 0;
    if (absl::ConsumePrefix(&rest, "VmRSS:")) {
      rest = absl::StripAsciiWhitespace(rest);
      if (absl::ConsumeSuffix(&rest, "kB") && absl::SimpleAtoi(absl::StripAsciiWhitespace(rest), &n)) {
        p.resident_bytes = n * 1024;
      }
    } else if (absl::ConsumePrefix(&rest, "Threads:") &&
               absl::SimpleAtoi(absl::StripAsciiWhitespace(rest), &n)) {
      p.threads = n;
    }
  }
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) == 0) {
    p.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                    static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  }
  p.start_time_seconds = absl::ToDoubleSeconds(g_process_start - absl::UnixEpoch());
  return p;
}

std::string EscapeLabelValue(absl::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string RenderPrometheus(const MetricsSources& sources) {
  Writer w;
  std::vector<std::pair<absl::string_view, bool>> up;  // source -> it answered
  if (!sources.version.empty()) {
    w.Family("qantara_build_info", "gauge", "The server's version (the value is always 1).");
    w.Sample("qantara_build_info", {{"version", sources.version}}, 1);
  }
  if (sources.rpc != nullptr) RenderRpc(*sources.rpc, w);
  if (sources.store_stats) {
    absl::StatusOr<storage::StoreStats> stats = sources.store_stats();
    up.emplace_back("store", stats.ok());
    if (stats.ok()) RenderStore(*stats, w);
  }
  if (sources.memories) {
    size_t total = 0;
    absl::StatusOr<std::vector<storage::MemoryUsage>> memories =
        sources.memories(sources.max_memory_series, &total);
    up.emplace_back("memories", memories.ok());
    if (memories.ok()) RenderMemories(*memories, total, w);
  }
  if (sources.engine) RenderEngine(sources.engine(), w);
  if (sources.admission) RenderAdmission(sources.admission(), w);
  if (sources.imports) RenderImports(sources.imports(), w);
  if (sources.process) RenderProcess(sources.process(), w);
  if (!up.empty()) {
    w.Family("qantara_metrics_source_up", "gauge",
             "1 when a source of these metrics answered the scrape, else 0.");
    for (const auto& [source, ok] : up)
      w.Sample("qantara_metrics_source_up", {{"source", source}}, ok ? 1 : 0);
  }
  return w.Take();
}

MetricsSources ServerMetricsSources(const RpcMetrics& rpc, tm::Memories& memories, storage::Store& store,
                                    std::string version) {
  MetricsSources s;
  s.rpc = &rpc;
  s.version = std::move(version);
  s.store_stats = [&memories] { return memories.Stats(); };
  s.memories = [&memories](size_t limit, size_t* total) { return memories.Usage(limit, total); };
  s.engine = [&store] { return store.Engine(); };
  s.admission = GetAdmissionStats;
  s.imports = GetImportFigures;
  s.process = ReadProcessFigures;
  return s;
}

void InstallMetrics(MetricsSources sources) {
  absl::MutexLock lock(&g_mu);
  g_sources = std::make_unique<MetricsSources>(std::move(sources));
}

void UninstallMetrics() {
  absl::MutexLock lock(&g_mu);
  g_sources.reset();
}

absl::StatusOr<std::string> ScrapeMetrics() {
  absl::ReaderMutexLock lock(&g_mu);
  if (g_sources == nullptr)
    return absl::UnavailableError("metrics are not installed (the server is not serving)");
  return RenderPrometheus(*g_sources);
}

}  // namespace qantara::rpc
