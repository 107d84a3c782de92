// proto3 JSON <-> request and response messages for the REST routes, and
// gRPC statuses as HTTP errors. JSON goes through protobuf's own
// JsonStringToMessage / MessageToJsonString (canonical proto3 JSON:
// lowerCamelCase names on output, both spellings accepted on input, 64-bit
// integers as strings, Timestamps and Durations as RFC 3339 / "1.5s").
#ifndef QANTARA_SERVICE_HTTP_TRANSCODE_H_
#define QANTARA_SERVICE_HTTP_TRANSCODE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/status.h"
#include "service/http/routes.h"

namespace qantara::http {

// Fills `request` (of route.method's input type) from the JSON body (as the
// route's `body` says), the path variables and the query parameters.
// INVALID_ARGUMENT names what was wrong: a body that is not JSON for the
// message, an unknown or repeated query parameter, a value of the wrong type,
// a path field the body contradicts.
absl::Status BuildRequest(const Route& route, const std::string& body,
                          const std::vector<std::pair<std::string, std::string>>& path_vars,
                          const std::vector<std::pair<std::string, std::string>>& query,
                          google::protobuf::Message* request);

// Sets the field at dotted `path` ("filter.project", snake_case or
// lowerCamelCase) from its text form: numbers, true/false, enum names or
// numbers, Timestamp/Duration/FieldMask in their JSON string forms; a
// repeated field gets `value` appended. Map fields and other messages are
// refused (they go in the JSON body).
absl::Status SetFieldFromText(google::protobuf::Message* message, const std::string& path,
                              const std::string& value);

// A message as canonical proto3 JSON (fields with default values included,
// so clients see zeros and empty lists).
std::string ToJson(const google::protobuf::Message& message);

// The HTTP status for a gRPC status code (google/rpc/code.proto's mapping:
// INVALID_ARGUMENT 400, UNAUTHENTICATED 401, PERMISSION_DENIED 403,
// NOT_FOUND 404, ALREADY_EXISTS and ABORTED 409, RESOURCE_EXHAUSTED 429,
// CANCELLED 499, UNIMPLEMENTED 501, UNAVAILABLE 503, DEADLINE_EXCEEDED 504,
// the rest 500).
int HttpStatusOf(grpc::StatusCode code);

// The error body: google.rpc.Status as JSON, {"code", "message", "details"},
// `code` the gRPC code's number, `details` the status's rich details
// (ErrorInfo with the reason, BadRequest with the field, RetryInfo, ...) each
// with its "@type".
std::string ErrorJson(const grpc::Status& status);

// An edge error (not from an rpc) in the same shape.
std::string ErrorJson(absl::StatusCode code, const std::string& message);

}  // namespace qantara::http

#endif  // QANTARA_SERVICE_HTTP_TRANSCODE_H_
