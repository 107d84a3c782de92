// The REST API's one table of routes: each maps an HTTP verb and a path
// template to one rpc of qantara.v1, the way Google's HTTP<->gRPC
// transcoding does (google/api/http.proto): `{field}` segments fill request
// fields from the path, `body` names the field the JSON body fills ("*": the
// whole request, "": no body; then the query string fills the rest), and a
// trailing `:verb` names a custom method.
//
// A route runs its rpc through a gRPC channel (the server's own in-process
// channel), so an HTTP call passes the same token checks, limits, admission,
// audit and request-id handling as the gRPC call it stands for.
#ifndef QANTARA_SERVICE_HTTP_ROUTES_H_
#define QANTARA_SERVICE_HTTP_ROUTES_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"
#include "qantara/v1/access.grpc.pb.h"
#include "qantara/v1/admin.grpc.pb.h"
#include "qantara/v1/align.grpc.pb.h"
#include "qantara/v1/import.grpc.pb.h"
#include "qantara/v1/memory.grpc.pb.h"
#include "qantara/v1/server.grpc.pb.h"
#include "qantara/v1/text.grpc.pb.h"

namespace qantara::http {

// One stub per service over the same channel, made once.
struct Stubs {
  explicit Stubs(const std::shared_ptr<grpc::Channel>& channel);

  std::unique_ptr<qantara::v1::MemoryService::Stub> memory;
  std::unique_ptr<qantara::v1::TextService::Stub> text;
  std::unique_ptr<qantara::v1::AlignService::Stub> align;
  std::unique_ptr<qantara::v1::ImportExportService::Stub> import_export;
  std::unique_ptr<qantara::v1::AdminService::Stub> admin;
  std::unique_ptr<qantara::v1::AccessService::Stub> access;
  std::unique_ptr<qantara::v1::ServerService::Stub> server;
};

// What the HTTP response carries.
enum class Shape {
  kMessage,  // the rpc's one response message
  kArray,    // a server stream: a JSON array of its messages, sent as they come
};

// Runs a unary (or one-message client-stream) rpc with `request` (of the
// method's input type); on OK `*response` holds its response.
using CallFn =
    std::function<grpc::Status(const Stubs&, grpc::ClientContext&, const google::protobuf::Message& request,
                               std::unique_ptr<google::protobuf::Message>* response)>;

// A server stream being read: messages as they come, then the status.
class MessageStream {
 public:
  virtual ~MessageStream() = default;
  // The next message; false at the end (then call Finish).
  virtual bool Read(std::unique_ptr<google::protobuf::Message>* message) = 0;
  virtual grpc::Status Finish() = 0;
};

// Starts a server-streaming rpc; `ctx` must outlive the stream.
using OpenFn = std::function<std::unique_ptr<MessageStream>(const Stubs&, grpc::ClientContext& ctx,
                                                            const google::protobuf::Message& request)>;

struct Route {
  std::string verb;  // GET, POST, PATCH or DELETE
  std::string path;  // template: "/v1/memories/{memory}/units/{unit_id}"
  std::string body;  // "*", a top-level field name, or "" (query string)
  const google::protobuf::MethodDescriptor* method = nullptr;
  Shape shape = Shape::kMessage;
  int ok_status = 200;  // HTTP status of a success
  CallFn call;          // kMessage
  OpenFn open;          // kArray
  std::string summary;  // one line for the OpenAPI document
};

// Every REST route, in the order the OpenAPI document lists them.
const std::vector<Route>& RestRoutes();

// Rpcs of qantara.v1 with no REST route, each with why (Import is the
// import job of the HTTP edge, Export its download): the OpenAPI test checks
// that every rpc is either routed or listed here.
const std::map<std::string, std::string>& UnroutedRpcs();

// A route matched against a request: the route and its path variables
// (field path -> percent-decoded value).
struct RouteMatch {
  const Route* route = nullptr;
  std::vector<std::pair<std::string, std::string>> vars;
};

// Matches `verb` and the raw (still percent-encoded) path. nullopt: no route
// has this path; a route with the path but another verb sets
// `*verb_mismatch` (405) when given.
std::optional<RouteMatch> MatchRoute(const std::string& verb, const std::string& raw_path,
                                     bool* verb_mismatch = nullptr);

// Percent-decoding of one path segment ("%2F" -> "/"); false on a bad escape.
bool PercentDecode(const std::string& in, std::string* out);

}  // namespace qantara::http

#endif  // QANTARA_SERVICE_HTTP_ROUTES_H_
