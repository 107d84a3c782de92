// Load generator (issue 15, hostile input and load): honest clients beside a
// hostile mix against one qantara-server over loopback gRPC, bounded by time
// and count. tests/bench/README.md says how and why; load_soak.py builds the
// data dir and runs it.
//
//   load_gen (--server-bin PATH --data-dir DIR [--server-args "..."] | --target HOST:PORT [--pid N])
//            --queries DIR [--memory bench] [--seconds 20] [--clients 8] [--max-requests N]
//            [--think-ms 20] [--hostile 1] [--hostile-clients 3] [--stalls 3] [--stall-s 120]
//            [--hostile-kinds 0,1,...] [--hostile-process 1] [--client-nice N]
//            [--import-units 2000] [--warmup-s 10] [--max-threads-bound N] [--rss-budget-mb N]
//            [--p99-ms X] [--auth 1] [--check 1]
//
// Honest clients (each its own connection): Lookup of real held-out, edited
// and short queries (../shared via the tm workload's queries/*.tsv; English
// ones reversed), BatchLookup of 10, AddUnits of 10 new units, and one Import
// of a generated TMX; every call with a 10 s deadline. Any non-OK status of
// an honest call is an error.
//
// The hostile mix: huge max_results, threshold 1 on 30 random words,
// random-word floods, exhaustive asks, 1 MiB queries, 100 memories,
// oversized BatchLookup, oversized and at-the-limit Align, oversized and
// many-rule SRX, 100 MB descriptions, and stalled streams (AddUnits and
// Import that never send, an Export never read). Each must be refused
// (INVALID_ARGUMENT, RESOURCE_EXHAUSTED, OUT_OF_RANGE or, with --auth 1,
// PERMISSION_DENIED, with a message) or
// served within its limits (at most max_results matches; a stalled stream
// ended by the server within --stall-s + slack); anything else (a deadline
// passed, UNAVAILABLE, INTERNAL, a 100 MB description stored) is a violation.
//
// --auth 1 (a server started with --auth): the admin token of the data dir
// (DATA_DIR/admin.token, or --token-file) sets up and makes a token for each
// client: translators for the honest clients and stalled streams, managers
// for the hostile ones, so the server's per-token limits (calls, units and
// CPU time a second) apply to each client on its own.
//
// The hostile clients run in a process of their own under SCHED_IDLE
// (--hostile-process 1, the default; see main): their own CPU work stands
// for other machines', so the honest latency measures what they cost the
// server, not the load generator.
//
// Every second: the server's RSS and threads (/proc/PID/status). At the end:
// per-rpc p50/p99/p999 of the honest calls, their errors, the hostile table,
// RSS start/max/end and its slope after --warmup-s, the most threads; the
// server must still answer (and, when started here, stop cleanly on
// SIGTERM). --check 1: exit 1 when a check fails (honest errors, violations,
// the server gone, threads over --max-threads-bound, RSS over
// --rss-budget-mb, Lookup p99 over --p99-ms). Exit 77: no queries (skip).
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "grpcpp/support/client_interceptor.h"
#include "qantara/v1/access.grpc.pb.h"
#include "qantara/v1/align.grpc.pb.h"
#include "qantara/v1/import.grpc.pb.h"
#include "qantara/v1/memory.grpc.pb.h"
#include "qantara/v1/text.grpc.pb.h"

namespace fs = std::filesystem;
namespace v1 = qantara::v1;
using Clock = std::chrono::steady_clock;

namespace {

// ---- arguments ----
std::map<std::string, std::string> g_args;
std::string Arg(const std::string& name, const std::string& def) {
  auto it = g_args.find(name);
  return it == g_args.end() ? def : it->second;
}
double ArgD(const std::string& name, double def) { return std::stod(Arg(name, std::to_string(def))); }

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Pct(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  size_t i = static_cast<size_t>(p * (v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string f;
  while (std::getline(ss, f, '\t')) out.push_back(f);
  return out;
}

struct Query {
  std::string text;
  bool reverse;  // an English query of an ar -> en memory
};

// ---- the server ----
struct ProcSample {
  double t, rss_mb;
  long threads;
  double cache_mb;  // the server's Stats: posting/exact lists + unit keys; -1 unknown
};

// Least-squares slope of (t, y) in y-units a minute, over samples from `from`.
double SlopePerMinute(const std::vector<ProcSample>& samples, double from, double ProcSample::*y) {
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  int n = 0;
  for (const ProcSample& s : samples) {
    if (s.t < from || s.*y < 0) continue;
    sx += s.t;
    sy += s.*y;
    sxx += s.t * s.t;
    sxy += s.t * (s.*y);
    ++n;
  }
  if (n < 2 || n * sxx - sx * sx <= 0) return 0;
  return (n * sxy - sx * sy) / (n * sxx - sx * sx) * 60;
}

bool ReadProc(pid_t pid, double* rss_mb, long* threads) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  if (!in) return false;
  std::string line;
  *rss_mb = -1;
  *threads = -1;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) *rss_mb = std::stod(line.substr(6)) / 1024.0;
    if (line.rfind("Threads:", 0) == 0) *threads = std::stol(line.substr(8));
  }
  return *rss_mb >= 0;
}

pid_t StartServer(const std::string& bin, const std::string& data_dir, const std::string& extra,
                  const std::string& log, std::string* target) {
  int out[2];
  if (pipe(out) != 0) return -1;
  std::vector<std::string> argv = {bin, "--listen", "127.0.0.1:0", "--data-dir", data_dir};
  std::stringstream ss(extra);
  for (std::string a; ss >> a;) argv.push_back(a);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], 1);
    FILE* err = std::fopen(log.c_str(), "w");
    if (err) dup2(fileno(err), 2);
    close(out[0]);
    std::vector<char*> cargv;
    for (std::string& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    execv(bin.c_str(), cargv.data());
    _exit(127);
  }
  close(out[1]);
  FILE* f = fdopen(out[0], "r");
  char buf[512];
  if (!std::fgets(buf, sizeof buf, f)) return -1;
  std::string line(buf);
  const std::string prefix = "listening on ";
  if (line.rfind(prefix, 0) != 0) return -1;
  *target = line.substr(prefix.size());
  while (!target->empty() && (target->back() == '\n' || target->back() == '\r')) target->pop_back();
  return pid;
}

// ---- figures ----
struct RpcFigures {
  std::vector<double> ms;
  uint64_t errors = 0;
  std::map<std::string, uint64_t> error_samples;  // "CODE: message" -> count (first few kinds)
};

struct HostileFigures {
  uint64_t sent = 0;
  std::map<std::string, uint64_t> codes;  // code name -> count
  uint64_t violations = 0;
  std::vector<std::string> violation_samples;
  double max_ms = 0;
};

const char* CodeName(grpc::StatusCode c) {
  switch (c) {
    case grpc::OK: return "OK";
    case grpc::CANCELLED: return "CANCELLED";
    case grpc::UNKNOWN: return "UNKNOWN";
    case grpc::INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case grpc::DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case grpc::NOT_FOUND: return "NOT_FOUND";
    case grpc::ALREADY_EXISTS: return "ALREADY_EXISTS";
    case grpc::PERMISSION_DENIED: return "PERMISSION_DENIED";
    case grpc::RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case grpc::FAILED_PRECONDITION: return "FAILED_PRECONDITION";
    case grpc::ABORTED: return "ABORTED";
    case grpc::OUT_OF_RANGE: return "OUT_OF_RANGE";
    case grpc::UNIMPLEMENTED: return "UNIMPLEMENTED";
    case grpc::INTERNAL: return "INTERNAL";
    case grpc::UNAVAILABLE: return "UNAVAILABLE";
    case grpc::DATA_LOSS: return "DATA_LOSS";
    case grpc::UNAUTHENTICATED: return "UNAUTHENTICATED";
    default: return "?";
  }
}

class Figures {
 public:
  void Honest(const std::string& rpc, double ms, const grpc::Status& s) {
    std::lock_guard<std::mutex> lock(mu_);
    RpcFigures& f = honest_[rpc];
    if (s.ok()) {
      f.ms.push_back(ms);
      return;
    }
    ++f.errors;
    const std::string key = std::string(CodeName(s.error_code())) + ": " + s.error_message().substr(0, 160);
    if (f.error_samples.size() < 5 || f.error_samples.count(key)) ++f.error_samples[key];
  }
  // `violation`: empty when the outcome is within limits.
  void Hostile(const std::string& kind, double ms, grpc::StatusCode code, const std::string& violation) {
    std::lock_guard<std::mutex> lock(mu_);
    HostileFigures& f = hostile_[kind];
    ++f.sent;
    ++f.codes[CodeName(code)];
    f.max_ms = std::max(f.max_ms, ms);
    if (!violation.empty()) {
      ++f.violations;
      if (f.violation_samples.size() < 3) f.violation_samples.push_back(violation);
    }
  }
  uint64_t HonestCalls() {
    std::lock_guard<std::mutex> lock(mu_);
    uint64_t n = 0;
    for (auto& [k, f] : honest_) n += f.ms.size() + f.errors;
    return n;
  }
  uint64_t HonestErrors() {
    std::lock_guard<std::mutex> lock(mu_);
    uint64_t n = 0;
    for (auto& [k, f] : honest_) n += f.errors;
    return n;
  }
  uint64_t HostileSent() {
    std::lock_guard<std::mutex> lock(mu_);
    uint64_t n = 0;
    for (auto& [k, f] : hostile_) n += f.sent;
    return n;
  }
  std::map<std::string, RpcFigures>& honest() { return honest_; }
  std::map<std::string, HostileFigures>& hostile() { return hostile_; }

 private:
  std::mutex mu_;
  std::map<std::string, RpcFigures> honest_;
  std::map<std::string, HostileFigures> hostile_;
};

// ---- clients ----
// Sends `authorization: Bearer <token>` with every call of a channel.
class TokenInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit TokenInterceptor(const std::string& header) : header_(header) {}
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      methods->GetSendInitialMetadata()->insert({"authorization", header_});
    }
    methods->Proceed();
  }

 private:
  const std::string& header_;
};

class TokenInterceptorFactory final : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit TokenInterceptorFactory(std::string token) : header_("Bearer " + std::move(token)) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(grpc::experimental::ClientRpcInfo*) override {
    return new TokenInterceptor(header_);
  }

 private:
  const std::string header_;
};

// A connection of its own; with a token when `token` is not empty.
std::shared_ptr<grpc::Channel> NewChannel(const std::string& target, const std::string& token = "") {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // a connection of its own
  args.SetMaxReceiveMessageSize(256 << 20);
  args.SetMaxSendMessageSize(-1);
  if (token.empty()) return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<TokenInterceptorFactory>(token));
  return grpc::experimental::CreateCustomChannelWithInterceptors(target, grpc::InsecureChannelCredentials(),
                                                                 args, std::move(interceptors));
}

void SetDeadline(grpc::ClientContext* ctx, double seconds) {
  ctx->set_deadline(std::chrono::system_clock::now() +
                    std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000)));
}

struct Shared {
  std::string target, memory;
  std::vector<Query> queries;
  std::vector<std::string> ar_words, en_words;
  Clock::time_point start, end;
  std::atomic<bool> stop{false};
  Figures figures;
  double stall_s = 120;
  uint64_t max_requests = UINT64_MAX;
  int think_ms = 20;
  size_t import_units = 2000;
  std::atomic<uint64_t> added_seq{0};
  // --auth 1: the admin token, and a token a client ("honest-N",
  // "hostile-N", "stall-N"); empty without.
  std::string admin_token;
  std::map<std::string, std::string> tokens;
  std::string TokenOf(const std::string& client) const {
    auto it = tokens.find(client);
    return it == tokens.end() ? "" : it->second;
  }
  bool Done() const { return stop.load() || Clock::now() >= end; }
};

std::string Escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '<')
      o += "&lt;";
    else if (c == '>')
      o += "&gt;";
    else if (c == '&')
      o += "&amp;";
    else
      o += c;
  }
  return o;
}

void HonestImport(Shared& sh, v1::ImportExportService::Stub& stub, std::mt19937_64& rng) {
  std::string tmx =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\"><header srclang=\"ar\" "
      "creationtool=\"load_gen\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"x\" "
      "adminlang=\"en\" datatype=\"plaintext\"/><body>\n";
  for (size_t i = 0; i < sh.import_units; ++i) {
    const Query& q = sh.queries[rng() % sh.queries.size()];
    tmx += "<tu><tuv xml:lang=\"ar\"><seg>" + Escape(q.text) + " استيراد " + std::to_string(i) +
           "</seg></tuv><tuv xml:lang=\"en\"><seg>imported unit " + std::to_string(i) + "</seg></tuv></tu>\n";
  }
  tmx += "</body></tmx>\n";
  grpc::ClientContext ctx;
  SetDeadline(&ctx, 60);
  const auto t0 = Clock::now();
  auto stream = stub.Import(&ctx);
  v1::ImportRequest req;
  req.mutable_start()->set_memory("honest-import");
  req.mutable_start()->set_file_name("honest.tmx");
  req.mutable_start()->set_format(v1::FILE_FORMAT_TMX);
  req.mutable_start()->set_total_bytes(tmx.size());
  stream->Write(req);
  for (size_t pos = 0; pos < tmx.size(); pos += 64 << 10) {
    v1::ImportRequest chunk;
    chunk.set_chunk(tmx.substr(pos, 64 << 10));
    if (!stream->Write(chunk)) break;
  }
  stream->WritesDone();
  v1::ImportResponse resp;
  uint64_t added = 0;
  while (stream->Read(&resp)) {
    if (resp.has_report()) added = resp.report().counts().units_added();
  }
  grpc::Status s = stream->Finish();
  if (s.ok() && added != sh.import_units) {
    s = grpc::Status(grpc::StatusCode::INTERNAL, "import added " + std::to_string(added) + " units, not " +
                                                     std::to_string(sh.import_units));
  }
  sh.figures.Honest("Import", Ms(Clock::now() - t0), s);
}

void HonestClient(Shared& sh, int id) {
  auto channel = NewChannel(sh.target, sh.TokenOf("honest-" + std::to_string(id)));
  auto mem = v1::MemoryService::NewStub(channel);
  auto imp = v1::ImportExportService::NewStub(channel);
  std::mt19937_64 rng(1000 + id);
  bool imported = id != 0;
  for (uint64_t n = 0; n < sh.max_requests && !sh.Done(); ++n) {
    if (!imported && Clock::now() - sh.start > std::chrono::seconds(2)) {
      HonestImport(sh, *imp, rng);
      imported = true;
      continue;
    }
    const double r = std::uniform_real_distribution<double>(0, 1)(rng);
    grpc::ClientContext ctx;
    SetDeadline(&ctx, 10);
    const auto t0 = Clock::now();
    if (r < 0.88) {
      const Query& q = sh.queries[rng() % sh.queries.size()];
      v1::LookupRequest req;
      req.add_memories(sh.memory);
      req.set_text(q.text);
      req.set_reverse(q.reverse);
      req.set_threshold(70);
      req.set_max_results(5);
      v1::LookupResponse resp;
      grpc::Status s = mem->Lookup(&ctx, req, &resp);
      sh.figures.Honest("Lookup", Ms(Clock::now() - t0), s);
    } else if (r < 0.98) {
      v1::BatchLookupRequest req;
      req.mutable_options()->add_memories(sh.memory);
      req.mutable_options()->set_threshold(70);
      req.mutable_options()->set_max_results(5);
      for (int i = 0; i < 10; ++i) {
        const Query& q = sh.queries[rng() % sh.queries.size()];
        if (q.reverse) continue;
        req.add_segments(q.text);
      }
      auto reader = mem->BatchLookup(&ctx, req);
      v1::BatchLookupResponse resp;
      int got = 0;
      while (reader->Read(&resp)) ++got;
      grpc::Status s = reader->Finish();
      if (s.ok() && got != req.segments_size()) {
        s = grpc::Status(grpc::StatusCode::INTERNAL, "BatchLookup answered " + std::to_string(got) + " of " +
                                                         std::to_string(req.segments_size()));
      }
      sh.figures.Honest("BatchLookup", Ms(Clock::now() - t0), s);
    } else {
      v1::AddUnitsResponse resp;
      auto writer = mem->AddUnits(&ctx, &resp);
      v1::AddUnitsRequest req;
      req.set_memory(sh.memory);
      req.set_policy(v1::DUPLICATE_POLICY_KEEP_ALL);
      for (int i = 0; i < 10; ++i) {
        const uint64_t k = sh.added_seq++;
        const Query& q = sh.queries[rng() % sh.queries.size()];
        v1::Unit* u = req.add_units();
        u->set_source(q.reverse ? "وحدة مضافة " + std::to_string(k) : q.text + " " + std::to_string(k));
        u->set_target(q.reverse ? q.text + " " + std::to_string(k) : "added unit " + std::to_string(k));
      }
      writer->Write(req);
      writer->WritesDone();
      grpc::Status s = writer->Finish();
      if (s.ok() && resp.added() != 10) {
        s = grpc::Status(grpc::StatusCode::INTERNAL, "AddUnits added " + std::to_string(resp.added()));
      }
      sh.figures.Honest("AddUnits", Ms(Clock::now() - t0), s);
    }
    if (sh.think_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(sh.think_ms));
  }
}

// ---- the hostile mix ----
std::string RandomWords(std::mt19937_64& rng, const std::vector<std::string>& words, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    if (i) s += ' ';
    s += words[rng() % words.size()];
  }
  return s;
}

std::string ManyRuleSrx(int rules) {
  std::string s =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<srx xmlns=\"http://www.lisa.org/srx20\" version=\"2.0\">"
      "<header segmentsubflows=\"yes\" cascade=\"yes\"/><body><languagerules>"
      "<languagerule languagerulename=\"L\">";
  for (int i = 0; i < rules; ++i) {
    s += "<rule break=\"no\"><beforebreak>\\b(?:w" + std::to_string(i) + "|[a-z]+x" + std::to_string(i) +
         ")+\\.</beforebreak><afterbreak>\\s</afterbreak></rule>";
  }
  s += "</languagerule></languagerules><maprules><languagemap languagepattern=\".*\" "
       "languagerulename=\"L\"/></maprules></body></srx>";
  return s;
}

// The outcome of a hostile call: a violation message, or "" when refused
// with a message or served (and `served_ok` says whether serving it was
// within limits).
std::string Judge(const grpc::Status& s, bool must_refuse, const std::string& served_problem) {
  switch (s.error_code()) {
    case grpc::OK:
      if (must_refuse) return "served, must be refused";
      return served_problem;
    case grpc::INVALID_ARGUMENT:
    case grpc::RESOURCE_EXHAUSTED:
    case grpc::OUT_OF_RANGE:
    case grpc::PERMISSION_DENIED:  // with --auth 1: beyond the token's role (exhaustive lookups)
      if (s.error_message().empty()) return std::string(CodeName(s.error_code())) + " without a message";
      return "";
    default: return std::string(CodeName(s.error_code())) + ": " + s.error_message().substr(0, 200);
  }
}

struct Hostile {
  Shared& sh;
  std::unique_ptr<v1::MemoryService::Stub> mem;
  std::unique_ptr<v1::AlignService::Stub> align;
  std::unique_ptr<v1::TextService::Stub> text;
  std::mt19937_64 rng;
  const std::string& big_description;

  void Record(const std::string& kind, Clock::time_point t0, const grpc::Status& s, bool must_refuse,
              const std::string& served_problem = "") {
    sh.figures.Hostile(kind, Ms(Clock::now() - t0), s.error_code(), Judge(s, must_refuse, served_problem));
  }

  grpc::Status DoLookup(v1::LookupRequest& req, v1::LookupResponse* resp) {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, 60);
    return mem->Lookup(&ctx, req, resp);
  }

  // A lookup of `words` random Arabic words that must be served with at most
  // 100 matches (max_results above that is capped by the server).
  void RandomWordsLookup(const std::string& kind, Clock::time_point t0, int words, double threshold,
                         uint32_t max_results) {
    v1::LookupRequest req;
    req.add_memories(sh.memory);
    req.set_text(RandomWords(rng, sh.ar_words, words));
    req.set_threshold(threshold);
    req.set_max_results(max_results);
    v1::LookupResponse resp;
    grpc::Status s = DoLookup(req, &resp);
    Record(kind, t0, s, false, resp.matches_size() > 100 ? "more than 100 matches" : "");
  }

  void Run(int which) {
    const std::vector<std::string>& ar = sh.ar_words;
    const auto t0 = Clock::now();
    switch (which) {
      case 0:  // huge max_results (threshold 0: the server's default)
        RandomWordsLookup("Lookup max_results=1000000", t0, 8, 0, 1000000);
        break;
      case 1:  // threshold 1 on random words
        RandomWordsLookup("Lookup threshold=1, 30 random words", t0, 30, 1, 100);
        break;
      case 2:  // a flood of random-word lookups
        for (int i = 0; i < 20 && !sh.Done(); ++i) {
          RandomWordsLookup("Lookup flood (30 random words @50)", Clock::now(), 30, 50, 100);
        }
        break;
      case 3: {  // exhaustive
        v1::LookupRequest req;
        req.add_memories(sh.memory);
        req.set_text(RandomWords(rng, ar, 10));
        req.set_exhaustive(true);
        v1::LookupResponse resp;
        Record("Lookup exhaustive", t0, DoLookup(req, &resp), false);
        break;
      }
      case 4: {  // a 1 MiB query and 100 memories
        v1::LookupRequest req;
        req.add_memories(sh.memory);
        std::string t = RandomWords(rng, ar, 200);
        while (t.size() < (1u << 20)) t += " " + t;
        req.set_text(t);
        v1::LookupResponse resp;
        Record("Lookup 1 MiB text", t0, DoLookup(req, &resp), true);
        v1::LookupRequest many;
        for (int i = 0; i < 100; ++i) many.add_memories("m" + std::to_string(i));
        many.set_text("hello");
        const auto t1 = Clock::now();
        Record("Lookup 100 memories", t1, DoLookup(many, &resp), true);
        break;
      }
      case 5: {  // BatchLookup over the segment limit
        v1::BatchLookupRequest req;
        req.mutable_options()->add_memories(sh.memory);
        for (int i = 0; i < 200000; ++i) req.add_segments("x");
        grpc::ClientContext ctx;
        SetDeadline(&ctx, 60);
        auto reader = mem->BatchLookup(&ctx, req);
        v1::BatchLookupResponse resp;
        int got = 0;
        while (reader->Read(&resp)) ++got;
        Record("BatchLookup 200,000 segments", t0, reader->Finish(), true);
        break;
      }
      case 6: {  // Align over the byte limit (17 MiB a side)
        v1::AlignRequest req;
        std::string ar_text = RandomWords(rng, ar, 100) + ". ";
        while (ar_text.size() < (17u << 20)) ar_text += ar_text;
        req.set_arabic_text(ar_text);
        req.set_english_text("One. Two.");
        grpc::ClientContext ctx;
        SetDeadline(&ctx, 60);
        auto reader = align->Align(&ctx, req);
        v1::AlignResponse resp;
        while (reader->Read(&resp)) {
        }
        Record("Align 17 MiB", t0, reader->Finish(), true);
        break;
      }
      case 7: {  // Align over the sentence limit, then one at 3,000 sentences (served or queued)
        for (int n : {60000, 3000}) {
          const auto t1 = Clock::now();
          v1::AlignRequest req;
          for (int i = 0; i < n; ++i) {
            req.mutable_arabic_sentences()->add_sentences(RandomWords(rng, ar, 6) + " " + std::to_string(i));
            req.mutable_english_sentences()->add_sentences(RandomWords(rng, sh.en_words, 6) + " " +
                                                           std::to_string(i));
          }
          grpc::ClientContext ctx;
          SetDeadline(&ctx, 120);
          auto reader = align->Align(&ctx, req);
          v1::AlignResponse resp;
          while (reader->Read(&resp)) {
          }
          Record(n > 50000 ? "Align 60,000 sentences" : "Align 3,000 sentences (within limits)", t1,
                 reader->Finish(), n > 50000);
        }
        break;
      }
      case 8: {  // SRX over the byte limit, then 400 rules within it
        for (int rules : {4000, 400}) {
          const auto t1 = Clock::now();
          v1::SegmentRequest req;
          req.set_language("en");
          req.set_srx(ManyRuleSrx(rules));
          std::string t;
          for (int i = 0; i < 200; ++i) t += RandomWords(rng, sh.en_words, 12) + ". ";
          req.set_text(t);
          grpc::ClientContext ctx;
          SetDeadline(&ctx, 60);
          v1::SegmentResponse resp;
          grpc::Status s = text->Segment(&ctx, req, &resp);
          Record(req.srx().size() > 256 * 1024 ? "Segment SRX > 256 KiB" : "Segment SRX 400 rules", t1, s,
                 req.srx().size() > 256 * 1024);
        }
        break;
      }
      case 9: {  // a 100 MB description
        v1::CreateMemoryRequest req;
        req.set_name("hostile-" + std::to_string(rng() % 1000000));
        req.set_source_lang("ar");
        req.set_target_lang("en");
        req.set_description(big_description);
        grpc::ClientContext ctx;
        SetDeadline(&ctx, 60);
        v1::Memory resp;
        Record("CreateMemory 100 MB description", t0, mem->CreateMemory(&ctx, req, &resp), true);
        break;
      }
      case 10: {  // concordance of a common word, a huge page
        v1::ConcordanceRequest req;
        req.set_memory(sh.memory);
        req.set_text(ar[rng() % std::min<size_t>(ar.size(), 50)]);
        req.set_page_size(1000000);
        grpc::ClientContext ctx;
        SetDeadline(&ctx, 60);
        v1::ConcordanceResponse resp;
        grpc::Status s = mem->Concordance(&ctx, req, &resp);
        Record("Concordance page_size=1000000", t0, s, false,
               resp.hits_size() > 10000 ? "more than 10,000 hits in one page" : "");
        break;
      }
    }
  }
};
constexpr int kHostileKinds = 11;

// Stalled streams: AddUnits and Import that never send, an Export never
// read. The server must end each (CANCELLED by its stall watchdog, or
// refused) within stall_s + slack.
void StallClient(Shared& sh, int id) {
  auto channel = NewChannel(sh.target, sh.TokenOf("stall-" + std::to_string(id)));
  auto mem = v1::MemoryService::NewStub(channel);
  auto imp = v1::ImportExportService::NewStub(channel);
  const double slack = std::max(5.0, sh.stall_s);
  for (int round = id; !sh.Done(); ++round) {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, sh.stall_s + slack + 30);
    const auto t0 = Clock::now();
    grpc::Status s;
    std::string kind;
    uint64_t export_bytes = 0;
    switch (round % 3) {
      case 0: {
        kind = "stalled AddUnits (never sends)";
        v1::AddUnitsResponse resp;
        auto w = mem->AddUnits(&ctx, &resp);
        s = w->Finish();
        break;
      }
      case 1: {
        kind = "stalled Import (never sends)";
        auto st = imp->Import(&ctx);
        s = st->Finish();
        break;
      }
      case 2: {
        kind = "stalled Export (never read)";
        v1::ExportRequest req;
        req.set_memory("hostile-big");
        auto r = imp->Export(&ctx, req);
        // Read nothing for longer than the stall limit, then drain: the
        // status follows the messages already sent.
        const auto wake =
            Clock::now() + std::chrono::milliseconds(static_cast<int64_t>((sh.stall_s + 2) * 1000));
        while (Clock::now() < wake && !sh.stop) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        v1::ExportResponse resp;
        uint64_t bytes = 0;
        while (r->Read(&resp)) bytes += resp.chunk().size();
        s = r->Finish();
        if (s.ok()) export_bytes = bytes;
        break;
      }
    }
    const double ms = Ms(Clock::now() - t0);
    std::string violation;
    if (s.error_code() == grpc::CANCELLED || s.error_code() == grpc::RESOURCE_EXHAUSTED) {
      if (ms > (sh.stall_s + slack) * 1000) violation = "ended after " + std::to_string(ms / 1000) + " s";
    } else if (s.ok() && kind.find("Export") != std::string::npos) {
      // Served in full: the server was never held back (the export fitted
      // in the flow-control windows) or the client woke before the limit.
      std::printf("note: a stalled Export was served in full (%.1f MB)\n", export_bytes / 1e6);
    } else {
      violation = std::string(CodeName(s.error_code())) + ": " + s.error_message().substr(0, 200);
    }
    sh.figures.Hostile(kind, ms, s.error_code(), violation);
  }
}

// --auth 1: a token for each client (see the file comment).
bool MakeTokens(Shared& sh, int honest, int hostile, int stalls) {
  auto access = v1::AccessService::NewStub(NewChannel(sh.target, sh.admin_token));
  auto make = [&](const std::string& name, v1::TokenRole role) {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, 30);
    v1::CreateTokenRequest req;
    req.set_name(name);
    req.set_role(role);
    req.add_memories("*");
    v1::CreateTokenResponse resp;
    grpc::Status s = access->CreateToken(&ctx, req, &resp);
    if (!s.ok()) {
      std::printf("FAIL: CreateToken %s: %s\n", name.c_str(), s.error_message().c_str());
      return false;
    }
    sh.tokens[name] = resp.secret();
    return true;
  };
  for (int i = 0; i < honest; ++i) {
    if (!make("honest-" + std::to_string(i), v1::TOKEN_ROLE_TRANSLATOR)) return false;
  }
  for (int i = 0; i < hostile; ++i) {
    if (!make("hostile-" + std::to_string(i), v1::TOKEN_ROLE_MANAGER)) return false;
  }
  for (int i = 0; i < stalls; ++i) {
    if (!make("stall-" + std::to_string(i), v1::TOKEN_ROLE_TRANSLATOR)) return false;
  }
  return true;
}

bool Setup(Shared& sh) {
  auto mem = v1::MemoryService::NewStub(NewChannel(sh.target, sh.admin_token));
  for (const char* name : {"honest-import", "hostile-big"}) {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, 30);
    v1::CreateMemoryRequest req;
    req.set_name(name);
    req.set_source_lang("ar");
    req.set_target_lang("en");
    v1::Memory resp;
    grpc::Status s = mem->CreateMemory(&ctx, req, &resp);
    if (!s.ok() && s.error_code() != grpc::ALREADY_EXISTS) {
      std::printf("FAIL: CreateMemory %s: %s\n", name, s.error_message().c_str());
      return false;
    }
  }
  // 40 units of about 500 KB a side: a 40 MB export, more than the
  // flow-control windows hold, for the stalled reader.
  std::string filler;
  while (filler.size() < 500000) filler += "stalled reader filler text ";
  for (int chunk = 0; chunk < 4; ++chunk) {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, 120);
    v1::AddUnitsResponse resp;
    auto w = mem->AddUnits(&ctx, &resp);
    v1::AddUnitsRequest req;
    req.set_memory("hostile-big");
    req.set_policy(v1::DUPLICATE_POLICY_KEEP_ALL);
    for (int i = 0; i < 10; ++i) {
      v1::Unit* u = req.add_units();
      u->set_source("وحدة كبيرة " + std::to_string(chunk * 10 + i) + " " + filler);
      u->set_target("big unit " + std::to_string(chunk * 10 + i) + " " + filler);
    }
    w->Write(req);
    w->WritesDone();
    grpc::Status s = w->Finish();
    if (!s.ok()) {
      std::printf("FAIL: AddUnits hostile-big: %s\n", s.error_message().c_str());
      return false;
    }
  }
  return true;
}

std::vector<Query> ReadQueries(const fs::path& dir) {
  std::vector<Query> out;
  for (const char* name : {"heldout.tsv", "edited.tsv", "short.tsv"}) {
    std::ifstream in(dir / name);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      auto f = SplitTabs(line);
      if (f.size() < 3 || f[2].empty()) continue;
      out.push_back(Query{f[2], f[1] == "en"});
    }
  }
  return out;
}

// Waits up to `limit` for child `pid` to exit, then kills it (SIGKILL).
// Returns its exit code, or -1 when it was killed or died of a signal.
int WaitOrKill(pid_t pid, std::chrono::milliseconds limit) {
  int status = 0;
  const auto t0 = Clock::now();
  pid_t done = 0;
  while ((done = waitpid(pid, &status, WNOHANG)) == 0 && Clock::now() - t0 < limit) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (done == 0) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Prints the hostile table; returns the violations.
uint64_t PrintHostileTable(Shared& sh) {
  uint64_t violations = 0;
  std::printf("\n== hostile mix (each must be refused with a message or served within its limits)\n");
  std::printf("%-40s %6s %10s  %s\n", "kind", "sent", "violations", "outcomes (max ms)");
  for (auto& [kind, f] : sh.figures.hostile()) {
    violations += f.violations;
    std::string codes;
    for (auto& [c, n] : f.codes) codes += c + " " + std::to_string(n) + ", ";
    std::printf("%-40s %6lu %10lu  %s(%.0f)\n", kind.c_str(), static_cast<unsigned long>(f.sent),
                static_cast<unsigned long>(f.violations), codes.c_str(), f.max_ms);
    for (const std::string& v : f.violation_samples) std::printf("    violation: %s\n", v.c_str());
  }
  return violations;
}

// The hostile clients and stalled streams of one cycle; each stops at
// sh.end.
void StartHostileClients(Shared& sh, int hostile_clients, int stalls, const std::string& big_description,
                         const std::vector<bool>& kinds, std::vector<std::thread>& threads) {
  for (int i = 0; i < hostile_clients; ++i) {
    threads.emplace_back([&sh, i, &big_description, &kinds] {
      // In the main process (--hostile-process 0) the hostile clients' own
      // work runs at nice 19; in a process of their own, all of it (gRPC's
      // threads too) under SCHED_IDLE.
      setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 19);
      auto channel = NewChannel(sh.target, sh.TokenOf("hostile-" + std::to_string(i)));
      Hostile h{sh,
                v1::MemoryService::NewStub(channel),
                v1::AlignService::NewStub(channel),
                v1::TextService::NewStub(channel),
                std::mt19937_64(77 + i),
                big_description};
      for (int round = i; !sh.Done(); ++round) {
        const int kind = round % kHostileKinds;
        if (!kinds[kind]) continue;
        if (kind == 9 && round % (2 * kHostileKinds) != 9) continue;  // 100 MB: every other cycle
        h.Run(kind);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });
  }
  for (int i = 0; i < stalls; ++i) threads.emplace_back([&sh, i] { StallClient(sh, i); });
}

// --hostile-kinds K,K,...: only these kinds of the mix (Hostile::Run's
// cases; to find which of them costs the honest clients most). Empty on a
// bad list (printed).
std::vector<bool> HostileKinds() {
  std::vector<bool> kinds(kHostileKinds, !g_args.count("--hostile-kinds"));
  std::stringstream kind_list(Arg("--hostile-kinds", ""));
  for (std::string k; std::getline(kind_list, k, ',');) {
    char* end = nullptr;
    const long kind = std::strtol(k.c_str(), &end, 10);
    if (k.empty() || *end != '\0' || kind < 0 || kind >= kHostileKinds) {
      std::printf("FAIL: --hostile-kinds: '%s' is not a kind (0 to %d)\n", k.c_str(), kHostileKinds - 1);
      return {};
    }
    kinds[kind] = true;
  }
  if (std::find(kinds.begin(), kinds.end(), true) == kinds.end()) {
    std::printf("FAIL: --hostile-kinds names no kind\n");
    return {};
  }
  return kinds;
}

// --role hostile: the hostile clients alone, against --target, for
// --seconds; prints their table; exit 1 on a violation.
int RunHostileRole(Shared& sh, const std::vector<bool>& kinds, double seconds, int hostile_clients,
                   int stalls) {
  const std::string big_description(100u << 20, 'd');
  sh.start = Clock::now();
  sh.end = sh.start + std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
  std::vector<std::thread> threads;
  StartHostileClients(sh, hostile_clients, stalls, big_description, kinds, threads);
  for (std::thread& t : threads) t.join();
  return PrintHostileTable(sh) > 0 ? 1 : 0;
}

// Starts this program again with --role hostile under SCHED_IDLE (its
// threads inherit the policy), with this run's arguments for the hostile
// mix. Returns its pid, or -1.
pid_t StartHostileProcess(const std::string& target, const std::string& token_file) {
  std::vector<std::string> args = {"/proc/self/exe", "--role", "hostile", "--target", target};
  for (const char* name : {"--queries", "--memory", "--seconds", "--hostile-clients", "--stalls", "--stall-s",
                           "--hostile-kinds", "--auth"}) {
    if (g_args.count(name)) {
      args.push_back(name);
      args.push_back(g_args[name]);
    }
  }
  if (!token_file.empty()) {
    args.push_back("--token-file");
    args.push_back(token_file);
  }
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t child = fork();
  if (child == 0) {
    setpriority(PRIO_PROCESS, 0, 19);
    sched_param param{};
    sched_setscheduler(0, SCHED_IDLE, &param);
    execv("/proc/self/exe", argv.data());
    _exit(127);
  }
  return child;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  signal(SIGPIPE, SIG_IGN);
  for (int i = 1; i + 1 < argc; i += 2) g_args[argv[i]] = argv[i + 1];
  Shared sh;
  sh.memory = Arg("--memory", "bench");
  sh.queries = ReadQueries(Arg("--queries", ""));
  if (sh.queries.empty()) {
    std::printf("SKIP: no queries in --queries %s (heldout/edited/short.tsv of the tm workload)\n",
                Arg("--queries", "").c_str());
    return 77;
  }
  for (const Query& q : sh.queries) {
    std::stringstream ss(q.text);
    for (std::string w; ss >> w;) (q.reverse ? sh.en_words : sh.ar_words).push_back(w);
  }
  const double seconds = ArgD("--seconds", 20);
  const int clients = static_cast<int>(ArgD("--clients", 8));
  const bool hostile = Arg("--hostile", "1") == "1";
  const int hostile_clients = static_cast<int>(ArgD("--hostile-clients", 3));
  const int stalls = static_cast<int>(ArgD("--stalls", 3));
  const double warmup = ArgD("--warmup-s", 10);
  sh.stall_s = ArgD("--stall-s", 120);
  sh.think_ms = static_cast<int>(ArgD("--think-ms", 20));
  sh.import_units = static_cast<size_t>(ArgD("--import-units", 2000));
  if (g_args.count("--max-requests")) sh.max_requests = std::stoull(Arg("--max-requests", "0"));

  // --hostile-process 1 (the default): the hostile clients run in a process
  // of their own (this program again, --role hostile) under SCHED_IDLE: on a
  // network they run on their own machines, so their own CPU work (building
  // 100 MB requests, gRPC's threads sending them) must not take the shared
  // cores from the honest clients; what they cost the server is what is
  // measured. --hostile-process 0: in this process, at nice 19.
  const bool hostile_role = Arg("--role", "all") == "hostile";
  const bool hostile_process = !hostile_role && hostile && Arg("--hostile-process", "1") == "1";

  std::vector<bool> kinds;
  if (hostile) {
    kinds = HostileKinds();
    if (kinds.empty()) return 2;
  }

  pid_t pid = static_cast<pid_t>(ArgD("--pid", 0));
  bool started = false;
  // On a failure before the run: the server started here is stopped.
  auto stop_started_server = [&] {
    if (started) {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
  };
  if (!hostile_role && !Arg("--server-bin", "").empty()) {
    const std::string data = Arg("--data-dir", "");
    const std::string log = Arg("--server-log", data + ".server.log");
    pid = StartServer(Arg("--server-bin", ""), data, Arg("--server-args", ""), log, &sh.target);
    if (pid <= 0) {
      std::printf("FAIL: the server did not start (log: %s)\n", log.c_str());
      return 1;
    }
    started = true;
    std::printf("server pid %d on %s (data %s, log %s, args: %s)\n", pid, sh.target.c_str(), data.c_str(),
                log.c_str(), Arg("--server-args", "").c_str());
  } else {
    sh.target = Arg("--target", "127.0.0.1:50051");
  }
  const bool auth = Arg("--auth", "0") == "1";
  if (auth) {
    const std::string file = Arg("--token-file", Arg("--data-dir", "") + "/admin.token");
    std::ifstream in(file);
    std::getline(in, sh.admin_token);
    if (sh.admin_token.empty()) {
      std::printf("FAIL: --auth 1: no admin token in %s\n", file.c_str());
      stop_started_server();
      return 1;
    }
  }
  const bool hostile_here = hostile && !hostile_process;
  if ((!hostile_role && !Setup(sh)) ||
      (auth && !MakeTokens(sh, hostile_role ? 0 : clients, hostile_here ? hostile_clients : 0,
                           hostile_here ? stalls : 0))) {
    stop_started_server();
    return 1;
  }
  std::printf(
      "%zu queries; %d honest clients (think %d ms), hostile %s (%d clients, %d stalled streams), %.0f s%s\n",
      sh.queries.size(), clients, sh.think_ms, hostile ? "on" : "off", hostile_clients, stalls, seconds,
      auth ? "; a token each (access control on)" : "");

  if (hostile_role) return RunHostileRole(sh, kinds, seconds, hostile_clients, stalls);
  pid_t hostile_pid = 0;
  if (hostile_process) {
    hostile_pid = StartHostileProcess(
        sh.target, auth ? Arg("--token-file", Arg("--data-dir", "") + "/admin.token") : std::string());
    if (hostile_pid <= 0) {
      std::printf("FAIL: the hostile process did not start\n");
      stop_started_server();
      return 1;
    }
  }

  const std::string big_description(hostile_here ? 100u << 20 : 0, 'd');
  std::vector<ProcSample> samples;
  sh.start = Clock::now();
  sh.end = sh.start + std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
  std::vector<std::thread> threads;
  // --client-nice N (root only below 0): the honest clients' threads at
  // nice N (they inherit it from this one). On a network they run on the
  // translators' machines: at -10 their own work does not wait for the
  // server's cores, and the figures show the server's share of the latency.
  if (const int client_nice = static_cast<int>(ArgD("--client-nice", 0)); client_nice != 0) {
    if (setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), client_nice) != 0) {
      std::printf("FAIL: --client-nice %d: %s\n", client_nice, std::strerror(errno));
      stop_started_server();
      return 2;
    }
  }
  for (int i = 0; i < clients; ++i) threads.emplace_back([&sh, i] { HonestClient(sh, i); });
  if (hostile_here) StartHostileClients(sh, hostile_clients, stalls, big_description, kinds, threads);

  // Every second: RSS and threads of the server, and its caches (Stats).
  auto stats_stub = v1::MemoryService::NewStub(NewChannel(sh.target, sh.admin_token));
  long max_threads = 0;
  while (Clock::now() < sh.end) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const double t = Ms(Clock::now() - sh.start) / 1000;
    double rss = -1;
    long thr = -1;
    if (pid > 0 && !ReadProc(pid, &rss, &thr)) {
      std::printf("t=%5.0fs the server is gone\n", t);
      break;
    }
    double cache = -1, rocks = -1;  // qantara's caches; RocksDB's block cache, memtables, table readers
    {
      grpc::ClientContext ctx;
      SetDeadline(&ctx, 2);
      v1::StatsResponse st;
      if (stats_stub->Stats(&ctx, v1::StatsRequest(), &st).ok()) {
        cache = (st.cached_bytes() + st.cached_unit_keys_bytes()) / 1048576.0;
        rocks = (st.rocks_block_cache_bytes() + st.rocks_memtable_bytes() + st.rocks_table_reader_bytes()) /
                1048576.0;
      }
    }
    samples.push_back({t, rss, thr, cache < 0 || rocks < 0 ? -1 : cache + rocks});
    max_threads = std::max(max_threads, thr);
    std::printf(
        "t=%5.0fs rss %7.1f MB (caches %6.1f, rocksdb %6.1f) threads %4ld honest calls %8lu errors %lu%s\n",
        t, rss, cache, rocks, thr, static_cast<unsigned long>(sh.figures.HonestCalls()),
        static_cast<unsigned long>(sh.figures.HonestErrors()),
        hostile_here ? (" hostile " + std::to_string(sh.figures.HostileSent())).c_str() : "");
  }
  sh.stop = true;
  std::printf("stopping the clients (stalled streams end when the server cancels them)\n");
  for (std::thread& t : threads) t.join();
  // The hostile process ends by itself (its clients stop at the same time);
  // it has printed its table, and exits 1 on a violation.
  const int hostile_exit =
      hostile_pid > 0
          ? WaitOrKill(hostile_pid,
                       std::chrono::milliseconds(static_cast<int64_t>((2 * sh.stall_s + 120) * 1000)))
          : 0;

  // Still up?
  bool alive = false;
  {
    auto mem = v1::MemoryService::NewStub(NewChannel(sh.target, sh.admin_token));
    grpc::ClientContext ctx;
    SetDeadline(&ctx, 10);
    v1::LookupRequest req;
    req.add_memories(sh.memory);
    req.set_text(sh.queries[0].text);
    req.set_reverse(sh.queries[0].reverse);
    v1::LookupResponse resp;
    alive = mem->Lookup(&ctx, req, &resp).ok();
  }

  // ---- report ----
  std::printf("\n== honest clients (%d, %.0f s; 2 shared cores: other work on the machine counts)\n", clients,
              seconds);
  std::printf("%-12s %9s %7s %9s %9s %9s %9s\n", "rpc", "calls", "errors", "p50 ms", "p99 ms", "p999 ms",
              "max ms");
  uint64_t honest_errors = 0;
  double lookup_p99 = 0;
  for (auto& [rpc, f] : sh.figures.honest()) {
    std::sort(f.ms.begin(), f.ms.end());
    honest_errors += f.errors;
    const double p99 = Pct(f.ms, 0.99);
    if (rpc == "Lookup") lookup_p99 = p99;
    std::printf("%-12s %9zu %7lu %9.2f %9.2f %9.2f %9.2f\n", rpc.c_str(), f.ms.size() + f.errors,
                static_cast<unsigned long>(f.errors), Pct(f.ms, 0.5), p99, Pct(f.ms, 0.999),
                f.ms.empty() ? 0.0 : f.ms.back());
    for (auto& [msg, n] : f.error_samples)
      std::printf("    error x%lu: %s\n", static_cast<unsigned long>(n), msg.c_str());
  }
  const uint64_t violations = hostile_here ? PrintHostileTable(sh) : 0;
  double slope = 0, beyond_slope = 0, rss_max = 0, rss_end = 0, rss_first = 0, rss_warm = 0, cache_end = -1;
  if (!samples.empty()) {
    rss_first = samples.front().rss_mb;
    rss_end = samples.back().rss_mb;
    cache_end = samples.back().cache_mb;
    for (const ProcSample& s : samples) {
      rss_max = std::max(rss_max, s.rss_mb);
      if (s.t >= warmup && rss_warm == 0) rss_warm = s.rss_mb;
    }
    slope = SlopePerMinute(samples, warmup, &ProcSample::rss_mb);
    // The same of the RSS beyond the caches (qantara's, bounded by --cache-mb, and RocksDB's).
    for (ProcSample& s : samples) s.cache_mb = s.cache_mb < 0 ? -1 : s.rss_mb - s.cache_mb;
    beyond_slope = SlopePerMinute(samples, warmup, &ProcSample::cache_mb);
  }
  std::printf(
      "\n== server: RSS first %.0f MB, after warm-up (%.0f s) %.0f MB, max %.0f MB, end %.0f MB (qantara + "
      "RocksDB caches %.0f "
      "MB); "
      "slope after warm-up %+.2f MB/min, beyond the caches %+.2f MB/min; threads max %ld; still answering: "
      "%s\n",
      rss_first, warmup, rss_warm, rss_max, rss_end, cache_end, slope, beyond_slope, max_threads,
      alive ? "yes" : "NO");

  bool clean_stop = true;
  if (started) {
    kill(pid, SIGTERM);
    const auto t0 = Clock::now();
    clean_stop = WaitOrKill(pid, std::chrono::seconds(60)) == 0;
    std::printf("server stopped on SIGTERM in %.1f s: %s\n", Ms(Clock::now() - t0) / 1000,
                clean_stop ? "exit 0" : "NOT clean");
  }

  // ---- checks ----
  std::vector<std::string> failed;
  if (honest_errors > 0) failed.push_back(std::to_string(honest_errors) + " honest errors");
  if (violations > 0)
    failed.push_back(std::to_string(violations) + " hostile requests not refused or served within limits");
  if (hostile_exit != 0)
    failed.push_back(hostile_exit == 1
                         ? "the hostile process found violations (its table above)"
                         : "the hostile process failed (exit " + std::to_string(hostile_exit) + ")");
  if (!alive) failed.push_back("the server no longer answers");
  if (!clean_stop) failed.push_back("the server did not stop cleanly");
  if (g_args.count("--max-threads-bound") && max_threads > std::stol(Arg("--max-threads-bound", "0"))) {
    failed.push_back("threads " + std::to_string(max_threads) + " over " + Arg("--max-threads-bound", ""));
  }
  if (g_args.count("--rss-budget-mb") && rss_max > ArgD("--rss-budget-mb", 0)) {
    failed.push_back("RSS " + std::to_string(rss_max) + " MB over " + Arg("--rss-budget-mb", "") + " MB");
  }
  if (g_args.count("--p99-ms") && lookup_p99 > ArgD("--p99-ms", 0)) {
    failed.push_back("Lookup p99 " + std::to_string(lookup_p99) + " ms over " + Arg("--p99-ms", "") + " ms");
  }
  for (const std::string& f : failed) std::printf("CHECK FAILED: %s\n", f.c_str());
  if (failed.empty()) std::printf("all checks passed\n");
  return Arg("--check", "0") == "1" && !failed.empty() ? 1 : 0;
}
