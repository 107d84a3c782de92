// `qantara unit show MEMORY ID [--json]` and `qantara unit update MEMORY ID
// [--source S] [--target T] [--project P] [--domain D] [--client C]
// [--attr KEY=VALUE]... [--revision N] [--json]`: one unit, read or changed
// field by field (MemoryService.GetUnit / UpdateUnit with an update mask and
// the revision it was read at).
#include <cstdio>
#include <string>

#include "absl/strings/str_format.h"
#include "clients/cli/call.h"
#include "clients/cli/commands.h"
#include "clients/cli/render_backup.h"
#include "nlohmann/json.hpp"
#include "qantara/v1/memory.grpc.pb.h"

namespace qantara::cli {
namespace {

namespace v1 = qantara::v1;

std::string UnitText(const v1::Unit& u, bool json) {
  if (json) {
    nlohmann::ordered_json j;
    j["unit_id"] = std::to_string(u.unit_id());
    j["revision"] = u.revision();
    j["source"] = u.source();
    j["target"] = u.target();
    j["created_at"] = IsoTime(Micros(u.create_time()));
    j["changed_at"] = IsoTime(Micros(u.update_time()));
    j["created_by"] = u.created_by();
    j["changed_by"] = u.changed_by();
    j["project"] = u.attributes().project();
    j["domain"] = u.attributes().domain();
    j["client"] = u.attributes().client();
    nlohmann::ordered_json extra = nlohmann::ordered_json::object();
    for (const auto& [k, v] : u.attributes().extra()) extra[k] = v;
    j["extra"] = extra;
    j["usage_count"] = u.usage_count();
    return j.dump(2) + "\n";
  }
  std::string out = absl::StrFormat("unit %d (revision %d)\nsource:  %s\ntarget:  %s\n", u.unit_id(),
                                    u.revision(), u.source(), u.target());
  out += absl::StrFormat("created: %s by %s\nchanged: %s by %s\n", IsoTime(Micros(u.create_time())),
                         u.created_by().empty() ? "-" : u.created_by(), IsoTime(Micros(u.update_time())),
                         u.changed_by().empty() ? "-" : u.changed_by());
  if (!u.attributes().project().empty()) out += "project: " + u.attributes().project() + "\n";
  if (!u.attributes().domain().empty()) out += "domain:  " + u.attributes().domain() + "\n";
  if (!u.attributes().client().empty()) out += "client:  " + u.attributes().client() + "\n";
  for (const auto& [k, v] : u.attributes().extra()) out += k + "=" + v + "\n";
  return out;
}

}  // namespace

int RunUnitCommand(const GlobalOptions& options, const std::string& command, const UnitArgs& args) {
  if (command == "unit show") {
    v1::GetUnitRequest req;
    req.set_memory(args.memory);
    req.set_unit_id(args.unit_id);
    absl::StatusOr<v1::Unit> unit = Call(options, &v1::MemoryService::Stub::GetUnit, req);
    if (!unit.ok()) return ReportRpcError(options, "unit show", unit.status());
    std::fputs(UnitText(*unit, args.json).c_str(), stdout);
    return kExitOk;
  }
  v1::UpdateUnitRequest req;
  req.set_memory(args.memory);
  req.set_request_id(NewRequestId());
  req.set_expected_revision(args.revision);
  v1::Unit* u = req.mutable_unit();
  u->set_unit_id(args.unit_id);
  auto* mask = req.mutable_update_mask();
  if (args.source.has_value()) {
    u->set_source(*args.source);
    mask->add_paths("source");
  }
  if (args.target.has_value()) {
    u->set_target(*args.target);
    mask->add_paths("target");
  }
  if (args.project.has_value()) {
    u->mutable_attributes()->set_project(*args.project);
    mask->add_paths("attributes.project");
  }
  if (args.domain.has_value()) {
    u->mutable_attributes()->set_domain(*args.domain);
    mask->add_paths("attributes.domain");
  }
  if (args.client.has_value()) {
    u->mutable_attributes()->set_client(*args.client);
    mask->add_paths("attributes.client");
  }
  for (const std::string& kv : args.attrs) {
    const size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return ReportError("--attr '" + kv + "': want KEY=VALUE (KEY= removes the key)", kExitUsage);
    }
    const std::string key = kv.substr(0, eq);
    if (eq + 1 < kv.size()) (*u->mutable_attributes()->mutable_extra())[key] = kv.substr(eq + 1);
    mask->add_paths("attributes.extra." + key);
  }
  if (mask->paths_size() == 0) {
    return ReportError(
        "unit update: nothing to change (give --source, --target, --project, --domain, "
        "--client or --attr)",
        kExitUsage);
  }
  absl::StatusOr<v1::Unit> unit = Call(options, &v1::MemoryService::Stub::UpdateUnit, req);
  if (!unit.ok()) {
    if (unit.status().code() == absl::StatusCode::kAborted) {
      std::fprintf(stderr,
                   "qantara: unit %llu changed since revision %u (someone else edited it): nothing was "
                   "written. Run `qantara unit show %s %llu`, then redo your change with its revision.\n",
                   static_cast<unsigned long long>(args.unit_id), static_cast<unsigned>(args.revision),
                   args.memory.c_str(), static_cast<unsigned long long>(args.unit_id));
    }
    return ReportRpcError(options, "unit update", unit.status());
  }
  std::fputs(UnitText(*unit, args.json).c_str(), stdout);
  return kExitOk;
}

}  // namespace qantara::cli
