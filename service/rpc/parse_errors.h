// Requests that do not parse (issue 15: a clear error naming the field).
//
// gRPC's synchronous server answers a request message that protobuf refuses
// (a proto3 string field holding invalid UTF-8, or bytes that are not the
// message) with INTERNAL and no message, and a client-streaming Read that
// meets one returns false, as at the stream's end: the handler would answer
// OK for a stream cut short. Protobuf names the field only in a log line.
//
// InstallParseErrorCapture() takes protobuf's log lines about parsing out of
// the server's stderr (a client must not be able to flood the log) into the
// parsing thread's note; ParseErrorInterceptors() turns a call's status into
// INVALID_ARGUMENT naming the message and field when a message of the call
// did not parse (gRPC deserialises a sync call's messages, and sends its
// status, on the handler's thread).
#ifndef QANTARA_SERVICE_RPC_PARSE_ERRORS_H_
#define QANTARA_SERVICE_RPC_PARSE_ERRORS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "grpcpp/support/server_interceptor.h"

namespace qantara::rpc {

// Installs the protobuf log handler. Call once, before serving.
void InstallParseErrorCapture();

// The last parse error noted on this thread since the last call, cleared.
std::optional<std::string> TakeParseError();

// Protobuf log lines about client messages kept out of the log so far.
uint64_t ParseErrorsSeen();

// For ServerBuilder::experimental().SetInterceptorCreators.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> ParseErrorInterceptorFactory();

}  // namespace qantara::rpc

#endif  // QANTARA_SERVICE_RPC_PARSE_ERRORS_H_
