// Writing a gettext PO file as a stream: the header entry, then one checked,
// escaped message per unit (duplicate keys renamed), flushed to the output
// callback in blocks.
#include "service/formats/po_writer.h"

#include <utility>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "service/text/utf8.h"

namespace qantara::formats {
namespace {

// The escaped body of a quoted PO string (without the quotes).
void AppendEscaped(std::string_view s, std::string* out) {
  for (char c : s) {
    switch (c) {
      case '\\': out->append("\\\\"); break;
      case '"': out->append("\\\""); break;
      case '\n': out->append("\\n"); break;
      case '\t': out->append("\\t"); break;
      case '\r': out->append("\\r"); break;
      default: out->push_back(c);
    }
  }
}

// `keyword "s"`, or, when s holds a newline before its end, as gettext
// writes it: `keyword ""` and one quoted line per newline-terminated piece.
void AppendString(std::string_view keyword, std::string_view s, std::string* out) {
  out->append(keyword);
  const size_t nl = s.find('\n');
  if (nl == std::string_view::npos || nl + 1 == s.size()) {
    out->append(" \"");
    AppendEscaped(s, out);
    out->append("\"\n");
    return;
  }
  out->append(" \"\"\n");
  while (!s.empty()) {
    const size_t end = s.find('\n');
    const size_t len = end == std::string_view::npos ? s.size() : end + 1;
    out->push_back('"');
    AppendEscaped(s.substr(0, len), out);
    out->append("\"\n");
    s.remove_prefix(len);
  }
}

// Comment lines: "# " + each line of `text` ("#" for an empty one).
void AppendComment(std::string_view prefix, std::string_view text, std::string* out) {
  while (true) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (line.empty()) {
      out->append(prefix.substr(0, 1));
    } else {
      out->append(prefix);
      out->append(line);
    }
    out->push_back('\n');
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
}

// OK when `s` is valid UTF-8 and holds no control character but tab and
// `also` (newline, carriage return for msgid/msgstr/msgctxt).
absl::Status Check(std::string_view what, std::string_view s, std::string_view also) {
  if (absl::Status st = text::ValidateUtf8(s); !st.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(std::string(what), ": ", std::string(st.message())));
  }
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && c != '\t' && also.find(static_cast<char>(c)) == std::string_view::npos) || c == 0x7F) {
      return absl::InvalidArgumentError(absl::StrCat(std::string(what), ": control character U+00",
                                                     absl::Hex(c, absl::kZeroPad2), " at byte ", i,
                                                     " (a PO file cannot carry it)"));
    }
  }
  return absl::OkStatus();
}

// A header field's value on one line: control characters become spaces.
std::string OneLine(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  return out;
}

uint64_t KeyHash(std::string_view msgctxt, std::string_view msgid) {
  // gettext's own key: msgctxt EOT msgid (EOT is never in a written string);
  // no msgctxt: a leading EOT marks the difference from msgctxt "".
  std::string key;
  key.reserve(msgctxt.size() + msgid.size() + 2);
  if (msgctxt.empty()) key.push_back('\x04');
  key.append(msgctxt);
  key.push_back('\x04');
  key.append(msgid);
  return absl::Hash<std::string>{}(key);
}

}  // namespace

PoWriter::PoWriter(PoWriterOptions options, Output output)
    : options_(std::move(options)), output_(std::move(output)) {
  buf_.reserve(options_.flush_bytes + 4096);
  keys_.insert(KeyHash("", ""));  // the header entry's
}

void PoWriter::Start() {
  started_ = true;
  const PoHeader& h = options_.header;
  for (const std::string& c : h.comments) AppendComment("# ", OneLine(c), &buf_);
  std::string fields =
      absl::StrCat("Project-Id-Version: ", OneLine(h.project_id_version), "\n",
                   "PO-Revision-Date: ", OneLine(h.revision_date), "\n", "Last-Translator: \n",
                   "Language-Team: \n", "Language: ", OneLine(h.language), "\n", "MIME-Version: 1.0\n",
                   "Content-Type: text/plain; charset=UTF-8\n", "Content-Transfer-Encoding: 8bit\n",
                   "X-Generator: qantara\n");
  AppendString("msgid", "", &buf_);
  AppendString("msgstr", fields, &buf_);
}

absl::Status PoWriter::Write(const PoMessage& m) {
  if (!status_.ok()) return status_;
  if (finished_) return absl::FailedPreconditionError("PoWriter::Write after Finish");
  if (absl::Status s = Check("msgctxt", m.msgctxt, "\n\r"); !s.ok()) return s;
  if (absl::Status s = Check("msgid", m.msgid, "\n\r"); !s.ok()) return s;
  if (absl::Status s = Check("msgstr", m.msgstr, "\n\r"); !s.ok()) return s;
  if (absl::Status s = Check("duplicate tag", m.duplicate_tag, ""); !s.ok()) return s;
  if (absl::Status s = Check("references", m.references, ""); !s.ok()) return s;
  for (const std::string& c : m.comments) {
    if (absl::Status s = Check("comment", c, "\n"); !s.ok()) return s;
  }
  if (m.msgid.empty()) return absl::InvalidArgumentError("msgid is empty");
  if (m.msgstr.empty()) return absl::InvalidArgumentError("msgstr is empty");
  if ((m.msgid.front() == '\n') != (m.msgstr.front() == '\n')) {
    return absl::InvalidArgumentError(
        "msgid and msgstr do not both begin with a newline (msgfmt refuses it)");
  }
  if ((m.msgid.back() == '\n') != (m.msgstr.back() == '\n')) {
    return absl::InvalidArgumentError("msgid and msgstr do not both end with a newline (msgfmt refuses it)");
  }

  std::string msgctxt = m.msgctxt;
  uint64_t key = KeyHash(msgctxt, m.msgid);
  if (keys_.contains(key)) {
    ++renamed_;
    const std::string tag =
        m.duplicate_tag.empty() ? absl::StrCat("qantara:", messages_ + 1) : m.duplicate_tag;
    while (keys_.contains(key)) {
      msgctxt = msgctxt.empty() ? tag : absl::StrCat(msgctxt, "|", tag);
      key = KeyHash(msgctxt, m.msgid);
    }
  }
  keys_.insert(key);

  if (!started_) Start();
  buf_.push_back('\n');
  for (const std::string& c : m.comments) AppendComment("# ", c, &buf_);
  if (!m.references.empty()) AppendComment("#: ", m.references, &buf_);
  if (!msgctxt.empty()) AppendString("msgctxt", msgctxt, &buf_);
  AppendString("msgid", m.msgid, &buf_);
  AppendString("msgstr", m.msgstr, &buf_);
  ++messages_;
  return MaybeFlush(false);
}

absl::Status PoWriter::Finish() {
  if (!status_.ok()) return status_;
  if (finished_) return absl::FailedPreconditionError("PoWriter::Finish called twice");
  if (!started_) Start();
  finished_ = true;
  return MaybeFlush(true);
}

absl::Status PoWriter::MaybeFlush(bool force) {
  if (buf_.empty() || (!force && buf_.size() < options_.flush_bytes)) return absl::OkStatus();
  bytes_ += buf_.size();
  status_ = output_(buf_);
  buf_.clear();
  return status_;
}

}  // namespace qantara::formats
