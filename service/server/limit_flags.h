// qantara-server's flags for the limits on one request
// (service/tm/request_limits.h) and on gRPC messages.
#ifndef QANTARA_SERVICE_SERVER_LIMIT_FLAGS_H_
#define QANTARA_SERVICE_SERVER_LIMIT_FLAGS_H_

#include <cstddef>

#include "CLI/CLI.hpp"
#include "service/tm/request_limits.h"

namespace qantara::server {

struct LimitFlags {
  tm::RequestLimits request;
  size_t max_message_mb = 0;  // a gRPC message, either way; 0: derived (server/grpc_limits.h)
};

// Declares the flags on `app`, storing into `*flags` (defaults: the fields' own).
void AddLimitFlags(CLI::App& app, LimitFlags* flags);

}  // namespace qantara::server

#endif  // QANTARA_SERVICE_SERVER_LIMIT_FLAGS_H_
