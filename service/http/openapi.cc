// OpenAPI 3.0 generation (service/http/openapi.h).
#include "service/http/openapi.h"

#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "nlohmann/json.hpp"
#include "service/http/routes.h"

namespace qantara::http {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using nlohmann::json;

namespace {

class Generator {
 public:
  json Ref(const Descriptor* d) {
    Add(d);
    return {{"$ref", absl::StrCat("#/components/schemas/", d->full_name())}};
  }

  json FieldSchema(const FieldDescriptor* f) {
    if (f->is_map()) {
      return {{"type", "object"}, {"additionalProperties", ScalarOrRef(f->message_type()->map_value())}};
    }
    json item = ScalarOrRef(f);
    if (f->is_repeated()) return {{"type", "array"}, {"items", item}};
    return item;
  }

  const json& schemas() const { return schemas_; }

 private:
  json ScalarOrRef(const FieldDescriptor* f) {
    switch (f->type()) {
      case FieldDescriptor::TYPE_STRING: return {{"type", "string"}};
      case FieldDescriptor::TYPE_BYTES: return {{"type", "string"}, {"format", "byte"}};
      case FieldDescriptor::TYPE_BOOL: return {{"type", "boolean"}};
      case FieldDescriptor::TYPE_INT32:
      case FieldDescriptor::TYPE_SINT32:
      case FieldDescriptor::TYPE_SFIXED32: return {{"type", "integer"}, {"format", "int32"}};
      case FieldDescriptor::TYPE_UINT32:
      case FieldDescriptor::TYPE_FIXED32: return {{"type", "integer"}, {"format", "int64"}, {"minimum", 0}};
      case FieldDescriptor::TYPE_INT64:
      case FieldDescriptor::TYPE_SINT64:
      case FieldDescriptor::TYPE_SFIXED64: return {{"type", "string"}, {"format", "int64"}};
      case FieldDescriptor::TYPE_UINT64:
      case FieldDescriptor::TYPE_FIXED64: return {{"type", "string"}, {"format", "uint64"}};
      case FieldDescriptor::TYPE_DOUBLE:
      case FieldDescriptor::TYPE_FLOAT: return {{"type", "number"}};
      case FieldDescriptor::TYPE_ENUM: {
        json values = json::array();
        for (int i = 0; i < f->enum_type()->value_count(); ++i)
          values.push_back(f->enum_type()->value(i)->name());
        return {{"type", "string"}, {"enum", values}};
      }
      default: break;
    }
    const std::string& n = f->message_type()->full_name();
    if (n == "google.protobuf.Timestamp") return {{"type", "string"}, {"format", "date-time"}};
    if (n == "google.protobuf.Duration") return {{"type", "string"}, {"example", "1.5s"}};
    if (n == "google.protobuf.FieldMask") return {{"type", "string"}, {"example", "source,target"}};
    if (n == "google.protobuf.Any") return {{"type", "object"}, {"additionalProperties", true}};
    return Ref(f->message_type());
  }

  void Add(const Descriptor* d) {
    if (!seen_.insert(d->full_name()).second) return;
    json props = json::object();
    for (int i = 0; i < d->field_count(); ++i) props[d->field(i)->json_name()] = FieldSchema(d->field(i));
    schemas_[d->full_name()] = {{"type", "object"}, {"properties", props}};
  }

  std::set<std::string> seen_;
  json schemas_ = json::object();
};

// Query parameters of a message: its scalar fields and those of its
// (non-repeated) sub-messages, dotted.
void QueryParams(Generator& gen, const Descriptor* d, const std::string& prefix,
                 const std::set<std::string>& skip, int depth, json* out) {
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    const std::string name = prefix + f->name();
    if (skip.count(name) || f->is_map()) continue;
    const bool wkt =
        f->message_type() != nullptr && absl::StartsWith(f->message_type()->full_name(), "google.protobuf.");
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !wkt) {
      if (!f->is_repeated() && depth < 2)
        QueryParams(gen, f->message_type(), name + ".", skip, depth + 1, out);
      continue;
    }
    if (f->type() == FieldDescriptor::TYPE_BYTES) continue;
    out->push_back({{"name", name}, {"in", "query"}, {"required", false}, {"schema", gen.FieldSchema(f)}});
  }
}

json PathParams(const std::string& path, std::set<std::string>* names) {
  json out = json::array();
  for (absl::string_view piece : absl::StrSplit(path, '/')) {
    size_t open = piece.find('{'), close = piece.find('}');
    if (open == absl::string_view::npos || close == absl::string_view::npos) continue;
    std::string name(piece.substr(open + 1, close - open - 1));
    names->insert(name);
    out.push_back({{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
  }
  return out;
}

json ErrorResponse() {
  return {{"description", "An error: google.rpc.Status as JSON (code is the gRPC code's number)"},
          {"content",
           {{"application/json", {{"schema", {{"$ref", "#/components/schemas/google.rpc.Status"}}}}}}}};
}

json Build() {
  Generator gen;
  json paths = json::object();
  auto op = [&](const std::string& path, const std::string& verb) -> json& {
    return paths[path][absl::AsciiStrToLower(verb)];
  };
  for (const Route& route : RestRoutes()) {
    std::set<std::string> in_path;
    json params = PathParams(route.path, &in_path);
    const Descriptor* input = route.method->input_type();
    json& o = op(route.path, route.verb);
    o["operationId"] = route.method->name();
    o["summary"] = route.summary;
    o["tags"] = json::array({route.method->service()->name()});
    o["description"] = absl::StrCat("The rpc qantara.v1.", route.method->service()->name(), "/",
                                    route.method->name(), " over HTTP.");
    if (route.body.empty()) {
      QueryParams(gen, input, "", in_path, 0, &params);
    } else {
      const Descriptor* body = route.body == "*" ? input : input->FindFieldByName(route.body)->message_type();
      o["requestBody"] = {{"required", true},
                          {"content", {{"application/json", {{"schema", gen.Ref(body)}}}}}};
      if (route.body != "*") {
        std::set<std::string> skip = in_path;
        skip.insert(route.body);
        QueryParams(gen, input, "", skip, 0, &params);
      }
    }
    if (!params.empty()) o["parameters"] = params;
    json schema = gen.Ref(route.method->output_type());
    if (route.shape == Shape::kArray) schema = {{"type", "array"}, {"items", schema}};
    o["responses"][std::to_string(route.ok_status)] = {
        {"description", route.shape == Shape::kArray ? "The stream's messages, in order" : "Success"},
        {"content", {{"application/json", {{"schema", schema}}}}}};
    o["responses"]["default"] = ErrorResponse();
  }
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  gen.Ref(pool->FindMessageTypeByName("google.rpc.Status"));
  {
    json& o = op("/v1/memories/{memory}/imports", "POST");
    std::set<std::string> in_path;
    json params = PathParams("/v1/memories/{memory}/imports", &in_path);
    QueryParams(gen, pool->FindMessageTypeByName("qantara.v1.ImportStart"), "", {"memory", "total_bytes"}, 0,
                &params);
    o["operationId"] = "StartImport";
    o["tags"] = json::array({"ImportExportService"});
    o["summary"] = "Upload a TMX, XLIFF or CSV/TSV file and start importing it; poll the job's URL";
    o["parameters"] = params;
    o["requestBody"] = {
        {"required", true},
        {"content",
         {{"application/octet-stream", {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}};
    o["responses"]["202"] = {
        {"description", "The job (its Location header is its status URL)"},
        {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/ImportJob"}}}}}}}};
    o["responses"]["default"] = ErrorResponse();
  }
  {
    json& o = op("/v1/imports/{job}", "GET");
    std::set<std::string> in_path;
    o["operationId"] = "GetImport";
    o["tags"] = json::array({"ImportExportService"});
    o["summary"] = "An import job's progress, and its report when done";
    o["parameters"] = PathParams("/v1/imports/{job}", &in_path);
    o["responses"]["200"] = {
        {"description", "The job"},
        {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/ImportJob"}}}}}}}};
    o["responses"]["default"] = ErrorResponse();
  }
  {
    json& o = op("/v1/memories/{memory}/export", "GET");
    std::set<std::string> in_path;
    json params = PathParams("/v1/memories/{memory}/export", &in_path);
    QueryParams(gen, pool->FindMessageTypeByName("qantara.v1.ExportRequest"), "", in_path, 0, &params);
    o["operationId"] = "Export";
    o["tags"] = json::array({"ImportExportService"});
    o["summary"] = "Download a memory as TMX or, with format=po, a gettext PO file (streamed)";
    o["parameters"] = params;
    o["responses"]["200"] = {
        {"description", "TMX 1.4 (format=po: a PO file)"},
        {"content",
         {{"application/x-tmx+xml", {{"schema", {{"type", "string"}, {"format", "binary"}}}}},
          {"text/x-gettext-translation", {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}};
    o["responses"]["default"] = ErrorResponse();
  }
  json tm_match = {{"type", "object"},
                   {"properties",
                    {{"source", {{"type", "string"}}},
                     {"target", {{"type", "string"}}},
                     {"context", {{"type", "string"}}},
                     {"quality", {{"type", "integer"}}}}}};
  for (const char* verb : {"GET", "PUT", "POST"}) {
    const std::string path = "/tmserver/{slang}/{tlang}/unit/{text}";
    json& o = op(path, verb);
    std::set<std::string> in_path;
    o["tags"] = json::array({"tmserver"});
    o["parameters"] = PathParams(path, &in_path);
    o["responses"]["default"] = ErrorResponse();
    if (std::string(verb) == "GET") {
      o["operationId"] = "TmserverLookup";
      o["summary"] = "Translate Toolkit tmserver lookup";
      o["parameters"].push_back(
          {{"name", "max_candidates"}, {"in", "query"}, {"schema", {{"type", "integer"}}}});
      o["parameters"].push_back(
          {{"name", "min_similarity"}, {"in", "query"}, {"schema", {{"type", "number"}}}});
      o["responses"]["200"] = {
          {"description", "Matches, best first"},
          {"content", {{"application/json", {{"schema", {{"type", "array"}, {"items", tm_match}}}}}}}};
    } else {
      o["operationId"] = absl::StrCat("TmserverAdd", verb);
      o["summary"] = "Translate Toolkit tmserver add";
      o["requestBody"] = {{"required", true}, {"content", {{"application/json", {{"schema", tm_match}}}}}};
      o["responses"]["200"] = {
          {"description", "Added"},
          {"content",
           {{"application/json",
             {{"schema", gen.Ref(pool->FindMessageTypeByName("qantara.v1.AddUnitResponse"))}}}}}};
    }
  }
  for (const char* path : {"/healthz", "/readyz"}) {
    json& o = op(path, "GET");
    o["operationId"] = std::string(path) == "/healthz" ? "Healthz" : "Readyz";
    o["tags"] = json::array({"operations"});
    o["security"] = json::array();
    o["responses"]["200"] = {{"description", "ok / ready"}};
    o["responses"]["503"] = {{"description", "not ready (stopping, or writes stopped)"}};
  }
  {
    json& o = op("/metrics", "GET");
    o["operationId"] = "Metrics";
    o["tags"] = json::array({"operations"});
    o["summary"] = "Prometheus metrics (an admin token when access control is on)";
    o["responses"]["200"] = {{"description", "Prometheus text format 0.0.4"},
                             {"content", {{"text/plain", {{"schema", {{"type", "string"}}}}}}}};
    o["responses"]["default"] = ErrorResponse();
  }
  {
    json& o = op("/v1/openapi.json", "GET");
    o["operationId"] = "OpenApi";
    o["tags"] = json::array({"operations"});
    o["security"] = json::array();
    o["responses"]["200"] = {{"description", "This document"}};
  }
  json schemas = json::object();
  schemas["ImportJob"] = {
      {"type", "object"},
      {"properties",
       {{"name", {{"type", "string"}}},
        {"done", {{"type", "boolean"}}},
        {"metadata",
         {{"type", "object"},
          {"properties",
           {{"memory", {{"type", "string"}}},
            {"fileName", {{"type", "string"}}},
            {"totalBytes", {{"type", "string"}}},
            {"createTime", {{"type", "string"}, {"format", "date-time"}}},
            {"endTime", {{"type", "string"}, {"format", "date-time"}}},
            {"progress", {{"$ref", "#/components/schemas/qantara.v1.ImportProgress"}}}}}}},
        {"response", {{"$ref", "#/components/schemas/qantara.v1.ImportReport"}}},
        {"error", {{"$ref", "#/components/schemas/google.rpc.Status"}}}}}};
  gen.Ref(pool->FindMessageTypeByName("qantara.v1.ImportReport"));
  gen.Ref(pool->FindMessageTypeByName("qantara.v1.ImportProgress"));
  for (auto& [k, v] : gen.schemas().items()) schemas[k] = v;
  return {
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "qantara"},
        {"version", "v1"},
        {"description",
         "Arabic<->English translation memory and alignment server: the REST mapping of the qantara.v1 gRPC "
         "API (canonical proto3 JSON), import jobs, TMX and PO export, and Translate Toolkit's tmserver "
         "protocol."}}},
      {"paths", paths},
      {"components",
       {{"schemas", schemas}, {"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}}}},
      {"security", json::array({{{"bearer", json::array()}}})}};
}

}  // namespace

const std::string& OpenApiJson() {
  static const std::string* doc = new std::string(Build().dump(1));
  return *doc;
}

}  // namespace qantara::http
