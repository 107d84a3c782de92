// Internal to qantara_formats: what TmxReader and XliffReader share around
// their element handlers. One ReaderCore per reader owns the hardened expat
// stream and the read totals, keeps the state of the unit being read (its
// first error and its size against max_unit_bytes), caps the text of a
// <prop>, <note> or <data> element at max_segment_bytes, and hands units and
// problems to the sink, counting them.
#ifndef QANTARA_SERVICE_FORMATS_READER_CORE_H_
#define QANTARA_SERVICE_FORMATS_READER_CORE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "service/formats/expat_stream.h"
#include "service/formats/translation_unit.h"
#include "service/formats/unit_reader.h"

namespace qantara::formats::internal {

// The value of attribute `name` in expat's NULL-terminated name/value array,
// or null when it is absent.
const char* FindAttr(const char** attrs, std::string_view name);
// The same as a string, "" when absent.
std::string AttrOr(const char** attrs, std::string_view name);

class ReaderCore {
 public:
  // The unit's error and size, to return to (XLIFF 2: every <segment> of a
  // <unit> starts from the state the unit had before its first segment).
  struct UnitState {
    std::string error;
    size_t bytes = 0;
  };

  // `handler` gets the parse events, `sink` the units and problems; both
  // must outlive the core. `namespaces`: see ExpatStream.
  ReaderCore(const ReaderOptions& options, UnitSink* sink, XmlHandler* handler, bool namespaces);

  // Counts the chunk in stats().bytes and parses it (UnitReader::Feed).
  absl::Status Feed(std::string_view chunk);
  // Ends the input (UnitReader::Finish). When it fails while a unit is open
  // (`open_unit` names it, e.g. "<tu>"; empty when none is), the message adds
  // that the unit opened at `unit_line` is incomplete and was not read.
  absl::Status Finish(std::string_view open_unit, int64_t unit_line);

  // Starts the bookkeeping of a new unit: no error, no bytes charged.
  void StartUnit() { unit_ = UnitState(); }
  // Records why the unit fails; the first reason wins.
  void UnitError(std::string reason) {
    if (unit_.error.empty()) unit_.error = std::move(reason);
  }
  // Adds `n` bytes to the unit's size. Past max_unit_bytes it records the
  // unit's error and returns false.
  bool Charge(size_t n);
  const std::string& unit_error() const { return unit_.error; }
  const UnitState& unit_state() const { return unit_; }
  void set_unit_state(UnitState state) { unit_ = std::move(state); }

  // Starts the text of a <prop>, <note> or <data> element.
  void StartValue() {
    value_.clear();
    value_overflow_ = false;
  }
  // Appends to it. Returns false once, when the text grows past
  // max_segment_bytes: the value is then dropped and later text ignored
  // (value_overflow() stays true). The caller decides what that fails.
  bool AppendValue(std::string_view text);
  bool value_overflow() const { return value_overflow_; }
  std::string& value() { return value_; }

  // Counts the problem in stats() and hands it to the sink; a sink error
  // stops the stream (Feed()/Finish() return it).
  void Deliver(Problem::Severity severity, int64_t line, const std::string& unit_id,
               std::string reason);
  // Counts the unit as read and hands it to the sink; a sink error stops
  // the stream.
  void DeliverUnit(TranslationUnit&& unit);

  const ReaderOptions& options() const { return options_; }
  ExpatStream& stream() { return stream_; }
  const ReadStats& stats() const { return stats_; }
  void CountUnitSeen() { ++stats_.units_seen; }

 private:
  const ReaderOptions options_;
  UnitSink* const sink_;
  ExpatStream stream_;
  ReadStats stats_;
  UnitState unit_;
  std::string value_;
  bool value_overflow_ = false;
};

}  // namespace qantara::formats::internal

#endif  // QANTARA_SERVICE_FORMATS_READER_CORE_H_
