// Internal to qantara_formats: the parser behind every UnitReader.
//
// TmxReader and XliffReader each derive their parser (an XmlHandler with the
// element handlers of their format) from ReaderCore, which owns what they
// share: the hardened expat stream and the read totals, the state of the unit
// being read (its first error and its size against max_unit_bytes), the text
// of a <prop>, <note> or <data> element capped at max_segment_bytes, and
// handing units and problems to the sink, counting them. UnitReader forwards
// Feed(), Finish() and stats() to it.
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

class ReaderCore : public Parser, public XmlHandler {
 public:
  ReaderCore(const ReaderCore&) = delete;
  ReaderCore& operator=(const ReaderCore&) = delete;

  // UnitReader::Feed: counts the chunk in stats().bytes and parses it.
  absl::Status Feed(std::string_view chunk) override;
  const ReadStats& stats() const override { return stats_; }

 protected:
  // The sink gets the units and problems and must outlive the parser.
  // `namespaces`: see ExpatStream.
  ReaderCore(const ReaderOptions& options, UnitSink* sink, bool namespaces);

  // Ends the input. When that fails while a unit is open (`open_unit` names
  // it, e.g. "<tu>"; empty when none is), the message adds that the unit
  // opened at `unit_line` is incomplete and was not read.
  absl::Status FinishStream(std::string_view open_unit, int64_t unit_line);

  // The unit's error and size, to return to (XLIFF 2: every <segment> of a
  // <unit> starts from the state the unit had before its first segment).
  struct UnitState {
    std::string error;
    size_t bytes = 0;
  };
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
  void Deliver(Problem::Severity severity, int64_t line, const std::string& unit_id, std::string reason);
  // Counts the unit as read and hands it to the sink; a sink error stops
  // the stream.
  void DeliverUnit(TranslationUnit&& unit);
  void CountUnitSeen() { ++stats_.units_seen; }

  const ReaderOptions& options() const { return options_; }
  ExpatStream& stream() { return stream_; }

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
