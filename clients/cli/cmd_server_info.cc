// `qantara server-info`: the server's version, storage format, request
// limits and the gRPC service config of its clients
// (ServerService.GetServerInfo).
#include <string>

#include "absl/strings/str_cat.h"
#include "clients/cli/commands.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "nlohmann/json.hpp"

namespace qantara::cli {
namespace {

namespace pb = google::protobuf;

// The limits, field by field (the proto's names).
nlohmann::json LimitsJson(const qantara::v1::RequestLimits& limits) {
  nlohmann::json out = nlohmann::json::object();
  const pb::Reflection* reflection = limits.GetReflection();
  const pb::Descriptor* descriptor = limits.GetDescriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const pb::FieldDescriptor* f = descriptor->field(i);
    switch (f->cpp_type()) {
      case pb::FieldDescriptor::CPPTYPE_BOOL: out[f->name()] = reflection->GetBool(limits, f); break;
      case pb::FieldDescriptor::CPPTYPE_UINT32: out[f->name()] = reflection->GetUInt32(limits, f); break;
      case pb::FieldDescriptor::CPPTYPE_UINT64: out[f->name()] = reflection->GetUInt64(limits, f); break;
      case pb::FieldDescriptor::CPPTYPE_INT32: out[f->name()] = reflection->GetInt32(limits, f); break;
      case pb::FieldDescriptor::CPPTYPE_INT64: out[f->name()] = reflection->GetInt64(limits, f); break;
      default: break;
    }
  }
  return out;
}

// One line a method: SERVICE/METHOD, its timeout, retried or not.
std::string RenderMethods(const nlohmann::json& config) {
  std::string out;
  const auto methods = config.find("methodConfig");
  if (methods == config.end() || !methods->is_array()) return out;
  for (const nlohmann::json& m : *methods) {
    std::string retry = "not retried";
    if (auto policy = m.find("retryPolicy"); policy != m.end()) {
      retry = absl::StrCat("retried: ", policy->value("maxAttempts", 0), " attempts on ",
                           policy->value("retryableStatusCodes", nlohmann::json::array()).dump());
    }
    for (const nlohmann::json& name : m.value("name", nlohmann::json::array())) {
      absl::StrAppend(&out, "  ", name.value("service", ""), "/", name.value("method", ""), "\t",
                      m.value("timeout", "-"), "\t", retry, "\n");
    }
  }
  return out;
}

}  // namespace

int RunServerInfoCommand(const GlobalOptions& options, const ServerInfoArgs& args) {
  absl::StatusOr<qantara::v1::ServerInfo> info = FetchServerInfo(options, options.timeout_seconds);
  if (!info.ok()) return ReportRpcError(options, "server-info", info.status());
  nlohmann::json config = nlohmann::json::parse(info->service_config_json(), nullptr, false);
  if (config.is_discarded()) {
    return ReportError("server-info: the server's service config is not JSON", kExitFailed);
  }
  const nlohmann::json limits = LimitsJson(info->limits());
  if (args.json) {
    const nlohmann::json out = {{"version", info->version()},
                                {"storage_format_version", info->storage_format_version()},
                                {"limits", limits},
                                {"service_config", config}};
    return PrintOutput(out.dump(2) + "\n");
  }
  std::string out = absl::StrCat("version: ", info->version(),
                                 "\nstorage format: ", info->storage_format_version(), "\nlimits:\n");
  for (const auto& [name, value] : limits.items())
    absl::StrAppend(&out, "  ", name, ": ", value.dump(), "\n");
  absl::StrAppend(&out, "service config (timeout for calls without a deadline; the CLI uses --timeout):\n",
                  RenderMethods(config));
  return PrintOutput(out);
}

}  // namespace qantara::cli
