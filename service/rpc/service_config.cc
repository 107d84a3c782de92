// The gRPC service config of qantara's clients (service_config.h).
#include "service/rpc/service_config.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor_database.h"
#include "nlohmann/json.hpp"

namespace qantara::rpc {

namespace pb = google::protobuf;

namespace {

constexpr char kPackage[] = "qantara.v1";

// The reads named in full (Get* and List* are reads by their prefix).
constexpr const char* kReads[] = {"Lookup", "BatchLookup", "Concordance", "Fragments", "Stats",
                                  "Export", "Segment",     "Normalize",   "Tokenize",  "Align"};

bool HasStringField(const pb::Descriptor& message, const char* name) {
  const pb::FieldDescriptor* field = message.FindFieldByName(name);
  return field != nullptr && field->type() == pb::FieldDescriptor::TYPE_STRING && !field->is_repeated();
}

// `string request_id` in the message, or in the message of one of its oneofs.
bool CarriesRequestId(const pb::Descriptor& message) {
  if (HasStringField(message, "request_id")) return true;
  for (int i = 0; i < message.field_count(); ++i) {
    const pb::FieldDescriptor* field = message.field(i);
    if (field->real_containing_oneof() != nullptr && field->message_type() != nullptr &&
        HasStringField(*field->message_type(), "request_id")) {
      return true;
    }
  }
  return false;
}

}  // namespace

int MethodTimeoutSeconds(const pb::MethodDescriptor& method) {
  const std::string& name = method.name();
  if (name == "Lookup") return 10;
  if (name == "BatchLookup" || name == "Align" || name == "AlignToMemory") return 600;
  if (name == "Import" || name == "Export" || name == "AddUnits" || name == "CreateBackup") return 3600;
  return 30;
}

bool MethodIsRetried(const pb::MethodDescriptor& method) {
  const std::string& name = method.name();
  if (absl::StartsWith(name, "Get") || absl::StartsWith(name, "List")) return true;
  if (std::find(std::begin(kReads), std::end(kReads), name) != std::end(kReads)) return true;
  return CarriesRequestId(*method.input_type());
}

std::string ServiceConfigJson(const std::vector<const pb::FileDescriptor*>& files) {
  nlohmann::json methods = nlohmann::json::array();
  for (const pb::FileDescriptor* file : files) {
    for (int s = 0; s < file->service_count(); ++s) {
      const pb::ServiceDescriptor& service = *file->service(s);
      for (int m = 0; m < service.method_count(); ++m) {
        const pb::MethodDescriptor& method = *service.method(m);
        nlohmann::json entry = {
            {"name", nlohmann::json::array({{{"service", service.full_name()}, {"method", method.name()}}})},
            {"timeout", absl::StrCat(MethodTimeoutSeconds(method), "s")},
        };
        if (MethodIsRetried(method)) {
          entry["retryPolicy"] = {
              {"maxAttempts", 4},
              {"initialBackoff", "0.1s"},
              {"maxBackoff", "2s"},
              {"backoffMultiplier", 2},
              {"retryableStatusCodes", {"UNAVAILABLE"}},
          };
        }
        methods.push_back(std::move(entry));
      }
    }
  }
  // gRPC's token bucket: a failed call takes a token, a successful one
  // gives back 0.1; no retries while 5 or fewer are left.
  const nlohmann::json config = {
      {"methodConfig", std::move(methods)},
      {"retryThrottling", {{"maxTokens", 10}, {"tokenRatio", 0.1}}},
  };
  return config.dump();
}

std::vector<const pb::FileDescriptor*> QantaraV1Files() {
  std::vector<std::string> names;
  pb::DescriptorPool::internal_generated_database()->FindAllFileNames(&names);
  std::sort(names.begin(), names.end());
  std::vector<const pb::FileDescriptor*> files;
  for (const std::string& name : names) {
    const pb::FileDescriptor* file = pb::DescriptorPool::generated_pool()->FindFileByName(name);
    if (file != nullptr && file->package() == kPackage) files.push_back(file);
  }
  return files;
}

std::string QantaraServiceConfigJson() { return ServiceConfigJson(QantaraV1Files()); }

}  // namespace qantara::rpc
