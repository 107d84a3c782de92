// Writing TMX 1.4b as a stream: header, one <tu> per unit with escaped
// attributes and checked segments, flushed to the output callback in blocks.
#include "service/formats/tmx_writer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "service/formats/tmx_date.h"
#include "service/formats/xml_escape.h"

namespace qantara::formats {
namespace {

void Attr(std::string* out, std::string_view name, std::string_view value) {
  out->push_back(' ');
  out->append(name);
  out->append("=\"");
  AppendEscapedAttribute(value, out);
  out->push_back('"');
}

void OptAttr(std::string* out, std::string_view name, std::string_view value) {
  if (!value.empty()) Attr(out, name, value);
}

void DateAttr(std::string* out, std::string_view name, const std::optional<int64_t>& d) {
  if (d.has_value()) Attr(out, name, FormatTmxDate(*d));
}

void PropsAndNotes(std::string* out, std::string_view indent, const std::vector<Property>& props,
                   const std::vector<std::string>& notes) {
  for (const std::string& n : notes) {
    out->append(indent);
    out->append("<note>");
    AppendEscapedText(n, out);
    out->append("</note>\n");
  }
  for (const Property& p : props) {
    out->append(indent);
    out->append("<prop");
    Attr(out, "type", p.type);
    out->push_back('>');
    AppendEscapedText(p.value, out);
    out->append("</prop>\n");
  }
}

absl::Status Check(std::string_view what, std::string_view s) {
  absl::Status st = CheckXmlText(s);
  if (st.ok()) return st;
  return absl::InvalidArgumentError(absl::StrCat(std::string(what), ": ", std::string(st.message())));
}

absl::Status CheckAll(std::string_view what, const std::vector<Property>& props,
                      const std::vector<std::string>& notes) {
  for (const Property& p : props) {
    if (absl::Status s = Check(absl::StrCat(std::string(what), " prop type"), p.type); !s.ok()) return s;
    if (absl::Status s = Check(absl::StrCat(std::string(what), " prop"), p.value); !s.ok()) return s;
  }
  for (const std::string& n : notes) {
    if (absl::Status s = Check(absl::StrCat(std::string(what), " note"), n); !s.ok()) return s;
  }
  return absl::OkStatus();
}

bool HasPlaceholder(std::string_view s) {
  return s.find(kOpeningPlaceholderUtf8) != std::string_view::npos ||
         s.find(kClosingPlaceholderUtf8) != std::string_view::npos ||
         s.find(kStandalonePlaceholderUtf8) != std::string_view::npos;
}

absl::Status CheckSegment(std::string_view what, const Segment& seg) {
  if (absl::Status s = Check(absl::StrCat(std::string(what), " language"), seg.lang_tag); !s.ok()) return s;
  if (!seg.markup.empty()) {
    if (absl::Status s = Check(what, seg.markup); !s.ok()) return s;
  } else {
    if (seg.text.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(std::string(what), " segment is empty"));
    }
    if (absl::Status s = Check(what, seg.text); !s.ok()) return s;
    if (HasPlaceholder(seg.text)) {
      return absl::InvalidArgumentError(absl::StrCat(
          std::string(what), " segment has placeholders but no markup to restore its codes from"));
    }
  }
  return CheckAll(what, seg.props, seg.notes);
}

void WriteTuv(std::string* out, const Segment& seg) {
  out->append("      <tuv");
  Attr(out, "xml:lang",
       seg.lang_tag.empty() ? text::LanguageCode(seg.language) : std::string_view(seg.lang_tag));
  out->append(">\n");
  PropsAndNotes(out, "        ", seg.props, seg.notes);
  out->append("        <seg>");
  if (!seg.markup.empty()) {
    out->append(seg.markup);
  } else {
    AppendEscapedText(seg.text, out);
  }
  out->append("</seg>\n      </tuv>\n");
}

}  // namespace

TmxWriter::TmxWriter(TmxWriterOptions options, Output output)
    : options_(std::move(options)), output_(std::move(output)) {
  buf_.reserve(options_.flush_bytes + 4096);
}

void TmxWriter::Start() {
  started_ = true;
  const TmxHeader& h = options_.header;
  buf_.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n  <header");
  Attr(&buf_, "creationtool", h.creation_tool);
  Attr(&buf_, "creationtoolversion", h.creation_tool_version);
  Attr(&buf_, "segtype", h.segtype);
  Attr(&buf_, "o-tmf", h.o_tmf);
  Attr(&buf_, "adminlang", h.adminlang);
  Attr(&buf_, "srclang", h.srclang);
  Attr(&buf_, "datatype", h.datatype);
  DateAttr(&buf_, "creationdate", h.creation_date);
  OptAttr(&buf_, "creationid", h.creation_id);
  DateAttr(&buf_, "changedate", h.change_date);
  OptAttr(&buf_, "changeid", h.change_id);
  if (h.props.empty() && h.notes.empty()) {
    buf_.append("/>\n");
  } else {
    buf_.append(">\n");
    PropsAndNotes(&buf_, "    ", h.props, h.notes);
    buf_.append("  </header>\n");
  }
  buf_.append("  <body>\n");
}

absl::Status TmxWriter::Write(const TranslationUnit& u) {
  if (!status_.ok()) return status_;
  if (finished_) return absl::FailedPreconditionError("TmxWriter::Write after Finish");
  for (const std::string* s : {&u.id, &u.srclang, &u.creation_id, &u.change_id}) {
    if (absl::Status st = Check("unit attribute", *s); !st.ok()) return st;
  }
  if (absl::Status s = CheckAll("unit", u.props, u.notes); !s.ok()) return s;
  if (absl::Status s = CheckSegment("source", u.source); !s.ok()) return s;
  if (absl::Status s = CheckSegment("target", u.target); !s.ok()) return s;

  if (!started_) Start();
  buf_.append("    <tu");
  OptAttr(&buf_, "tuid", u.id);
  if (u.srclang != options_.header.srclang) OptAttr(&buf_, "srclang", u.srclang);
  DateAttr(&buf_, "creationdate", u.creation_date);
  OptAttr(&buf_, "creationid", u.creation_id);
  DateAttr(&buf_, "changedate", u.change_date);
  OptAttr(&buf_, "changeid", u.change_id);
  DateAttr(&buf_, "lastusagedate", u.last_usage_date);
  if (u.usage_count.has_value()) Attr(&buf_, "usagecount", absl::StrCat(*u.usage_count));
  buf_.append(">\n");
  PropsAndNotes(&buf_, "      ", u.props, u.notes);
  WriteTuv(&buf_, u.source);
  WriteTuv(&buf_, u.target);
  buf_.append("    </tu>\n");
  ++units_;
  return MaybeFlush(false);
}

absl::Status TmxWriter::Finish() {
  if (!status_.ok()) return status_;
  if (finished_) return absl::FailedPreconditionError("TmxWriter::Finish called twice");
  if (!started_) Start();
  finished_ = true;
  buf_.append("  </body>\n</tmx>\n");
  return MaybeFlush(true);
}

absl::Status TmxWriter::MaybeFlush(bool force) {
  if (buf_.empty() || (!force && buf_.size() < options_.flush_bytes)) return absl::OkStatus();
  bytes_ += buf_.size();
  status_ = output_(buf_);
  buf_.clear();
  return status_;
}

}  // namespace qantara::formats
