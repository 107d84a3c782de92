// `qantara add`: one unit, or many from a TSV file streamed to the server.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "clients/cli/commands.h"
#include "clients/cli/policy_text.h"
#include "qantara/v1/memory.grpc.pb.h"
#include "service/text/utf8.h"

namespace qantara::cli {
namespace {

constexpr int kChunk = 1000;

}  // namespace

void AddAddCommand(CLI::App& app, const GlobalOptions& options, int* exit_code) {
  CLI::App* cmd = app.add_subcommand(
      "add", "Add a unit (SOURCE TARGET), or many from a TSV file (source TAB target a line)");
  struct Args {
    std::string memory, tsv, policy = "skip", user, origin;
    std::vector<std::string> texts;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("--memory,-m", args->memory, "memory name")->required();
  cmd->add_option("--tsv", args->tsv, "TSV file of units (source TAB target), - for stdin");
  cmd->add_option("--policy", args->policy,
                  "duplicates: skip (an identical pair, default), overwrite (the target of the "
                  "same source), keep (several translations)")
      ->capture_default_str();
  cmd->add_option("--user", args->user, "user name recorded on the units");
  cmd->add_option("--origin", args->origin, "manual (default for one unit) or import (default for --tsv)");
  cmd->add_option("texts", args->texts, "SOURCE TARGET")->expected(0, 2);
  cmd->callback([&options, exit_code, args] {
    qantara::v1::DuplicatePolicy policy;
    if (!ParsePolicy(args->policy, &policy)) {
      *exit_code = ReportError("add: --policy must be skip, overwrite or keep", kExitUsage);
      return;
    }
    const bool bulk = !args->tsv.empty();
    if (bulk ? !args->texts.empty() : args->texts.size() != 2) {
      *exit_code = ReportError("add: give either SOURCE TARGET or --tsv FILE", kExitUsage);
      return;
    }
    std::string origin = args->origin.empty() ? (bulk ? "import" : "manual") : args->origin;
    qantara::v1::Origin origin_value = qantara::v1::ORIGIN_MANUAL;
    if (origin == "import") origin_value = qantara::v1::ORIGIN_IMPORT;
    else if (origin != "manual") {
      *exit_code = ReportError("add: --origin must be manual or import", kExitUsage);
      return;
    }
    if (!bulk) {
      qantara::v1::AddUnitRequest req;
      req.set_memory(args->memory);
      req.set_policy(policy);
      req.mutable_unit()->set_source(args->texts[0]);
      req.mutable_unit()->set_target(args->texts[1]);
      req.mutable_unit()->set_created_by(args->user);
      req.mutable_unit()->set_origin(origin_value);
      qantara::v1::AddUnitResponse resp;
      if (!UnaryCall(options, "add", &v1::MemoryService::Stub::AddUnit, req, &resp, exit_code)) return;
      const char* what = resp.outcome() == qantara::v1::ADD_OUTCOME_ADDED     ? "added"
                         : resp.outcome() == qantara::v1::ADD_OUTCOME_SKIPPED ? "skipped (identical unit exists)"
                                                                              : "overwrote target of";
      std::printf("%s unit %llu\n", what, static_cast<unsigned long long>(resp.unit_id()));
      *exit_code = kExitOk;
      return;
    }
    std::ifstream file;
    std::istream* in = &std::cin;
    if (args->tsv != "-") {
      file.open(args->tsv, std::ios::binary);
      if (!file) {
        *exit_code = ReportError("add: cannot open " + args->tsv, kExitUsage);
        return;
      }
      in = &file;
    }
    // Streamed: the whole import is one call, sent in chunks as the file is read.
    auto stub = qantara::v1::MemoryService::NewStub(Connect(options));
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::hours(24));
    ctx.set_wait_for_ready(true);
    qantara::v1::AddUnitsResponse resp;
    std::unique_ptr<grpc::ClientWriter<qantara::v1::AddUnitsRequest>> writer = stub->AddUnits(&ctx, &resp);
    qantara::v1::AddUnitsRequest chunk;
    chunk.set_memory(args->memory);
    chunk.set_policy(policy);
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
        input_error = args->tsv + ":" + std::to_string(line_no) + ": no TAB between source and target";
        break;
      }
      std::string source = line.substr(0, tab);
      std::string target = line.substr(tab + 1);
      if (const size_t tab2 = target.find('\t'); tab2 != std::string::npos) target.resize(tab2);
      if (!text::ValidateUtf8(line).ok()) {
        input_error = args->tsv + ":" + std::to_string(line_no) + ": not valid UTF-8";
        break;
      }
      qantara::v1::Unit* u = chunk.add_units();
      u->set_source(std::move(source));
      u->set_target(std::move(target));
      u->set_created_by(args->user);
      u->set_origin(origin_value);
      if (chunk.units_size() == kChunk) {
        if (!writer->Write(chunk)) {
          stream_ok = false;
          break;
        }
        chunk.Clear();
      }
    }
    if (!input_error.empty()) {
      ctx.TryCancel();
      writer->Finish();
      *exit_code = ReportError("add: " + input_error + " (units before it were added)", kExitUsage);
      return;
    }
    // The last chunk (or the first, naming the memory, when the file had no units).
    if (stream_ok && (chunk.units_size() > 0 || !chunk.memory().empty())) writer->Write(chunk);
    writer->WritesDone();
    grpc::Status st = writer->Finish();
    if (!st.ok()) {
      *exit_code = ReportRpcError(options, "add", st);
      return;
    }
    std::printf("added %llu, skipped %llu, overwritten %llu\n",
                static_cast<unsigned long long>(resp.added()),
                static_cast<unsigned long long>(resp.skipped()),
                static_cast<unsigned long long>(resp.overwritten()));
    *exit_code = kExitOk;
  });
}

}  // namespace qantara::cli
