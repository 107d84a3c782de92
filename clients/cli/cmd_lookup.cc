// `qantara lookup`: fuzzy matches for one segment.
#include <cstdio>

#include "clients/cli/commands.h"
#include "clients/cli/input.h"
#include "clients/cli/mark.h"
#include "nlohmann/json.hpp"
#include "qantara/v1/memory.grpc.pb.h"

namespace qantara::cli {
namespace {

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace

static nlohmann::ordered_json LookupJson(const qantara::v1::LookupResponse& resp) {
  nlohmann::ordered_json j;
  j["matches"] = nlohmann::ordered_json::array();
  for (const auto& m : resp.matches()) {
    nlohmann::ordered_json mj;
    mj["score"] = m.score();
    mj["gross_score"] = m.gross_score();
    mj["penalties"] = nlohmann::ordered_json::array();
    for (const auto& p : m.penalties()) {
      mj["penalties"].push_back({{"kind", p.kind()}, {"points", p.points()}});
    }
    mj["source"] = m.source();
    mj["target"] = m.target();
    mj["unit_id"] = std::to_string(m.unit_id());
    mj["memory"] = m.memory();
    mj["edits"] = m.edits();
    mj["adapted"] = m.adapted();
    if (m.adapted()) mj["adapted_target"] = m.adapted_target();
    mj["diffs"] = nlohmann::ordered_json::array();
    for (const auto& d : m.diffs()) {
      mj["diffs"].push_back({{"kind", d.kind()},
                             {"query", {d.query_begin(), d.query_end()}},
                             {"source", {d.source_begin(), d.source_end()}}});
    }
    mj["changed_at_us"] = m.unit().changed_at_us();
    mj["changed_by"] = m.unit().changed_by();
    j["matches"].push_back(std::move(mj));
  }
  j["candidates_scored"] = resp.candidates_scored();
  return j;
}

void AddLookupCommand(CLI::App& app, const GlobalOptions& options, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("lookup", "Fuzzy matches for a segment, best first");
  struct Args {
    std::vector<std::string> memories;
    double threshold = 70;
    uint32_t max = 5;
    bool reverse = false, exhaustive = false, json = false;
    std::string text;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("--memory,-m", args->memories, "memory name (repeat for several)")->required();
  cmd->add_option("--threshold", args->threshold, "minimum score, 1-100")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 100.0));
  cmd->add_option("--max", args->max, "most matches")->capture_default_str()->check(CLI::Range(1, 1000));
  cmd->add_flag("--reverse", args->reverse, "the text is in the target language (compare with targets)");
  cmd->add_flag("--exhaustive", args->exhaustive, "score every unit instead of using the index");
  cmd->add_flag("--json", args->json, "print JSON");
  cmd->add_option("text", args->text, "the segment; - reads stdin")->required();
  cmd->callback([&options, exit_code, args] {
    std::string text = args->text;
    if (text == "-") {
      absl::StatusOr<std::string> in = ReadTextInput("-");
      if (!in.ok()) {
        *exit_code = ReportError(std::string(in.status().message()), kExitUsage);
        return;
      }
      text = Trim(*std::move(in));
    }
    qantara::v1::LookupRequest req;
    for (const auto& m : args->memories) req.add_memories(m);
    req.set_text(text);
    req.set_threshold(args->threshold);
    req.set_max_results(args->max);
    req.set_reverse(args->reverse);
    req.set_exhaustive(args->exhaustive);
    qantara::v1::LookupResponse resp;
    if (!UnaryCall(options, "lookup", &v1::MemoryService::Stub::Lookup, req, &resp, exit_code)) return;
    if (args->json) {
      const std::string s = LookupJson(resp).dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
      std::printf("%s\n", s.c_str());
      *exit_code = kExitOk;
      return;
    }
    if (resp.matches().empty()) std::printf("no match at or above %g\n", args->threshold);
    for (const auto& m : resp.matches()) {
      std::vector<std::pair<uint32_t, uint32_t>> spans;
      for (const auto& d : m.diffs()) spans.emplace_back(d.source_begin(), d.source_end());
      std::string penalties;
      for (const auto& p : m.penalties()) {
        penalties += (penalties.empty() ? "" : ", ") + p.kind() + " -" + std::to_string(static_cast<int>(p.points()));
      }
      std::printf("%5.1f  (gross %.1f%s%s)  unit %llu in %s\n", m.score(), m.gross_score(),
                  penalties.empty() ? "" : "; ", penalties.c_str(),
                  static_cast<unsigned long long>(m.unit_id()), m.memory().c_str());
      std::printf("   source: %s\n", Mark(m.source(), spans).c_str());
      std::printf("   target: %s\n", m.target().c_str());
      if (m.adapted()) std::printf("  adapted: %s\n", m.adapted_target().c_str());
    }
    std::printf("(%llu candidates scored)\n", static_cast<unsigned long long>(resp.candidates_scored()));
    *exit_code = kExitOk;
  });
}

}  // namespace qantara::cli
