// The OpenAPI 3 description of the HTTP edge, generated from the route table
// (service/http/routes.h) and the messages' descriptors, so it cannot drift
// from what is served; the edge's own routes (import jobs, export, tmserver,
// health, metrics) are added by hand beside them. Served at /v1/openapi.json.
#ifndef QANTARA_SERVICE_HTTP_OPENAPI_H_
#define QANTARA_SERVICE_HTTP_OPENAPI_H_

#include <string>

namespace qantara::http {

// The document as JSON (built once).
const std::string& OpenApiJson();

}  // namespace qantara::http

#endif  // QANTARA_SERVICE_HTTP_OPENAPI_H_
