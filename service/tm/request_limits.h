// What one request may ask of a server, and the checks of a request's
// numbers and sizes (issue: hostile input). The checks of validity (a NaN
// threshold, a negative penalty, a repeated memory) always apply; the limits
// apply once a server sets them (Memories::SetRequestLimits): a program that
// uses the library in process is trusted with any size. Every refusal is
// InvalidArgument naming the field, the value and the limit.
#ifndef QANTARA_SERVICE_TM_REQUEST_LIMITS_H_
#define QANTARA_SERVICE_TM_REQUEST_LIMITS_H_

#include <cstddef>
#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "service/match/unit.h"
#include "service/tm/fragments.h"
#include "service/tm/types.h"

namespace qantara::tm {

// A server's limits on one request; the defaults are the server's.
struct RequestLimits {
  uint32_t max_results = 100;            // LookupOptions::max_results
  size_t max_lookup_memories = 32;       // memories of one lookup (repeats removed first)
  size_t max_query_bytes = 64 * 1024;    // a lookup's text, a concordance phrase
  size_t max_query_tokens = 2000;        // matching tokens of a lookup's text
  size_t max_batch_segments = 100000;    // segments of one BatchLookup
  size_t max_units_per_call = 10000;     // units of an AddUnits call or of one chunk of its stream
  size_t max_unit_ids = 100000;          // ids of one DeleteUnits
  size_t max_document_bytes = 16 << 20;  // a text to segment, normalise or tokenise; a side of an alignment
  size_t max_align_sentences = 50000;    // sentences of a side of an alignment
  size_t max_srx_bytes = 256 * 1024;     // a client's SRX rules of one Segment call
  bool allow_exhaustive = false;         // lookups that score every unit (qantara-server --allow-exhaustive)
};

// Checks a lookup's numbers (always: threshold and penalties finite, 0 to
// 100; max_results at least 1; at least one memory; filter dates not
// negative, the confidence 0 to 1) and removes repeated memories (keeping
// the first); with `limits`, also its sizes and exhaustive.
absl::Status CheckLookup(LookupRequest& request, const std::optional<RequestLimits>& limits);
// The matching tokens of an analysed query against the limit.
absl::Status CheckQueryTokens(size_t tokens, const std::optional<RequestLimits>& limits);
// A filter's numbers (always).
absl::Status CheckFilter(const match::UnitFilter& filter, const char* field);
// A concordance request's sizes (the page size always, the phrase with limits).
absl::Status CheckConcordance(const ConcordanceRequest& request, const std::optional<RequestLimits>& limits);
// A fragments request's numbers (always: max_fragments 1 to 100,
// min_confidence 0 to 1, the filter) and its text's size (with limits).
absl::Status CheckFragments(const FragmentsRequest& request, const std::optional<RequestLimits>& limits);
// A count of `what` (field name) against `max`.
absl::Status CheckCount(const char* what, size_t count, size_t max);
// The same against the limit `max` of `limits`, when set.
inline absl::Status CheckLimit(const std::optional<RequestLimits>& limits, const char* what, size_t count,
                               size_t RequestLimits::*max) {
  return limits.has_value() ? CheckCount(what, count, (*limits).*max) : absl::OkStatus();
}

}  // namespace qantara::tm

#endif  // QANTARA_SERVICE_TM_REQUEST_LIMITS_H_
