// Conversions between qantara.v1 memory messages and engine/storage types.
#ifndef QANTARA_SERVICE_RPC_MEMORY_CONVERT_H_
#define QANTARA_SERVICE_RPC_MEMORY_CONVERT_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "qantara/v1/memory.pb.h"
#include "service/match/matcher.h"
#include "service/tm/memories.h"

namespace qantara::rpc {

// Microseconds since the epoch <-> Timestamp (0 <-> unset).
void ToTimestamp(int64_t us, google::protobuf::Timestamp* out);
// InvalidArgument naming `field` when out of range (1970-01-01 to
// 9999-12-31, nanos 0 to 999,999,999); an unset timestamp is 0.
absl::StatusOr<int64_t> FromTimestamp(const google::protobuf::Timestamp& in, bool has,
                                      absl::string_view field);
// Duration -> microseconds; InvalidArgument naming `field` when negative,
// mixed-sign or beyond 10,000 years.
absl::StatusOr<int64_t> FromDuration(const google::protobuf::Duration& in, absl::string_view field);
void ToDuration(int64_t us, google::protobuf::Duration* out);

// InvalidArgument when a time of `unit` is out of range ("<field>.create_time ...").
absl::Status CheckTimes(const qantara::v1::Unit& unit, absl::string_view field);

void ToProto(const tm::MemoryInfo& in, qantara::v1::Memory* out);
void ToProto(const match::Unit& in, qantara::v1::Unit* out);
match::Unit FromProto(const qantara::v1::Unit& in);
// Errors: InvalidArgument (a bad time, named with `field`: "filter").
absl::StatusOr<match::UnitFilter> FromProto(const qantara::v1::Filter& in,
                                            absl::string_view field = "filter");
tm::DuplicatePolicy FromProto(qantara::v1::DuplicatePolicy in);
qantara::v1::AddOutcome ToProto(tm::AddOutcome::Kind kind);

// The storage request of a Lookup (defaults applied: threshold 70, k 5).
absl::StatusOr<tm::LookupRequest> FromProto(const qantara::v1::LookupRequest& in);
// `reverse`: the match's source is the unit's target.
void ToProto(const match::LookupResult& in, bool reverse, qantara::v1::LookupResponse* out);

}  // namespace qantara::rpc

#endif  // QANTARA_SERVICE_RPC_MEMORY_CONVERT_H_
