// The plain types of the translation-memory layer: memories, units, add
// outcomes, lookup and concordance requests and results. No proto, no
// RocksDB.
#ifndef QANTARA_SERVICE_TM_TYPES_H_
#define QANTARA_SERVICE_TM_TYPES_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "service/match/matcher.h"
#include "service/match/unit.h"
#include "storage/memory_store.h"

namespace qantara::tm {

using match::Unit;
using storage::AddOutcome;
using storage::DuplicatePolicy;
using storage::MemoryInfo;
using storage::MemoryRef;
using storage::NewMemory;
using storage::OnOrdered;
using storage::ProgressMark;
using storage::StoreStats;

// A fuzzy lookup in one or more memories.
struct LookupRequest {
  std::vector<std::string> memories;               // at least one
  std::string text;                                // the query segment
  bool reverse = false;                            // the query is in the memories' target language
  match::LookupOptions options;                    // threshold, k, filters, penalties, context
  std::map<std::string, double> memory_penalties;  // memory name -> points
};

// A concordance search: a word or phrase inside units.
struct ConcordanceRequest {
  std::string memory;
  std::string text;        // word or phrase; matched on normalised tokens, in order
  bool in_target = false;  // search the targets instead of the sources
  match::UnitFilter filter;
  uint32_t page_size = 20;  // 1..1000
  uint64_t page_token = 0;  // 0: first page; else next_page_token of the previous page
  // Asked every 64 candidate units (each may read two records from disk): true stops the search with
  // Cancelled.
  std::function<bool()> cancelled;
};

struct ConcordanceHit {
  Unit unit;
  // Byte spans [begin, end) of the phrase in the searched side's text.
  std::vector<std::pair<uint32_t, uint32_t>> spans;
};

struct ConcordanceResult {
  std::vector<ConcordanceHit> hits;  // newest unit first
  uint64_t next_page_token = 0;      // 0: no more
};

}  // namespace qantara::tm

#endif  // QANTARA_SERVICE_TM_TYPES_H_
