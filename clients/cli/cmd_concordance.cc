// `qantara concordance`: a word or phrase in a memory's sources or targets.
#include <cstdio>

#include "clients/cli/commands.h"
#include "clients/cli/mark.h"
#include "nlohmann/json.hpp"
#include "qantara/v1/memory.grpc.pb.h"

namespace qantara::cli {

void AddConcordanceCommand(CLI::App& app, const GlobalOptions& options, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("concordance", "Find a word or phrase in a memory's sources (or targets)");
  struct Args {
    std::string memory, text;
    bool target = false, json = false;
    uint32_t page_size = 20;
    uint64_t page_token = 0;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("--memory,-m", args->memory, "memory name")->required();
  cmd->add_flag("--target", args->target, "search the targets");
  cmd->add_flag("--json", args->json, "print JSON");
  cmd->add_option("--page-size", args->page_size, "hits per page")->capture_default_str()->check(CLI::Range(1, 1000));
  cmd->add_option("--page-token", args->page_token, "next_page_token of the previous page");
  cmd->add_option("text", args->text, "word or phrase")->required();
  cmd->callback([&options, exit_code, args] {
    qantara::v1::ConcordanceRequest req;
    req.set_memory(args->memory);
    req.set_text(args->text);
    req.set_in_target(args->target);
    req.set_page_size(args->page_size);
    req.set_page_token(args->page_token);
    qantara::v1::ConcordanceResponse resp;
    if (!UnaryCall(options, "concordance", &v1::MemoryService::Stub::Concordance,
                   req, &resp, exit_code)) {
      return;
    }
    if (args->json) {
      nlohmann::ordered_json j;
      j["hits"] = nlohmann::ordered_json::array();
      for (const auto& h : resp.hits()) {
        nlohmann::ordered_json hj;
        hj["unit_id"] = std::to_string(h.unit().unit_id());
        hj["source"] = h.unit().source();
        hj["target"] = h.unit().target();
        hj["spans"] = nlohmann::ordered_json::array();
        for (const auto& s : h.spans()) hj["spans"].push_back({s.begin(), s.end()});
        j["hits"].push_back(std::move(hj));
      }
      j["next_page_token"] = std::to_string(resp.next_page_token());
      const std::string s = j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
      std::printf("%s\n", s.c_str());
      *exit_code = kExitOk;
      return;
    }
    for (const auto& h : resp.hits()) {
      std::vector<std::pair<uint32_t, uint32_t>> spans;
      for (const auto& s : h.spans()) spans.emplace_back(s.begin(), s.end());
      const std::string& searched = args->target ? h.unit().target() : h.unit().source();
      const std::string& other = args->target ? h.unit().source() : h.unit().target();
      std::printf("%llu\t%s\t%s\n", static_cast<unsigned long long>(h.unit().unit_id()),
                  Mark(searched, spans).c_str(), other.c_str());
    }
    if (resp.next_page_token() != 0) {
      std::printf("(more: --page-token %llu)\n", static_cast<unsigned long long>(resp.next_page_token()));
    }
    *exit_code = kExitOk;
  });
}

}  // namespace qantara::cli
