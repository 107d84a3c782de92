// The route table (service/http/routes.h) and its matcher.
#include "service/http/routes.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace qantara::http {

namespace v1 = qantara::v1;
using google::protobuf::Message;

Stubs::Stubs(const std::shared_ptr<grpc::Channel>& channel)
    : memory(v1::MemoryService::NewStub(channel)),
      text(v1::TextService::NewStub(channel)),
      align(v1::AlignService::NewStub(channel)),
      import_export(v1::ImportExportService::NewStub(channel)),
      admin(v1::AdminService::NewStub(channel)),
      access(v1::AccessService::NewStub(channel)),
      server(v1::ServerService::NewStub(channel)) {}

namespace {

template <class Stub>
using StubOf = std::unique_ptr<Stub> Stubs::*;

// A unary rpc: one request, one response.
template <class Stub, class Req, class Resp>
CallFn Unary(StubOf<Stub> which, grpc::Status (Stub::*fn)(grpc::ClientContext*, const Req&, Resp*)) {
  return [which, fn](const Stubs& stubs, grpc::ClientContext& ctx, const Message& request,
                     std::unique_ptr<Message>* response) {
    auto resp = std::make_unique<Resp>();
    grpc::Status s = ((*(stubs.*which)).*fn)(&ctx, static_cast<const Req&>(request), resp.get());
    if (s.ok()) *response = std::move(resp);
    return s;
  };
}

template <class Resp>
class ReaderStream final : public MessageStream {
 public:
  explicit ReaderStream(std::unique_ptr<grpc::ClientReader<Resp>> reader) : reader_(std::move(reader)) {}
  bool Read(std::unique_ptr<Message>* message) override {
    auto msg = std::make_unique<Resp>();
    if (!reader_->Read(msg.get())) return false;
    *message = std::move(msg);
    return true;
  }
  grpc::Status Finish() override { return reader_->Finish(); }

 private:
  std::unique_ptr<grpc::ClientReader<Resp>> reader_;
};

// A server stream, read as it comes (BatchLookup's results, Align's beads).
template <class Stub, class Req, class Resp>
OpenFn ServerStream(StubOf<Stub> which,
                    std::unique_ptr<grpc::ClientReader<Resp>> (Stub::*fn)(grpc::ClientContext*, const Req&)) {
  return [which, fn](const Stubs& stubs, grpc::ClientContext& ctx, const Message& request) {
    return std::unique_ptr<MessageStream>(
        new ReaderStream<Resp>(((*(stubs.*which)).*fn)(&ctx, static_cast<const Req&>(request))));
  };
}

// A client stream sent as one message (the HTTP body).
template <class Stub, class Req, class Resp>
CallFn ClientStreamOfOne(StubOf<Stub> which,
                         std::unique_ptr<grpc::ClientWriter<Req>> (Stub::*fn)(grpc::ClientContext*, Resp*)) {
  return [which, fn](const Stubs& stubs, grpc::ClientContext& ctx, const Message& request,
                     std::unique_ptr<Message>* response) {
    auto resp = std::make_unique<Resp>();
    std::unique_ptr<grpc::ClientWriter<Req>> writer = ((*(stubs.*which)).*fn)(&ctx, resp.get());
    writer->Write(static_cast<const Req&>(request));  // a refusal shows in Finish
    writer->WritesDone();
    grpc::Status s = writer->Finish();
    if (s.ok()) *response = std::move(resp);
    return s;
  };
}

const google::protobuf::MethodDescriptor* Method(const std::string& service, const std::string& name) {
  const auto* s =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName("qantara.v1." + service);
  return s == nullptr ? nullptr : s->FindMethodByName(name);
}

std::vector<Route> MakeRoutes() {
  using MS = v1::MemoryService::Stub;
  using TS = v1::TextService::Stub;
  using AS = v1::AlignService::Stub;
  using AdS = v1::AdminService::Stub;
  using AcS = v1::AccessService::Stub;
  using SS = v1::ServerService::Stub;
  const StubOf<MS> mem = &Stubs::memory;
  const StubOf<TS> text = &Stubs::text;
  const StubOf<AS> align = &Stubs::align;
  const StubOf<AdS> admin = &Stubs::admin;
  const StubOf<AcS> access = &Stubs::access;
  const StubOf<SS> server = &Stubs::server;
  auto r = [](std::string verb, std::string path, std::string body, const char* service, const char* rpc,
              CallFn call, std::string summary, Shape shape = Shape::kMessage, int ok = 200) {
    return Route{std::move(verb), std::move(path), std::move(body),   Method(service, rpc), shape, ok,
                 std::move(call), nullptr,         std::move(summary)};
  };
  auto stream = [](std::string verb, std::string path, const char* service, const char* rpc, OpenFn open,
                   std::string summary) {
    return Route{std::move(verb), std::move(path),   "*", Method(service, rpc), Shape::kArray, 200, nullptr,
                 std::move(open), std::move(summary)};
  };
  return {
      // Memories.
      r("POST", "/v1/memories", "*", "MemoryService", "CreateMemory", Unary(mem, &MS::CreateMemory),
        "Create a memory", Shape::kMessage, 201),
      r("GET", "/v1/memories", "", "MemoryService", "ListMemories", Unary(mem, &MS::ListMemories),
        "List the memories the token reaches, a page at a time"),
      r("GET", "/v1/memories/{name}", "", "MemoryService", "GetMemory", Unary(mem, &MS::GetMemory),
        "Get one memory"),
      r("DELETE", "/v1/memories/{name}", "", "MemoryService", "DeleteMemory", Unary(mem, &MS::DeleteMemory),
        "Delete a memory and its units"),
      // Units.
      r("POST", "/v1/memories/{memory}/units", "*", "MemoryService", "AddUnit", Unary(mem, &MS::AddUnit),
        "Add one unit"),
      r("POST", "/v1/memories/{memory}/units:batchAdd", "*", "MemoryService", "AddUnits",
        ClientStreamOfOne(mem, &MS::AddUnits), "Add many units in one request (bounded by the body limit)"),
      r("GET", "/v1/memories/{memory}/units/{unit_id}", "", "MemoryService", "GetUnit",
        Unary(mem, &MS::GetUnit), "Get one unit"),
      r("PATCH", "/v1/memories/{memory}/units/{unit.unit_id}", "unit", "MemoryService", "UpdateUnit",
        Unary(mem, &MS::UpdateUnit),
        "Update a unit: the fields named by update_mask, optionally only at expected_revision"),
      r("POST", "/v1/memories/{memory}/units:batchDelete", "*", "MemoryService", "DeleteUnits",
        Unary(mem, &MS::DeleteUnits), "Delete units by id"),
      // Lookups.
      r("POST", "/v1/memories:lookup", "*", "MemoryService", "Lookup", Unary(mem, &MS::Lookup),
        "Fuzzy-match lookup of one segment in one or more memories"),
      stream("POST", "/v1/memories:batchLookup", "MemoryService", "BatchLookup",
             ServerStream(mem, &MS::BatchLookup),
             "Look up many segments; a JSON array of results in segment order"),
      r("POST", "/v1/memories/{memory}:concordance", "*", "MemoryService", "Concordance",
        Unary(mem, &MS::Concordance), "Concordance search of a word or phrase"),
      r("POST", "/v1/memories/{memory}:fragments", "*", "MemoryService", "Fragments",
        Unary(mem, &MS::Fragments), "The pieces of a segment the memory knows, with proposed translations"),
      r("GET", "/v1/stats", "", "MemoryService", "Stats", Unary(mem, &MS::Stats), "Server-wide statistics"),
      // Text.
      r("POST", "/v1/text:segment", "*", "TextService", "Segment", Unary(text, &TS::Segment),
        "Split a text into sentences"),
      r("POST", "/v1/text:normalize", "*", "TextService", "Normalize", Unary(text, &TS::Normalize),
        "Normalise a text as lookups do"),
      r("POST", "/v1/text:tokenize", "*", "TextService", "Tokenize", Unary(text, &TS::Tokenize),
        "Tokenise a text as lookups do"),
      // Alignment.
      stream("POST", "/v1/align", "AlignService", "Align", ServerStream(align, &AS::Align),
             "Align an Arabic and an English text; a JSON array of the stream's messages"),
      r("POST", "/v1/memories/{memory}:alignToMemory", "*", "AlignService", "AlignToMemory",
        Unary(align, &AS::AlignToMemory), "Align a document pair and store its confident pairs"),
      // Administration.
      r("POST", "/v1/backups", "*", "AdminService", "CreateBackup", Unary(admin, &AdS::CreateBackup),
        "Back the data dir up into a directory on the server"),
      r("GET", "/v1/backups", "", "AdminService", "ListBackups", Unary(admin, &AdS::ListBackups),
        "List the backups of a directory"),
      r("POST", "/v1/tokens", "*", "AccessService", "CreateToken", Unary(access, &AcS::CreateToken),
        "Create an API token (its secret is in this response only)", Shape::kMessage, 201),
      r("GET", "/v1/tokens", "", "AccessService", "ListTokens", Unary(access, &AcS::ListTokens),
        "List API tokens"),
      r("DELETE", "/v1/tokens/{name}", "", "AccessService", "RevokeToken", Unary(access, &AcS::RevokeToken),
        "Revoke an API token"),
      r("GET", "/v1/auditEvents", "", "AccessService", "ListAuditEvents",
        Unary(access, &AcS::ListAuditEvents), "The audit log, newest first"),
      r("GET", "/v1/server", "", "ServerService", "GetServerInfo", Unary(server, &SS::GetServerInfo),
        "Version, limits and the client service config"),
  };
}

// A template's pieces: literal segments and "{field}" variables; the last
// segment may end in ":verb".
struct Pattern {
  std::vector<std::string> segments;
  std::string custom_verb;
};

Pattern Parse(const std::string& path) {
  Pattern p;
  std::string rest = path;
  if (size_t slash = rest.rfind('/'), colon = rest.rfind(':'); colon != std::string::npos && colon > slash) {
    p.custom_verb = rest.substr(colon + 1);
    rest = rest.substr(0, colon);
  }
  p.segments = absl::StrSplit(absl::StripPrefix(rest, "/"), '/');
  return p;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

const std::vector<Route>& RestRoutes() {
  static const std::vector<Route>* routes = new std::vector<Route>(MakeRoutes());
  return *routes;
}

const std::map<std::string, std::string>& UnroutedRpcs() {
  static const auto* unrouted = new std::map<std::string, std::string>{
      {"qantara.v1.ImportExportService.Import",
       "POST /v1/memories/{memory}/imports uploads a file and starts an import job; GET /v1/imports/{job} "
       "reports its progress"},
      {"qantara.v1.ImportExportService.Export",
       "GET /v1/memories/{memory}/export streams the TMX (format=po: PO) download"},
  };
  return *unrouted;
}

bool PercentDecode(const std::string& in, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out->push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

std::optional<RouteMatch> MatchRoute(const std::string& verb, const std::string& raw_path,
                                     bool* verb_mismatch) {
  if (verb_mismatch != nullptr) *verb_mismatch = false;
  const std::vector<std::string> got = absl::StrSplit(absl::StripPrefix(raw_path, "/"), '/');
  for (const Route& route : RestRoutes()) {
    const Pattern want = Parse(route.path);
    if (want.segments.size() != got.size()) continue;
    RouteMatch match{&route, {}};
    bool ok = true;
    size_t i = 0;
    for (; ok && i < got.size(); ++i) {
      std::string piece = got[i];
      const bool last = i + 1 == got.size();
      if (last && !want.custom_verb.empty()) {
        if (!absl::EndsWith(piece, ":" + want.custom_verb)) break;
        piece.resize(piece.size() - want.custom_verb.size() - 1);
      }
      const std::string& w = want.segments[i];
      if (!w.empty() && w.front() == '{' && w.back() == '}') {
        std::string value;
        if (piece.empty() || !PercentDecode(piece, &value)) {
          ok = false;
          break;
        }
        match.vars.emplace_back(w.substr(1, w.size() - 2), std::move(value));
      } else if (piece != w) {
        ok = false;
      }
    }
    if (!ok || i < got.size()) continue;
    if (route.verb != verb) {
      if (verb_mismatch != nullptr) *verb_mismatch = true;
      continue;
    }
    return match;
  }
  return std::nullopt;
}

}  // namespace qantara::http
