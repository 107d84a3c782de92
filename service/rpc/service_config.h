// The gRPC service config qantara's clients should use (grpc's
// doc/service_config.md), built from the descriptors of the qantara.v1
// services, so every rpc gets exactly one methodConfig entry. The server
// serves it (ServerService.GetServerInfo, proto/qantara/v1/server.proto);
// the CLI makes its channels with it.
//
// Timeouts (a default for calls that set no deadline; gRPC takes the
// smaller of the two):
//   Lookup                                        10 s
//   BatchLookup, Align, AlignToMemory             600 s
//   Import, Export, AddUnits, CreateBackup        3600 s
//   every other rpc                               30 s
//
// Retries (retryPolicy: 4 attempts, backoff 0.1 s doubling up to 2 s,
// UNAVAILABLE only; retryThrottling, gRPC's token bucket of 10 where a
// failed call takes 1 and a successful one gives back 0.1, pauses retries
// while 5 or fewer are left):
//   - the reads, safe to repeat: Get*, List*, Lookup, BatchLookup,
//     Concordance, Fragments, Stats, Export, Segment, Normalize, Tokenize, Align;
//   - a write whose request carries `string request_id` (the server does it
//     once per id): a field of the input message, or of the message of one
//     of its oneofs (Import's ImportStart). A retry repeats the request as
//     sent: a client must set request_id on such a write for the server to
//     know the retry for the same write.
// Nothing else is retried. gRPC retries a client stream only while its
// retry buffer still holds every message sent, and a server stream only
// until its first response.
#ifndef QANTARA_SERVICE_RPC_SERVICE_CONFIG_H_
#define QANTARA_SERVICE_RPC_SERVICE_CONFIG_H_

#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"

namespace qantara::rpc {

// The timeout of an rpc, in seconds (the table above).
int MethodTimeoutSeconds(const google::protobuf::MethodDescriptor& method);

// Whether an rpc is retried (the rules above).
bool MethodIsRetried(const google::protobuf::MethodDescriptor& method);

// The service config, as JSON, covering every method of every service of
// `files`.
std::string ServiceConfigJson(const std::vector<const google::protobuf::FileDescriptor*>& files);

// The files of package qantara.v1 linked into this binary (the generated
// pool), by name.
std::vector<const google::protobuf::FileDescriptor*> QantaraV1Files();

// ServiceConfigJson(QantaraV1Files()).
std::string QantaraServiceConfigJson();

}  // namespace qantara::rpc

#endif  // QANTARA_SERVICE_RPC_SERVICE_CONFIG_H_
