// Conversions between qantara.v1 memory messages (memories, units, filters,
// lookups, duplicate policies) and the engine's and storage's types.
#include "service/rpc/memory_convert.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "service/base/status_macros.h"

namespace qantara::rpc {

namespace v1 = qantara::v1;

namespace {
// 9999-12-31T23:59:59Z, the last time timestamp.proto allows. Stored times
// are microseconds since the epoch: nothing before 1970.
constexpr int64_t kMaxSeconds = 253402300799;
// Microseconds fit int64 up to about year 294,000; durations are bounded
// far below.
constexpr int64_t kMaxDurationSeconds = int64_t{10000} * 366 * 86400;
}  // namespace

void ToTimestamp(int64_t us, google::protobuf::Timestamp* out) {
  *out = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(us);
}

absl::StatusOr<int64_t> FromTimestamp(const google::protobuf::Timestamp& in, bool has,
                                      absl::string_view field) {
  if (!has) return 0;
  if (in.seconds() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " must not be before 1970-01-01 (got ", in.seconds(), " s)"));
  }
  if (in.seconds() > kMaxSeconds || in.nanos() < 0 || in.nanos() > 999999999) {
    return absl::InvalidArgumentError(absl::StrCat(field,
                                                   " must be a time from 1970-01-01 to 9999-12-31 (got ",
                                                   in.seconds(), " s, ", in.nanos(), " ns)"));
  }
  return google::protobuf::util::TimeUtil::TimestampToMicroseconds(in);
}

absl::StatusOr<int64_t> FromDuration(const google::protobuf::Duration& in, absl::string_view field) {
  if (in.seconds() < 0 || in.nanos() < 0 || in.nanos() > 999999999 || in.seconds() > kMaxDurationSeconds) {
    return absl::InvalidArgumentError(absl::StrCat(field, " must be a duration from 0 to 10000 years (got ",
                                                   in.seconds(), " s, ", in.nanos(), " ns)"));
  }
  return google::protobuf::util::TimeUtil::DurationToMicroseconds(in);
}

void ToDuration(int64_t us, google::protobuf::Duration* out) {
  *out = google::protobuf::util::TimeUtil::MicrosecondsToDuration(us);
}

absl::Status CheckTimes(const v1::Unit& unit, absl::string_view field) {
  QANTARA_RETURN_IF_ERROR(
      FromTimestamp(unit.create_time(), unit.has_create_time(), absl::StrCat(field, ".create_time"))
          .status());
  return FromTimestamp(unit.update_time(), unit.has_update_time(), absl::StrCat(field, ".update_time"))
      .status();
}

void ToProto(const tm::MemoryInfo& in, v1::Memory* out) {
  out->set_name(in.name);
  out->set_source_lang(in.source_lang);
  out->set_target_lang(in.target_lang);
  out->set_description(in.description);
  if (in.created_at_us != 0) ToTimestamp(in.created_at_us, out->mutable_create_time());
  out->set_units(in.units);
}

void ToProto(const match::Unit& in, v1::Unit* out) {
  out->set_unit_id(in.id);
  out->set_source(in.source);
  out->set_target(in.target);
  if (in.created_at_us != 0) ToTimestamp(in.created_at_us, out->mutable_create_time());
  if (in.changed_at_us != 0) ToTimestamp(in.changed_at_us, out->mutable_update_time());
  out->set_created_by(in.created_by);
  out->set_changed_by(in.changed_by);
  auto* a = out->mutable_attributes();
  a->set_project(in.attributes.project);
  a->set_domain(in.attributes.domain);
  a->set_client(in.attributes.client);
  for (const auto& [k, v] : in.attributes.extra) (*a->mutable_extra())[k] = v;
  out->mutable_context()->set_prev(in.context.prev);
  out->mutable_context()->set_next(in.context.next);
  out->mutable_context()->set_id(in.context.id);
  switch (in.origin) {
    case match::Origin::kManual: out->set_origin(v1::ORIGIN_MANUAL); break;
    case match::Origin::kImport: out->set_origin(v1::ORIGIN_IMPORT); break;
    case match::Origin::kAlignment: out->set_origin(v1::ORIGIN_ALIGNMENT); break;
  }
  out->set_alignment_confidence(in.alignment_confidence);
  out->set_usage_count(in.usage_count);
  out->set_revision(in.revision);
}

match::Unit FromProto(const v1::Unit& in) {
  match::Unit u;
  u.id = in.unit_id();
  u.source = in.source();
  u.target = in.target();
  // Times out of range were refused by ValidateTimes before.
  u.created_at_us = FromTimestamp(in.create_time(), in.has_create_time(), "unit.create_time").value_or(0);
  u.changed_at_us = FromTimestamp(in.update_time(), in.has_update_time(), "unit.update_time").value_or(0);
  u.created_by = in.created_by();
  u.changed_by = in.changed_by();
  u.attributes.project = in.attributes().project();
  u.attributes.domain = in.attributes().domain();
  u.attributes.client = in.attributes().client();
  for (const auto& [k, v] : in.attributes().extra()) u.attributes.extra[k] = v;
  u.context.prev = in.context().prev();
  u.context.next = in.context().next();
  u.context.id = in.context().id();
  switch (in.origin()) {
    case v1::ORIGIN_IMPORT: u.origin = match::Origin::kImport; break;
    case v1::ORIGIN_ALIGNMENT: u.origin = match::Origin::kAlignment; break;
    default: u.origin = match::Origin::kManual; break;
  }
  u.alignment_confidence = in.alignment_confidence();
  u.usage_count = in.usage_count();
  return u;
}

absl::StatusOr<match::UnitFilter> FromProto(const v1::Filter& in, absl::string_view field) {
  match::UnitFilter f;
  f.project = in.project();
  f.domain = in.domain();
  f.client = in.client();
  for (const auto& [k, v] : in.extra()) f.extra[k] = v;
  QANTARA_ASSIGN_OR_RETURN(f.changed_after_us, FromTimestamp(in.changed_after(), in.has_changed_after(),
                                                             absl::StrCat(field, ".changed_after")));
  QANTARA_ASSIGN_OR_RETURN(f.changed_before_us, FromTimestamp(in.changed_before(), in.has_changed_before(),
                                                              absl::StrCat(field, ".changed_before")));
  f.min_alignment_confidence = in.min_alignment_confidence();
  return f;
}

tm::DuplicatePolicy FromProto(v1::DuplicatePolicy in) {
  switch (in) {
    case v1::DUPLICATE_POLICY_OVERWRITE_TARGET: return tm::DuplicatePolicy::kOverwriteTarget;
    case v1::DUPLICATE_POLICY_KEEP_ALL: return tm::DuplicatePolicy::kKeepAll;
    default: return tm::DuplicatePolicy::kSkipIdentical;
  }
}

v1::AddOutcome ToProto(tm::AddOutcome::Kind kind) {
  switch (kind) {
    case tm::AddOutcome::kAdded: return v1::ADD_OUTCOME_ADDED;
    case tm::AddOutcome::kSkipped: return v1::ADD_OUTCOME_SKIPPED;
    case tm::AddOutcome::kOverwritten: return v1::ADD_OUTCOME_OVERWRITTEN;
  }
  return v1::ADD_OUTCOME_UNSPECIFIED;
}

absl::StatusOr<tm::LookupRequest> FromProto(const v1::LookupRequest& in) {
  tm::LookupRequest r;
  r.memories.assign(in.memories().begin(), in.memories().end());
  r.text = in.text();
  r.reverse = in.reverse();
  r.options.threshold = in.threshold() == 0 ? 70 : in.threshold();
  r.options.max_results = in.max_results() == 0 ? 5 : in.max_results();
  r.options.exhaustive = in.exhaustive();
  QANTARA_ASSIGN_OR_RETURN(r.options.filter, FromProto(in.filter()));
  for (const auto& p : in.attribute_penalties()) {
    r.options.attribute_penalties.push_back(match::AttributePenalty{p.key(), p.value(), p.points()});
  }
  r.options.context = match::UnitContext{in.context().prev(), in.context().next(), in.context().id()};
  for (const auto& [k, v] : in.memory_penalties()) r.memory_penalties[k] = v;
  return r;
}

void ToProto(const match::LookupResult& in, bool reverse, v1::LookupResponse* out) {
  out->set_candidates_scored(in.candidates_scored);
  for (const match::Match& m : in.matches) {
    v1::Match* pm = out->add_matches();
    pm->set_score(m.score);
    pm->set_gross_score(m.gross);
    for (const match::Penalty& p : m.penalties) {
      v1::Penalty* pp = pm->add_penalties();
      pp->set_kind(p.kind);
      pp->set_points(p.points);
    }
    pm->set_source(reverse ? m.unit.target : m.unit.source);
    pm->set_target(reverse ? m.unit.source : m.unit.target);
    pm->set_unit_id(m.unit.id);
    pm->set_memory(m.memory);
    ToProto(m.unit, pm->mutable_unit());
    for (const match::DiffSpan& d : m.diffs) {
      v1::DiffSpan* pd = pm->add_diffs();
      pd->set_kind(std::string(match::DiffKindName(d.kind)));
      pd->set_query_begin(d.query_begin);
      pd->set_query_end(d.query_end);
      pd->set_source_begin(d.unit_begin);
      pd->set_source_end(d.unit_end);
    }
    pm->set_adapted(m.adapted);
    pm->set_adapted_target(m.adapted_target);
    pm->set_edits(m.edits);
  }
}

}  // namespace qantara::rpc
