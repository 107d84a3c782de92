// What every UnitReader's parser shares: feeding the expat stream, charging a
// unit's bytes against its limit, capping element text, and delivering units.
#include "service/formats/reader_core.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace qantara::formats::internal {

const char* FindAttr(const char** attrs, std::string_view name) {
  for (; *attrs != nullptr; attrs += 2) {
    if (name == attrs[0]) return attrs[1];
  }
  return nullptr;
}

std::string AttrOr(const char** attrs, std::string_view name) {
  const char* v = FindAttr(attrs, name);
  return v == nullptr ? std::string() : std::string(v);
}

ReaderCore::ReaderCore(const ReaderOptions& options, UnitSink* sink, bool namespaces)
    : options_(options), sink_(sink), stream_(this, namespaces, options.max_token_bytes) {}

absl::Status ReaderCore::Feed(std::string_view chunk) {
  stats_.bytes += chunk.size();
  return stream_.Feed(chunk);
}

absl::Status ReaderCore::FinishStream(std::string_view open_unit, int64_t unit_line) {
  absl::Status s = stream_.Finish();
  if (!s.ok() && !open_unit.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(std::string(s.message()), " (the ", std::string(open_unit),
                                                   " opened at line ", unit_line,
                                                   " is incomplete and was not read)"));
  }
  return s;
}

bool ReaderCore::Charge(size_t n) {
  unit_.bytes += n;
  if (unit_.bytes > options_.max_unit_bytes) {
    UnitError(absl::StrCat("the unit is larger than ", options_.max_unit_bytes, " bytes (max_unit_bytes)"));
    return false;
  }
  return true;
}

bool ReaderCore::AppendValue(std::string_view text) {
  if (value_overflow_) return true;
  if (value_.size() + text.size() > options_.max_segment_bytes) {
    value_overflow_ = true;
    value_ = std::string();
    return false;
  }
  value_.append(text);
  return true;
}

void ReaderCore::Deliver(Problem::Severity severity, int64_t line, const std::string& unit_id,
                         std::string reason) {
  absl::Status s = ReportProblem(severity, line, unit_id, std::move(reason), &stats_, sink_);
  if (!s.ok()) stream_.AbortWith(std::move(s));
}

void ReaderCore::DeliverUnit(TranslationUnit&& unit) {
  ++stats_.units_read;
  absl::Status s = sink_->OnUnit(std::move(unit));
  if (!s.ok()) stream_.AbortWith(std::move(s));
}

}  // namespace qantara::formats::internal
