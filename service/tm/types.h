// The plain types of the translation-memory layer: memories, units, add
// outcomes, lookup and concordance requests. No proto, no RocksDB.
#ifndef QANTARA_SERVICE_TM_TYPES_H_
#define QANTARA_SERVICE_TM_TYPES_H_

#include "service/match/matcher.h"
#include "service/match/unit.h"
#include "storage/memory_store.h"

namespace qantara::tm {

using match::Unit;
using storage::AddOutcome;
using storage::DuplicatePolicy;
using storage::MemoryInfo;
using storage::NewMemory;
using storage::StoreStats;
using storage::ValidateUnit;
using LookupRequest = storage::LookupRequest;
using ConcordanceRequest = storage::ConcordanceRequest;
using ConcordanceHit = storage::ConcordanceHit;
using ConcordanceResult = storage::ConcordanceResult;

}  // namespace qantara::tm

#endif  // QANTARA_SERVICE_TM_TYPES_H_
