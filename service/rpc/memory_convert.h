// Conversions between qantara.v1 memory messages and engine/storage types.
#ifndef QANTARA_SERVICE_RPC_MEMORY_CONVERT_H_
#define QANTARA_SERVICE_RPC_MEMORY_CONVERT_H_

#include "qantara/v1/memory.pb.h"
#include "service/match/matcher.h"
#include "service/tm/memories.h"

namespace qantara::rpc {

void ToProto(const tm::MemoryInfo& in, qantara::v1::Memory* out);
void ToProto(const match::Unit& in, qantara::v1::Unit* out);
match::Unit FromProto(const qantara::v1::Unit& in);
match::UnitFilter FromProto(const qantara::v1::Filter& in);
tm::DuplicatePolicy FromProto(qantara::v1::DuplicatePolicy in);
qantara::v1::AddOutcome ToProto(tm::AddOutcome::Kind kind);

// The storage request of a Lookup (defaults applied: threshold 70, k 5).
tm::LookupRequest FromProto(const qantara::v1::LookupRequest& in);
// `reverse`: the match's source is the unit's target.
void ToProto(const match::LookupResult& in, bool reverse, qantara::v1::LookupResponse* out);

}  // namespace qantara::rpc

#endif  // QANTARA_SERVICE_RPC_MEMORY_CONVERT_H_
