// `qantara add`: one unit, or many from a TSV file streamed to the server.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "clients/cli/call.h"
#include "clients/cli/commands.h"
#include "clients/cli/idle_watchdog.h"
#include "clients/cli/policy_text.h"
#include "clients/cli/render_memory.h"
#include "qantara/v1/memory.grpc.pb.h"
#include "service/text/utf8.h"

namespace qantara::cli {
namespace {

constexpr int kChunk = 1000;

}  // namespace

absl::StatusOr<v1::AddUnitResponse> RunAddUnit(const GlobalOptions& options, const AddArgs& args) {
  v1::DuplicatePolicy policy;
  if (!ParsePolicy(args.policy, &policy)) {
    return absl::InvalidArgumentError("--policy must be skip, overwrite or keep");
  }
  if (args.texts.size() != 2) return absl::InvalidArgumentError("give SOURCE TARGET");
  v1::Origin origin = v1::ORIGIN_MANUAL;
  if (args.origin == "import") {
    origin = v1::ORIGIN_IMPORT;
  } else if (!args.origin.empty() && args.origin != "manual") {
    return absl::InvalidArgumentError("--origin must be manual or import");
  }
  v1::AddUnitRequest req;
  req.set_memory(args.memory);
  req.set_request_id(NewRequestId());
  req.set_policy(policy);
  req.mutable_unit()->set_source(args.texts[0]);
  req.mutable_unit()->set_target(args.texts[1]);
  req.mutable_unit()->set_created_by(args.user);
  req.mutable_unit()->set_origin(origin);
  return Call(options, &v1::MemoryService::Stub::AddUnit, req);
}

int RunAddCommand(const GlobalOptions& options, const AddArgs& args) {
  qantara::v1::DuplicatePolicy policy;
  if (!ParsePolicy(args.policy, &policy)) {
    return ReportError("add: --policy must be skip, overwrite or keep", kExitUsage);
  }
  const bool bulk = !args.tsv.empty();
  if (bulk ? !args.texts.empty() : args.texts.size() != 2) {
    return ReportError("add: give either SOURCE TARGET or --tsv FILE", kExitUsage);
  }
  std::string origin = args.origin.empty() ? (bulk ? "import" : "manual") : args.origin;
  qantara::v1::Origin origin_value = qantara::v1::ORIGIN_MANUAL;
  if (origin == "import")
    origin_value = qantara::v1::ORIGIN_IMPORT;
  else if (origin != "manual") {
    return ReportError("add: --origin must be manual or import", kExitUsage);
  }
  if (!bulk) {
    AddArgs one = args;
    one.origin = origin;
    absl::StatusOr<v1::AddUnitResponse> resp = RunAddUnit(options, one);
    if (!resp.ok()) return ReportRpcError(options, "add", resp.status());
    return PrintOutput(RenderAddUnit(*resp));
  }
  std::ifstream file;
  std::istream* in = &std::cin;
  if (args.tsv != "-") {
    file.open(args.tsv, std::ios::binary);
    if (!file) {
      return ReportError("add: cannot open " + args.tsv, kExitUsage);
    }
    in = &file;
  }
  // Streamed: the whole import is one call, sent in chunks as the file is read.
  auto stub = qantara::v1::MemoryService::NewStub(Connect(options));
  grpc::ClientContext ctx;
  AddToken(ctx, options);
  ctx.set_wait_for_ready(true);
  qantara::v1::AddUnitsResponse resp;
  // No deadline for the whole stream (a big file takes long), but one for
  // quiet: no chunk taken for --timeout seconds ends it.
  IdleWatchdog watchdog(&ctx, options.timeout_seconds);
  std::unique_ptr<grpc::ClientWriter<qantara::v1::AddUnitsRequest>> writer = stub->AddUnits(&ctx, &resp);
  qantara::v1::AddUnitsRequest chunk;
  chunk.set_memory(args.memory);
  chunk.set_policy(policy);
  chunk.set_request_id(NewRequestId());  // read from the first chunk
  std::string line;
  uint64_t line_no = 0;
  bool stream_ok = true;
  std::string input_error;
  while (std::getline(*in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) {
      input_error = args.tsv + ":" + std::to_string(line_no) + ": no TAB between source and target";
      break;
    }
    std::string source = line.substr(0, tab);
    std::string target = line.substr(tab + 1);
    if (const size_t tab2 = target.find('\t'); tab2 != std::string::npos) target.resize(tab2);
    if (!text::ValidateUtf8(line).ok()) {
      input_error = args.tsv + ":" + std::to_string(line_no) + ": not valid UTF-8";
      break;
    }
    qantara::v1::Unit* u = chunk.add_units();
    u->set_source(std::move(source));
    u->set_target(std::move(target));
    u->set_created_by(args.user);
    u->set_origin(origin_value);
    if (chunk.units_size() == kChunk) {
      if (!writer->Write(chunk)) {
        stream_ok = false;
        break;
      }
      watchdog.Touch();
      chunk.Clear();
    }
  }
  if (!input_error.empty()) {
    ctx.TryCancel();
    writer->Finish();
    return ReportError("add: " + input_error + " (units before it were added)", kExitUsage);
  }
  // The last chunk (or the first, naming the memory, when the file had no units).
  if (stream_ok && (chunk.units_size() > 0 || !chunk.memory().empty())) writer->Write(chunk);
  watchdog.Touch();
  writer->WritesDone();
  grpc::Status st = writer->Finish();
  if (watchdog.fired()) st = grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "no answer");
  if (!st.ok()) {
    return ReportRpcError(options, "add", st);
  }
  return PrintOutput(RenderAddUnits(resp));
}

}  // namespace qantara::cli
