// `qantara token create|list|revoke`: the API tokens of a server started
// with --auth (AccessService; an admin token is needed).
#include <ctime>
#include <string>

#include "clients/cli/call.h"
#include "clients/cli/commands.h"
#include "clients/cli/render_backup.h"
#include "nlohmann/json.hpp"
#include "qantara/v1/access.grpc.pb.h"

namespace qantara::cli {
namespace {

namespace v1 = qantara::v1;

std::string RoleText(v1::TokenRole role) {
  switch (role) {
    case v1::TOKEN_ROLE_READER: return "reader";
    case v1::TOKEN_ROLE_TRANSLATOR: return "translator";
    case v1::TOKEN_ROLE_MANAGER: return "manager";
    case v1::TOKEN_ROLE_ADMIN: return "admin";
    default: return "unknown";
  }
}

v1::TokenRole RoleOf(const std::string& name) {
  if (name == "reader") return v1::TOKEN_ROLE_READER;
  if (name == "translator") return v1::TOKEN_ROLE_TRANSLATOR;
  if (name == "manager") return v1::TOKEN_ROLE_MANAGER;
  if (name == "admin") return v1::TOKEN_ROLE_ADMIN;
  return v1::TOKEN_ROLE_UNSPECIFIED;
}

// "2026-01-31T12:00:00Z", or "-" for 0.
std::string Time(int64_t us) { return us == 0 ? "-" : IsoTime(us); }

std::string Patterns(const v1::TokenInfo& t) {
  std::string out;
  for (const std::string& m : t.memories()) out += (out.empty() ? "" : ",") + m;
  return out.empty() ? "-" : out;
}

nlohmann::ordered_json Json(const v1::TokenInfo& t) {
  nlohmann::ordered_json o;
  o["name"] = t.name();
  o["role"] = RoleText(t.role());
  o["memories"] = nlohmann::ordered_json::array();
  for (const std::string& m : t.memories()) o["memories"].push_back(m);
  o["created_at_us"] = Micros(t.create_time());
  o["expires_at_us"] = Micros(t.expire_time());
  o["revoked_at_us"] = Micros(t.revoke_time());
  o["created_by"] = t.created_by();
  return o;
}

}  // namespace

int RunTokenCommand(const GlobalOptions& options, const std::string& command, const TokenArgs& args) {
  const char* what = command.c_str();
  if (command == "token create") {
    v1::CreateTokenRequest req;
    req.set_name(args.name);
    req.set_request_id(NewRequestId());
    req.set_role(RoleOf(args.role));
    for (const std::string& m : args.memories) req.add_memories(m);
    req.mutable_ttl()->set_seconds(int64_t{args.expires_days} * 86400);
    absl::StatusOr<v1::CreateTokenResponse> resp = Call(options, &v1::AccessService::Stub::CreateToken, req);
    if (!resp.ok()) return ReportRpcError(options, what, resp.status());
    if (args.json) {
      nlohmann::ordered_json o = Json(resp->token());
      o["secret"] = resp->secret();
      return PrintOutput(o.dump(2) + "\n");
    }
    // The secret alone on stdout (for `> file`); what it is on stderr.
    std::fprintf(stderr,
                 "qantara: token '%s' (%s, memories %s, expires %s): keep the secret below, it is not "
                 "shown again\n",
                 resp->token().name().c_str(), RoleText(resp->token().role()).c_str(),
                 Patterns(resp->token()).c_str(), Time(Micros(resp->token().expire_time())).c_str());
    return PrintOutput(resp->secret() + "\n");
  }
  if (command == "token list") {
    absl::StatusOr<v1::ListTokensResponse> resp =
        Call(options, &v1::AccessService::Stub::ListTokens, v1::ListTokensRequest());
    if (!resp.ok()) return ReportRpcError(options, what, resp.status());
    if (args.json) {
      nlohmann::ordered_json j = nlohmann::ordered_json::array();
      for (const v1::TokenInfo& t : resp->tokens()) j.push_back(Json(t));
      return PrintOutput(j.dump(2) + "\n");
    }
    std::string out = "NAME\tROLE\tMEMORIES\tCREATED\tEXPIRES\tREVOKED\tCREATED_BY\n";
    for (const v1::TokenInfo& t : resp->tokens()) {
      out += t.name() + "\t" + RoleText(t.role()) + "\t" + Patterns(t) + "\t" +
             Time(Micros(t.create_time())) + "\t" + Time(Micros(t.expire_time())) + "\t" +
             Time(Micros(t.revoke_time())) + "\t" + (t.created_by().empty() ? "-" : t.created_by()) + "\n";
    }
    return PrintOutput(out);
  }
  if (command == "token revoke") {
    v1::RevokeTokenRequest req;
    req.set_name(args.name);
    req.set_request_id(NewRequestId());
    absl::StatusOr<v1::RevokeTokenResponse> resp = Call(options, &v1::AccessService::Stub::RevokeToken, req);
    if (!resp.ok()) return ReportRpcError(options, what, resp.status());
    return PrintOutput("revoked token '" + resp->token().name() + "' at " +
                       Time(Micros(resp->token().revoke_time())) + "\n");
  }
  return ReportError("token: unknown command " + command, kExitUsage);
}

}  // namespace qantara::cli
