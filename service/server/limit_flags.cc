// The flags of service/server/limit_flags.h.
#include "service/server/limit_flags.h"

namespace qantara::server {

void AddLimitFlags(CLI::App& app, LimitFlags* f) {
  tm::RequestLimits& r = f->request;
  app.add_option("--max-results", r.max_results, "most matches one lookup may ask for")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
  app.add_option("--max-lookup-memories", r.max_lookup_memories, "most memories one lookup may name")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
  app.add_option("--max-query-bytes", r.max_query_bytes,
                 "most bytes of a lookup's text or a concordance phrase")
      ->capture_default_str()
      ->check(CLI::Range(1, 1 << 20));
  app.add_option("--max-query-tokens", r.max_query_tokens, "most words of a lookup's text")
      ->capture_default_str()
      ->check(CLI::Range(1, 1 << 20));
  app.add_option("--max-batch-segments", r.max_batch_segments, "most segments of one BatchLookup")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000000));
  app.add_option("--max-units-per-call", r.max_units_per_call,
                 "most units of one AddUnits call or one chunk of its stream")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  app.add_option("--max-unit-ids", r.max_unit_ids, "most unit ids of one DeleteUnits")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000000));
  app.add_option("--max-document-bytes", r.max_document_bytes,
                 "most bytes of a text to segment, normalise or tokenise, and of each side of an alignment")
      ->capture_default_str()
      ->check(CLI::Range(1, 1 << 30));
  app.add_option("--max-align-sentences", r.max_align_sentences,
                 "most sentences of each side of an alignment")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000000));
  app.add_option("--max-srx-bytes", r.max_srx_bytes, "most bytes of a client's SRX rules in one Segment call")
      ->capture_default_str()
      ->check(CLI::Range(1, 1 << 30));
  app.add_flag("--allow-exhaustive", r.allow_exhaustive,
               "let clients ask for exhaustive lookups (every unit of the memory scored: for tests and "
               "audits; costly on big memories)");
  app.add_option("--max-message-mb", f->max_message_mb,
                 "largest gRPC message the server receives or sends, in MiB; 0: two documents of "
                 "--max-document-bytes plus 1 MiB (33 MiB with the defaults), at least 4")
      ->capture_default_str()
      ->check(CLI::Range(0, 1024));
}

}  // namespace qantara::server
