// The gRPC service config of service/rpc/service_config.h: valid JSON, one
// methodConfig with a timeout for every rpc of every qantara.v1 service,
// retries for the reads and for the writes carrying a request_id only.
#include "service/rpc/service_config.h"

#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "qantara/v1/access.pb.h"
#include "qantara/v1/admin.pb.h"
#include "qantara/v1/align.pb.h"
#include "qantara/v1/import.pb.h"
#include "qantara/v1/memory.pb.h"
#include "qantara/v1/server.pb.h"
#include "qantara/v1/text.pb.h"

namespace qantara::rpc {
namespace {

namespace pb = google::protobuf;
namespace v1 = qantara::v1;

// Every file of the API (naming a message of each links it in).
std::vector<const pb::FileDescriptor*> ApiFiles() {
  return {v1::CreateTokenRequest::descriptor()->file(), v1::CreateBackupRequest::descriptor()->file(),
          v1::AlignRequest::descriptor()->file(),       v1::ImportRequest::descriptor()->file(),
          v1::LookupRequest::descriptor()->file(),      v1::ServerInfo::descriptor()->file(),
          v1::SegmentRequest::descriptor()->file()};
}

// "Service/Method" -> its methodConfig entries.
std::map<std::string, std::vector<nlohmann::json>> EntriesByMethod(const nlohmann::json& config) {
  std::map<std::string, std::vector<nlohmann::json>> out;
  for (const nlohmann::json& entry : config.at("methodConfig")) {
    for (const nlohmann::json& name : entry.at("name")) {
      out[name.at("service").get<std::string>() + "/" + name.at("method").get<std::string>()].push_back(
          entry);
    }
  }
  return out;
}

const pb::MethodDescriptor& Method(const std::string& service, const std::string& method) {
  const pb::ServiceDescriptor* s =
      pb::DescriptorPool::generated_pool()->FindServiceByName("qantara.v1." + service);
  EXPECT_NE(s, nullptr) << service;
  const pb::MethodDescriptor* m = s->FindMethodByName(method);
  EXPECT_NE(m, nullptr) << method;
  return *m;
}

TEST(ServiceConfigTest, EveryRpcHasExactlyOneEntryWithATimeout) {
  ApiFiles();
  const nlohmann::json config = nlohmann::json::parse(QantaraServiceConfigJson());
  const auto entries = EntriesByMethod(config);
  std::set<std::string> services;
  int methods = 0;
  for (const pb::FileDescriptor* file : ApiFiles()) {
    for (int s = 0; s < file->service_count(); ++s) {
      const pb::ServiceDescriptor& service = *file->service(s);
      services.insert(service.name());
      for (int m = 0; m < service.method_count(); ++m) {
        const std::string key = service.full_name() + "/" + service.method(m)->name();
        ++methods;
        auto it = entries.find(key);
        ASSERT_NE(it, entries.end()) << key;
        ASSERT_EQ(it->second.size(), 1u) << key;
        const nlohmann::json& entry = it->second.front();
        EXPECT_TRUE(std::regex_match(entry.at("timeout").get<std::string>(), std::regex("[1-9][0-9]*s")))
            << key;
        EXPECT_EQ(entry.at("timeout"), std::to_string(MethodTimeoutSeconds(*service.method(m))) + "s");
        EXPECT_EQ(entry.contains("retryPolicy"), MethodIsRetried(*service.method(m))) << key;
      }
    }
  }
  EXPECT_EQ(services,
            (std::set<std::string>{"AccessService", "AdminService", "AlignService", "ImportExportService",
                                   "MemoryService", "ServerService", "TextService"}));
  EXPECT_EQ(entries.size(), static_cast<size_t>(methods)) << "entries for rpcs that do not exist";
  EXPECT_EQ(config.at("retryThrottling").at("maxTokens"), 10);
}

TEST(ServiceConfigTest, Timeouts) {
  EXPECT_EQ(MethodTimeoutSeconds(Method("MemoryService", "Lookup")), 10);
  EXPECT_EQ(MethodTimeoutSeconds(Method("MemoryService", "BatchLookup")), 600);
  EXPECT_EQ(MethodTimeoutSeconds(Method("AlignService", "Align")), 600);
  EXPECT_EQ(MethodTimeoutSeconds(Method("AlignService", "AlignToMemory")), 600);
  EXPECT_EQ(MethodTimeoutSeconds(Method("ImportExportService", "Import")), 3600);
  EXPECT_EQ(MethodTimeoutSeconds(Method("ImportExportService", "Export")), 3600);
  EXPECT_EQ(MethodTimeoutSeconds(Method("AdminService", "CreateBackup")), 3600);
  EXPECT_EQ(MethodTimeoutSeconds(Method("MemoryService", "AddUnits")), 3600);
  EXPECT_EQ(MethodTimeoutSeconds(Method("MemoryService", "GetMemory")), 30);
  EXPECT_EQ(MethodTimeoutSeconds(Method("ServerService", "GetServerInfo")), 30);
}

TEST(ServiceConfigTest, ReadsAreRetried) {
  ApiFiles();
  for (const auto& [service, method] :
       std::vector<std::pair<std::string, std::string>>{{"MemoryService", "Lookup"},
                                                        {"MemoryService", "BatchLookup"},
                                                        {"MemoryService", "GetMemory"},
                                                        {"MemoryService", "ListMemories"},
                                                        {"MemoryService", "GetUnit"},
                                                        {"MemoryService", "Concordance"},
                                                        {"MemoryService", "Fragments"},
                                                        {"MemoryService", "Stats"},
                                                        {"ImportExportService", "Export"},
                                                        {"TextService", "Segment"},
                                                        {"TextService", "Normalize"},
                                                        {"TextService", "Tokenize"},
                                                        {"AlignService", "Align"},
                                                        {"AdminService", "ListBackups"},
                                                        {"AccessService", "ListTokens"},
                                                        {"AccessService", "ListAuditEvents"},
                                                        {"ServerService", "GetServerInfo"}}) {
    EXPECT_TRUE(MethodIsRetried(Method(service, method))) << method;
  }
  const nlohmann::json config = nlohmann::json::parse(QantaraServiceConfigJson());
  const nlohmann::json policy =
      EntriesByMethod(config).at("qantara.v1.MemoryService/Lookup").front().at("retryPolicy");
  EXPECT_EQ(policy.at("maxAttempts"), 4);
  EXPECT_EQ(policy.at("initialBackoff"), "0.1s");
  EXPECT_EQ(policy.at("maxBackoff"), "2s");
  EXPECT_EQ(policy.at("backoffMultiplier"), 2);
  EXPECT_EQ(policy.at("retryableStatusCodes"), nlohmann::json::array({"UNAVAILABLE"}));
}

// The writes of the API: retried exactly when their request carries a
// request_id (for Import: its ImportStart).
TEST(ServiceConfigTest, WritesAreRetriedOnlyWithARequestId) {
  ApiFiles();
  const std::vector<std::pair<std::string, std::string>> writes = {
      {"MemoryService", "CreateMemory"}, {"MemoryService", "DeleteMemory"}, {"MemoryService", "AddUnit"},
      {"MemoryService", "AddUnits"},     {"MemoryService", "UpdateUnit"},   {"MemoryService", "DeleteUnits"},
      {"AlignService", "AlignToMemory"}, {"AdminService", "CreateBackup"},  {"AccessService", "CreateToken"},
      {"AccessService", "RevokeToken"},  {"ImportExportService", "Import"}};
  for (const auto& [service, method] : writes) {
    const pb::MethodDescriptor& m = Method(service, method);
    const pb::Descriptor* carrier = method == "Import" ? v1::ImportStart::descriptor() : m.input_type();
    EXPECT_EQ(MethodIsRetried(m), carrier->FindFieldByName("request_id") != nullptr) << method;
  }
}

// A service of its own: a write with a request_id, one without, a stream
// whose start message (in a oneof) has one, and one whose does not.
TEST(ServiceConfigTest, RequestIdDecidesForAnyService) {
  pb::FileDescriptorProto proto;
  ASSERT_TRUE(pb::TextFormat::ParseFromString(
      R"pb(
        name: "test/writes.proto"
        package: "test"
        syntax: "proto3"
        message_type {
          name: "WithId"
          field { name: "request_id" number: 1 type: TYPE_STRING label: LABEL_OPTIONAL }
        }
        message_type {
          name: "WithoutId"
          field { name: "name" number: 1 type: TYPE_STRING label: LABEL_OPTIONAL }
        }
        message_type {
          name: "IntId"
          field { name: "request_id" number: 1 type: TYPE_INT64 label: LABEL_OPTIONAL }
        }
        message_type {
          name: "StreamWithId"
          field {
            name: "start"
            number: 1
            type: TYPE_MESSAGE
            type_name: ".test.WithId"
            label: LABEL_OPTIONAL
            oneof_index: 0
          }
          field { name: "data" number: 2 type: TYPE_BYTES label: LABEL_OPTIONAL oneof_index: 0 }
          oneof_decl { name: "kind" }
        }
        message_type {
          name: "StreamWithoutId"
          field {
            name: "start"
            number: 1
            type: TYPE_MESSAGE
            type_name: ".test.WithoutId"
            label: LABEL_OPTIONAL
            oneof_index: 0
          }
          oneof_decl { name: "kind" }
        }
        service {
          name: "Writes"
          method { name: "Put" input_type: ".test.WithId" output_type: ".test.WithoutId" }
          method { name: "Remove" input_type: ".test.WithoutId" output_type: ".test.WithoutId" }
          method { name: "Bump" input_type: ".test.IntId" output_type: ".test.WithoutId" }
          method {
            name: "Load"
            input_type: ".test.StreamWithId"
            output_type: ".test.WithoutId"
            client_streaming: true
          }
          method {
            name: "Pour"
            input_type: ".test.StreamWithoutId"
            output_type: ".test.WithoutId"
            client_streaming: true
          }
          method { name: "GetThing" input_type: ".test.WithoutId" output_type: ".test.WithoutId" }
        }
      )pb",
      &proto));
  pb::DescriptorPool pool;
  const pb::FileDescriptor* file = pool.BuildFile(proto);
  ASSERT_NE(file, nullptr);
  const pb::ServiceDescriptor& s = *file->service(0);
  EXPECT_TRUE(MethodIsRetried(*s.FindMethodByName("Put")));
  EXPECT_FALSE(MethodIsRetried(*s.FindMethodByName("Remove")));
  EXPECT_FALSE(MethodIsRetried(*s.FindMethodByName("Bump")));  // not a string
  EXPECT_TRUE(MethodIsRetried(*s.FindMethodByName("Load")));
  EXPECT_FALSE(MethodIsRetried(*s.FindMethodByName("Pour")));
  EXPECT_TRUE(MethodIsRetried(*s.FindMethodByName("GetThing")));

  const auto entries = EntriesByMethod(nlohmann::json::parse(ServiceConfigJson({file})));
  ASSERT_EQ(entries.size(), 6u);
  EXPECT_TRUE(entries.at("test.Writes/Put").front().contains("retryPolicy"));
  EXPECT_FALSE(entries.at("test.Writes/Remove").front().contains("retryPolicy"));
  EXPECT_EQ(entries.at("test.Writes/Remove").front().at("timeout"), "30s");
}

}  // namespace
}  // namespace qantara::rpc
