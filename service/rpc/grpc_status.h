// Mapping of absl::Status to grpc::Status at the API edge.
#ifndef QANTARA_SERVICE_RPC_GRPC_STATUS_H_
#define QANTARA_SERVICE_RPC_GRPC_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace qantara::rpc {

// Same code (absl and gRPC codes share numbering), the message cut to 1 KiB
// at a UTF-8 boundary (a message may quote a huge client string), with the
// server's own paths taken out: the data dir (ConfigureClientErrors) reads
// "the data dir". INTERNAL, DATA_LOSS and UNKNOWN carry no detail at all: the
// client gets the code, "the server's log has the details" and a request id,
// and the whole message is logged with that id.
//
// The error details (grpc::Status's binary_error_details, sent as the
// grpc-status-details-bin trailer) are a google.rpc.Status of the same code
// and message whose details hold:
//  - always an ErrorInfo (domain "qantara.v1"): the reason of the status's
//    payload (service/base/error_details.h), else one derived from the
//    message (MEMORY_NOT_FOUND for "no memory named '...'", UNIT_NOT_FOUND
//    for "no unit N"), else the code's name (INTERNAL for DATA_LOSS and
//    UNKNOWN too); metadata from the payload (INTERNAL: request_id only);
//  - a BadRequest naming the field of the payload or, for
//    INVALID_ARGUMENT and OUT_OF_RANGE, the field path the message starts
//    with ("page_size must ...", "unit.source: ...");
//  - a RetryInfo from the payload, else 1 s for UNAVAILABLE and for
//    ABORTED or RESOURCE_EXHAUSTED saying "retry";
//  - a QuotaFailure and a ResourceInfo from the payloads (ResourceInfo also
//    for the derived not-found reasons).
// Every string in them is bounded and has the data dir taken out too.
grpc::Status ToGrpcStatus(const absl::Status& s);

// `s` itself when it is OK or already has error details; else `s` with the
// details ToGrpcStatus would give a status of its code and message (for
// statuses made as grpc::Status: a server interceptor fills them in).
grpc::Status WithErrorDetails(const grpc::Status& s);

// Sets the data dir to hide and where the details of internal errors are
// logged (`log` gets "request ID: CODE: message"; nullptr: stderr). Call
// before serving.
void ConfigureClientErrors(const std::string& data_dir, void (*log)(const std::string& line));

}  // namespace qantara::rpc

#endif  // QANTARA_SERVICE_RPC_GRPC_STATUS_H_
