// CheckEnums: refuses a request holding an enum value its proto does not
// declare. proto3 enums are open: an unknown number (a newer client, a
// careless or hostile one) parses, and a switch with a default would quietly
// take it for something else (an unknown duplicate policy read as "skip").
// Every handler checks its request (each message of a stream) first.
#ifndef QANTARA_SERVICE_RPC_ENUM_CHECK_H_
#define QANTARA_SERVICE_RPC_ENUM_CHECK_H_

#include "absl/status/status.h"
#include "google/protobuf/message.h"

namespace qantara::rpc {

// InvalidArgument naming the field (its path, e.g. "options.filter.kind")
// and the value, for the first undeclared enum value in `message` or the
// messages it holds; OK otherwise.
absl::Status CheckEnums(const google::protobuf::Message& message);

}  // namespace qantara::rpc

#endif  // QANTARA_SERVICE_RPC_ENUM_CHECK_H_
