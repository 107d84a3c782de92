// `qantara memory create|list|show|delete`: managing translation memories.
#include <cstdio>

#include "clients/cli/commands.h"
#include "nlohmann/json.hpp"
#include "qantara/v1/memory.grpc.pb.h"

namespace qantara::cli {
namespace {

nlohmann::ordered_json MemoryJson(const qantara::v1::Memory& m) {
  nlohmann::ordered_json j;
  j["name"] = m.name();
  j["source_lang"] = m.source_lang();
  j["target_lang"] = m.target_lang();
  j["units"] = m.units();
  j["description"] = m.description();
  j["created_at_us"] = m.created_at_us();
  return j;
}

void PrintJson(const nlohmann::ordered_json& j) {
  const std::string s = j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  std::printf("%s\n", s.c_str());
}

}  // namespace

void AddMemoryCommand(CLI::App& app, const GlobalOptions& options, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("memory", "Create, list, show and delete translation memories");
  cmd->require_subcommand(1);

  struct Args {
    std::string name, source, target, description;
    bool json = false;
  };
  auto args = std::make_shared<Args>();

  CLI::App* create = cmd->add_subcommand("create", "Create an empty memory");
  create->add_option("name", args->name, "memory name")->required();
  create->add_option("--source", args->source, "source language: ar or en (ar-SA... kept)")->required();
  create->add_option("--target", args->target, "target language: en or ar")->required();
  create->add_option("--description", args->description, "free description");
  create->callback([&options, exit_code, args] {
    qantara::v1::CreateMemoryRequest req;
    req.set_name(args->name);
    req.set_source_lang(args->source);
    req.set_target_lang(args->target);
    req.set_description(args->description);
    qantara::v1::Memory resp;
    if (!UnaryCall(options, "memory create", &v1::MemoryService::Stub::CreateMemory,
                   req, &resp, exit_code)) {
      return;
    }
    std::printf("created memory %s (%s -> %s)\n", resp.name().c_str(), resp.source_lang().c_str(),
                resp.target_lang().c_str());
    *exit_code = kExitOk;
  });

  CLI::App* list = cmd->add_subcommand("list", "List memories: name, languages, units");
  list->add_flag("--json", args->json, "print JSON");
  list->callback([&options, exit_code, args] {
    qantara::v1::ListMemoriesResponse resp;
    if (!UnaryCall(options, "memory list", &v1::MemoryService::Stub::ListMemories,
                   v1::ListMemoriesRequest(), &resp, exit_code)) {
      return;
    }
    if (args->json) {
      nlohmann::ordered_json j = nlohmann::ordered_json::array();
      for (const auto& m : resp.memories()) j.push_back(MemoryJson(m));
      PrintJson(j);
    } else {
      for (const auto& m : resp.memories()) {
        std::printf("%s\t%s -> %s\t%llu units\n", m.name().c_str(), m.source_lang().c_str(),
                    m.target_lang().c_str(), static_cast<unsigned long long>(m.units()));
      }
    }
    *exit_code = kExitOk;
  });

  CLI::App* show = cmd->add_subcommand("show", "Show one memory");
  show->add_option("name", args->name, "memory name")->required();
  show->add_flag("--json", args->json, "print JSON (name, source_lang, target_lang, units, ...)");
  show->callback([&options, exit_code, args] {
    qantara::v1::GetMemoryRequest req;
    req.set_name(args->name);
    qantara::v1::Memory m;
    if (!UnaryCall(options, "memory show", &v1::MemoryService::Stub::GetMemory, req, &m, exit_code)) return;
    if (args->json) {
      PrintJson(MemoryJson(m));
    } else {
      std::printf("name: %s\nlanguages: %s -> %s\nunits: %llu\ndescription: %s\n", m.name().c_str(),
                  m.source_lang().c_str(), m.target_lang().c_str(),
                  static_cast<unsigned long long>(m.units()), m.description().c_str());
    }
    *exit_code = kExitOk;
  });

  CLI::App* del = cmd->add_subcommand("delete", "Delete a memory and all its units");
  del->add_option("name", args->name, "memory name")->required();
  del->callback([&options, exit_code, args] {
    qantara::v1::DeleteMemoryRequest req;
    req.set_name(args->name);
    qantara::v1::DeleteMemoryResponse resp;
    if (!UnaryCall(options, "memory delete", &v1::MemoryService::Stub::DeleteMemory,
                   req, &resp, exit_code)) {
      return;
    }
    std::printf("deleted memory %s (%llu units)\n", args->name.c_str(),
                static_cast<unsigned long long>(resp.units_deleted()));
    *exit_code = kExitOk;
  });
}

}  // namespace qantara::cli
