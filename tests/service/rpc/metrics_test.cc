// Prometheus metrics (service/rpc/metrics.h): calls through an in-process
// server with the interceptor move the counts by method and code and the
// latency histogram; label values are escaped; the text of a real server's
// sources passes `promtool check metrics` (skipped without promtool, from
// Debian's `prometheus` package).
#include "service/rpc/metrics.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "service/rpc/memory_service.h"
#include "tests/service/rpc/rpc_test_env.h"

namespace qantara::rpc {
namespace {

namespace v1 = qantara::v1;

constexpr char kLookup[] = "qantara.v1.MemoryService/Lookup";
constexpr char kCreate[] = "qantara.v1.MemoryService/CreateMemory";

class MetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder b;
    int port = 0;
    b.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    b.RegisterService(&service_);
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
    interceptors.push_back(metrics_.InterceptorFactory());
    b.experimental().SetInterceptorCreators(std::move(interceptors));
    server_ = b.BuildAndStart();
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
    stub_ = v1::MemoryService::NewStub(channel_);
  }
  void TearDown() override {
    if (server_ == nullptr) return;
    server_->Shutdown();
    server_->Wait();
    server_.reset();
  }

  grpc::Status Create(const std::string& name) {
    grpc::ClientContext ctx;
    v1::CreateMemoryRequest req;
    req.set_name(name);
    req.set_source_lang("ar");
    req.set_target_lang("en");
    v1::Memory m;
    return stub_->CreateMemory(&ctx, req, &m);
  }
  grpc::Status Lookup(const std::string& memory, const std::string& text) {
    grpc::ClientContext ctx;
    v1::LookupRequest req;
    if (!memory.empty()) req.add_memories(memory);
    req.set_text(text);
    v1::LookupResponse resp;
    return stub_->Lookup(&ctx, req, &resp);
  }

  RpcMetrics::MethodFigures Of(const std::string& method) {
    for (const auto& f : metrics_.Figures()) {
      if (f.method == method) return f;
    }
    ADD_FAILURE() << "no method " << method;
    return {};
  }
  static uint64_t Count(const RpcMetrics::MethodFigures& f) {
    uint64_t n = 0;
    for (uint64_t b : f.buckets) n += b;
    return n;
  }

  testing::MemoryEnv env_;
  MemoryServiceImpl service_{*env_.memories};
  RpcMetrics metrics_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::MemoryService::Stub> stub_;
};

TEST_F(MetricsTest, KnowsEveryQantaraMethodAndOther) {
  const std::vector<RpcMetrics::MethodFigures> figures = metrics_.Figures();
  std::vector<std::string> names;
  for (const auto& f : figures) names.push_back(f.method);
  EXPECT_NE(std::find(names.begin(), names.end(), kLookup), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "qantara.v1.ImportExportService/Import"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "qantara.v1.ServerService/GetServerInfo"), names.end())
      << "ServerService's methods";
  EXPECT_EQ(names.back(), "other");
  EXPECT_EQ(metrics_.Slot("/qantara.v1.MemoryService/Lookup"),
            metrics_.Slot("/qantara.v1.MemoryService/Lookup"));
  EXPECT_EQ(metrics_.Slot("/grpc.health.v1.Health/Check"), figures.size() - 1);
  EXPECT_EQ(metrics_.Slot("/qantara.v1.MemoryService/NoSuchMethod"), figures.size() - 1);
}

TEST_F(MetricsTest, CallsAreCountedByMethodAndCode) {
  ASSERT_TRUE(Create("m").ok());
  EXPECT_EQ(Create("m").error_code(), grpc::StatusCode::ALREADY_EXISTS);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Lookup("m", "مرحبا بكم").ok());
  EXPECT_EQ(Lookup("", "مرحبا").error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Lookup("missing", "مرحبا").error_code(), grpc::StatusCode::NOT_FOUND);

  const RpcMetrics::MethodFigures lookup = Of(kLookup);
  EXPECT_EQ(lookup.codes[grpc::StatusCode::OK], 3u);
  EXPECT_EQ(lookup.codes[grpc::StatusCode::INVALID_ARGUMENT], 1u);
  EXPECT_EQ(lookup.codes[grpc::StatusCode::NOT_FOUND], 1u);
  EXPECT_EQ(Count(lookup), 5u);
  EXPECT_GT(lookup.seconds, 0);
  EXPECT_LT(lookup.seconds, 5 * 10.0);
  EXPECT_EQ(lookup.in_flight, 0);
  const RpcMetrics::MethodFigures create = Of(kCreate);
  EXPECT_EQ(create.codes[grpc::StatusCode::OK], 1u);
  EXPECT_EQ(create.codes[grpc::StatusCode::ALREADY_EXISTS], 1u);

  // A method the server does not serve (no health service here): "other",
  // UNIMPLEMENTED.
  {
    grpc::ClientContext ctx;
    grpc::health::v1::HealthCheckRequest req;
    grpc::health::v1::HealthCheckResponse resp;
    EXPECT_EQ(grpc::health::v1::Health::NewStub(channel_)->Check(&ctx, req, &resp).error_code(),
              grpc::StatusCode::UNIMPLEMENTED);
  }
  EXPECT_EQ(Of("other").codes[grpc::StatusCode::UNIMPLEMENTED], 1u);

  // The text: OK series from the first call on, errors by code.
  MetricsSources sources;
  sources.rpc = &metrics_;
  const std::string text = RenderPrometheus(sources);
  EXPECT_TRUE(absl::StrContains(
      text, "qantara_rpc_requests_total{method=\"qantara.v1.MemoryService/Lookup\",code=\"OK\"} 3\n"))
      << text;
  EXPECT_TRUE(absl::StrContains(text,
                                "qantara_rpc_requests_total{method=\"qantara.v1.MemoryService/"
                                "Lookup\",code=\"INVALID_ARGUMENT\"} 1\n"));
  EXPECT_TRUE(absl::StrContains(
      text, "qantara_rpc_duration_seconds_count{method=\"qantara.v1.MemoryService/Lookup\"} 5\n"));
  EXPECT_TRUE(absl::StrContains(
      text,
      "qantara_rpc_duration_seconds_bucket{method=\"qantara.v1.MemoryService/Lookup\",le=\"+Inf\"} 5\n"));
  EXPECT_TRUE(
      absl::StrContains(text, "qantara_rpc_requests_total{method=\"other\",code=\"UNIMPLEMENTED\"} 1\n"));
  // Methods never called have no series.
  EXPECT_FALSE(absl::StrContains(text, "qantara.v1.AlignService/Align\""));
}

// The store's figures move with writes: per-memory units and bytes, and
// RocksDB's flushes once the store is closed (its memtables flushed).
TEST_F(MetricsTest, StoreFiguresMoveWithWrites) {
  ASSERT_TRUE(Create("m").ok());
  for (int i = 0; i < 20; ++i) {
    grpc::ClientContext ctx;
    v1::AddUnitRequest add;
    add.set_memory("m");
    add.mutable_unit()->set_source(absl::StrCat("مرحبا بكم في الاجتماع رقم ", i));
    add.mutable_unit()->set_target(absl::StrCat("Welcome to meeting number ", i));
    v1::AddUnitResponse added;
    ASSERT_TRUE(stub_->AddUnit(&ctx, add, &added).ok());
  }
  size_t total = 0;
  absl::StatusOr<std::vector<storage::MemoryUsage>> usage = env_.memories->Usage(10, &total);
  ASSERT_TRUE(usage.ok()) << usage.status();
  ASSERT_EQ(usage->size(), 1u);
  EXPECT_EQ(total, 1u);
  EXPECT_EQ((*usage)[0].name, "m");
  EXPECT_EQ((*usage)[0].units, 20u);
  EXPECT_GT((*usage)[0].disk_bytes, 1000u);  // in the memtables so far
  EXPECT_EQ(Of("qantara.v1.MemoryService/AddUnit").codes[grpc::StatusCode::OK], 20u);

  const std::string text =
      RenderPrometheus(ServerMetricsSources(metrics_, *env_.memories, *env_.store, "0.0.0-test"));
  EXPECT_TRUE(absl::StrContains(text, "qantara_memory_units{memory=\"m\"} 20\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "qantara_units 20\n"));
  EXPECT_EQ(env_.store->Engine().flushes, 0u);
  TearDown();
  env_.memories.reset();
  ASSERT_TRUE(env_.store->Close().ok());
  // Close() flushed the memtables (the counts stay readable; the properties read 0).
  EXPECT_GT(env_.store->Engine().flushes, 0u);
}

TEST(MetricsHistogram, BucketsAreCumulativeWithLeBounds) {
  RpcMetrics metrics({"/p.S/M"});
  const size_t slot = metrics.Slot("/p.S/M");
  for (double s : {0.0001, 0.0005, 0.002, 0.3, 20.0}) {
    metrics.Start(slot);
    metrics.Finish(slot, grpc::StatusCode::OK, s);
  }
  MetricsSources sources;
  sources.rpc = &metrics;
  const std::string text = RenderPrometheus(sources);
  EXPECT_TRUE(
      absl::StrContains(text, "qantara_rpc_duration_seconds_bucket{method=\"p.S/M\",le=\"0.0005\"} 2\n"))
      << text;
  EXPECT_TRUE(
      absl::StrContains(text, "qantara_rpc_duration_seconds_bucket{method=\"p.S/M\",le=\"0.0025\"} 3\n"));
  EXPECT_TRUE(
      absl::StrContains(text, "qantara_rpc_duration_seconds_bucket{method=\"p.S/M\",le=\"0.25\"} 3\n"));
  EXPECT_TRUE(
      absl::StrContains(text, "qantara_rpc_duration_seconds_bucket{method=\"p.S/M\",le=\"0.5\"} 4\n"));
  EXPECT_TRUE(absl::StrContains(text, "qantara_rpc_duration_seconds_bucket{method=\"p.S/M\",le=\"10\"} 4\n"));
  EXPECT_TRUE(
      absl::StrContains(text, "qantara_rpc_duration_seconds_bucket{method=\"p.S/M\",le=\"+Inf\"} 5\n"));
  EXPECT_TRUE(absl::StrContains(text, "qantara_rpc_duration_seconds_sum{method=\"p.S/M\"} 20.3026\n"));
  EXPECT_TRUE(absl::StrContains(text, "qantara_rpc_in_flight{method=\"p.S/M\"} 0\n"));
}

TEST(MetricsLabels, ValuesAreEscaped) {
  EXPECT_EQ(EscapeLabelValue("plain"), "plain");
  EXPECT_EQ(EscapeLabelValue("a\"b"), "a\\\"b");
  EXPECT_EQ(EscapeLabelValue("a\\b"), "a\\\\b");
  EXPECT_EQ(EscapeLabelValue("a\nb"), "a\\nb");
  EXPECT_EQ(EscapeLabelValue("ذاكرة \"قانونية\""), "ذاكرة \\\"قانونية\\\"");

  MetricsSources sources;
  sources.memories = [](size_t limit, size_t* total) -> absl::StatusOr<std::vector<storage::MemoryUsage>> {
    std::vector<storage::MemoryUsage> all = {{"a\"b\\c\nd", 7, 100, 0}, {"ذاكرة", 3, 50, 2}, {"z", 1, 1, 0}};
    *total = all.size();
    all.resize(std::min(limit, all.size()));
    return all;
  };
  sources.max_memory_series = 2;
  const std::string text = RenderPrometheus(sources);
  EXPECT_TRUE(absl::StrContains(text, "qantara_memory_units{memory=\"a\\\"b\\\\c\\nd\"} 7\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "qantara_memory_disk_bytes{memory=\"ذاكرة\"} 50\n"));
  EXPECT_TRUE(absl::StrContains(text, "qantara_memory_index_buffered_units{memory=\"ذاكرة\"} 2\n"));
  EXPECT_FALSE(absl::StrContains(text, "memory=\"z\""));  // past the cap
  EXPECT_TRUE(absl::StrContains(text, "qantara_memories_omitted 1\n"));
  EXPECT_TRUE(absl::StrContains(text, "qantara_metrics_source_up{source=\"memories\"} 1\n"));
}

TEST(MetricsSourcesTest, AFailingSourceShowsDown) {
  MetricsSources sources;
  sources.store_stats = []() -> absl::StatusOr<storage::StoreStats> {
    return absl::UnavailableError("closed");
  };
  const std::string text = RenderPrometheus(sources);
  EXPECT_TRUE(absl::StrContains(text, "qantara_metrics_source_up{source=\"store\"} 0\n")) << text;
  EXPECT_FALSE(absl::StrContains(text, "qantara_units "));
}

TEST(MetricsScrape, UnavailableUntilInstalled) {
  EXPECT_EQ(ScrapeMetrics().status().code(), absl::StatusCode::kUnavailable);
  MetricsSources sources;
  sources.version = "1.2.3";
  InstallMetrics(sources);
  absl::StatusOr<std::string> text = ScrapeMetrics();
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text,
            "# HELP qantara_build_info The server's version (the value is always 1).\n"
            "# TYPE qantara_build_info gauge\n"
            "qantara_build_info{version=\"1.2.3\"} 1\n");
  UninstallMetrics();
  EXPECT_FALSE(ScrapeMetrics().ok());
}

TEST(MetricsProcess, ReadsRssAndThreads) {
  const ProcessFigures p = ReadProcessFigures();
  EXPECT_GT(p.resident_bytes, 1u << 20);
  EXPECT_GE(p.threads, 1u);
  EXPECT_GT(p.start_time_seconds, 1.6e9);
  EXPECT_GE(p.cpu_seconds, 0);
}

// The whole text of a server's sources (after some calls, with memories of
// awkward names) through `promtool check metrics`: no format error and no
// lint warning.
TEST_F(MetricsTest, PromtoolAcceptsTheServersText) {
  ASSERT_TRUE(Create("m").ok());
  ASSERT_TRUE(Create("ذاكرة \"قانونية\" \\ 2").ok());
  ASSERT_TRUE(Lookup("m", "مرحبا").ok());
  EXPECT_FALSE(Lookup("", "مرحبا").ok());
  const std::string text =
      RenderPrometheus(ServerMetricsSources(metrics_, *env_.memories, *env_.store, "0.0.0-test"));
  for (const char* name :
       {"qantara_build_info{version=\"0.0.0-test\"} 1", "qantara_memories 2", "qantara_cache_budget_bytes ",
        "qantara_memory_units{memory=\"ذاكرة \\\"قانونية\\\" \\\\ 2\"} 0", "qantara_rocksdb_write_stopped 0",
        "qantara_rocksdb_write_stalls_total{kind=\"stopped\"} 0", "qantara_imports_running 0",
        "qantara_admission_running{pool=\"heavy\"} 0", "qantara_process_resident_memory_bytes ",
        "qantara_process_threads ", "qantara_metrics_source_up{source=\"store\"} 1"}) {
    EXPECT_TRUE(absl::StrContains(text, name)) << name << " in\n" << text;
  }

  const char* promtool = "/usr/bin/promtool";
  if (!std::filesystem::exists(promtool)) {
    GTEST_SKIP()
        << "promtool not installed (Debian package `prometheus`; deploy/install-deps.sh): format not checked";
  }
  const std::string file = env_.tmp.path("metrics.txt");
  std::ofstream(file) << text;
  const std::string out_file = env_.tmp.path("promtool.out");
  const std::string command = absl::StrCat(promtool, " check metrics < '", file, "' > '", out_file, "' 2>&1");
  const int rc = std::system(command.c_str());
  std::ifstream in(out_file);
  const std::string output((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(rc, 0) << output << "\n" << text;
  EXPECT_EQ(output, "") << "promtool lint warnings:\n" << output;
}

}  // namespace
}  // namespace qantara::rpc
