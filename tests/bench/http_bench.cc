// Lookup over HTTP/JSON against the same lookups over gRPC (issue 17: HTTP
// p99 within 2 ms of gRPC's). One client, one call at a time, against a
// running server (http_bench.py starts a fresh one per threshold): the tm
// workload's queries (../shared via queries/*.tsv; English ones reversed, the
// memory being ar -> en) shuffled with a fixed seed and dealt alternately to
// the two transports, so each transport sees novel queries of the same mix
// and neither warms the other's.
//
//   http_bench --grpc HOST:PORT --http HOST:PORT --queries DIR [--memory bench]
//              [--threshold 70] [--max-queries 2000]
//
// gRPC: qantara.v1.MemoryService/Lookup on one channel. HTTP: POST
// /v1/memories:lookup with the same request as proto3 JSON (protobuf's
// printer, as a client library would make it) on one keep-alive connection
// (cpp-httplib's client), the answer parsed back into a LookupResponse.
// Prints p50/p90/p99/max per transport and the p99 difference. Exit 77: no
// queries.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "google/protobuf/util/json_util.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "httplib.h"
#include "qantara/v1/memory.grpc.pb.h"

namespace {

namespace fs = std::filesystem;
namespace v1 = qantara::v1;

std::map<std::string, std::string> g_args;

std::string Arg(const std::string& name, const std::string& def) {
  auto it = g_args.find(name);
  return it == g_args.end() ? def : it->second;
}

struct Query {
  std::string text;
  bool reverse;
};

std::vector<Query> ReadQueries(const fs::path& dir) {
  std::vector<Query> out;
  for (const char* name : {"heldout.tsv", "edited.tsv", "short.tsv", "nomatch.tsv", "arabic_variants.tsv"}) {
    std::ifstream in(dir / name);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      std::vector<std::string> f;
      size_t at = 0;
      for (size_t tab; (tab = line.find('\t', at)) != std::string::npos; at = tab + 1) {
        f.push_back(line.substr(at, tab - at));
      }
      f.push_back(line.substr(at));
      if (f.size() < 3 || f[2].empty()) continue;
      out.push_back(Query{f[2], f[1] == "en"});
    }
  }
  return out;
}

struct Figures {
  std::vector<double> ms;
  size_t errors = 0;
  size_t matches = 0;
};

double Pct(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  for (int i = 1; i + 1 < argc; i += 2) g_args[argv[i]] = argv[i + 1];
  std::vector<Query> queries = ReadQueries(Arg("--queries", ""));
  if (queries.empty()) {
    std::printf("SKIP: no queries in --queries %s\n", Arg("--queries", "").c_str());
    return 77;
  }
  std::mt19937 rng(20261204);
  std::shuffle(queries.begin(), queries.end(), rng);
  const size_t max = std::stoul(Arg("--max-queries", "2000"));
  if (queries.size() > max) queries.resize(max);
  const std::string memory = Arg("--memory", "bench");
  const double threshold = std::stod(Arg("--threshold", "70"));

  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  auto channel = grpc::CreateCustomChannel(Arg("--grpc", ""), grpc::InsecureChannelCredentials(), args);
  auto stub = v1::MemoryService::NewStub(channel);
  const std::string http = Arg("--http", "");
  const size_t colon = http.rfind(':');
  httplib::Client client(http.substr(0, colon), std::stoi(http.substr(colon + 1)));
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  client.set_read_timeout(10, 0);

  Figures grpc_fig, http_fig;
  google::protobuf::util::JsonPrintOptions print;
  for (size_t i = 0; i < queries.size(); ++i) {
    v1::LookupRequest req;
    req.add_memories(memory);
    req.set_text(queries[i].text);
    req.set_threshold(threshold);
    req.set_reverse(queries[i].reverse);
    v1::LookupResponse resp;
    const auto start = std::chrono::steady_clock::now();
    bool ok;
    if (i % 2 == 0) {
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      ok = stub->Lookup(&ctx, req, &resp).ok();
    } else {
      std::string body;
      ok = google::protobuf::util::MessageToJsonString(req, &body, print).ok();
      auto res = client.Post("/v1/memories:lookup", body, "application/json");
      ok = ok && res && res->status == 200 &&
           google::protobuf::util::JsonStringToMessage(res->body, &resp).ok();
    }
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    Figures& fig = i % 2 == 0 ? grpc_fig : http_fig;
    fig.ms.push_back(ms);
    fig.errors += ok ? 0 : 1;
    fig.matches += static_cast<size_t>(resp.matches_size());
  }
  std::printf("threshold %.0f, %zu novel queries a transport, one client, memory '%s'\n", threshold,
              http_fig.ms.size(), memory.c_str());
  std::printf("%-5s %8s %8s %8s %8s %7s %8s\n", "", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors",
              "matches");
  for (const auto& [name, fig] : {std::pair<const char*, Figures&>{"gRPC", grpc_fig}, {"HTTP", http_fig}}) {
    std::printf("%-5s %8.3f %8.3f %8.3f %8.3f %7zu %8zu\n", name, Pct(fig.ms, 0.5), Pct(fig.ms, 0.9),
                Pct(fig.ms, 0.99), Pct(fig.ms, 1.0), fig.errors, fig.matches);
  }
  const double diff = Pct(http_fig.ms, 0.99) - Pct(grpc_fig.ms, 0.99);
  std::printf("HTTP p99 - gRPC p99: %+.3f ms (goal: within 2 ms)\n", diff);
  return grpc_fig.errors + http_fig.errors == 0 ? 0 : 1;
}
