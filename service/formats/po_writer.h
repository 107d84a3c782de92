// Streaming gettext PO writer.
//
// Writes the header entry first, then one message per Write(), handing the
// bytes to an output callback in blocks of about `flush_bytes` (e.g. one
// gRPC message each). Memory is one block plus a set of 8-byte hashes of the
// (msgctxt, msgid) keys written so far, whatever the number of messages.
// The output is UTF-8, and `msgfmt --check` accepts it.
//
// Each message is written as
//   # translator comment        (one "# " line a line of each comment)
//   #: references
//   msgctxt "..."               (only when it has a context)
//   msgid "..."
//   msgstr "..."
// followed by a blank line. Strings are escaped as gettext does (\\ \" \n
// \t \r); one that holds a newline before its end is written as gettext
// writes it: `msgid ""`, then one quoted line per newline-terminated piece.
// No flags (#,) are written: every message is a plain, translated one.
//
// PO needs each (msgctxt, msgid) once in a file, but a memory may hold
// several targets for one source. A message whose key was written before
// gets msgctxt "<context>|<duplicate_tag>" ("<duplicate_tag>" without a
// context; the exporter's tag is "qantara:<unit id>"), another "|<tag>" as
// long as that key was written too. It is then a message of its own for
// gettext and for qantara's import, which keeps the renamed context as the
// unit's context id.
#ifndef QANTARA_SERVICE_FORMATS_PO_WRITER_H_
#define QANTARA_SERVICE_FORMATS_PO_WRITER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"

namespace qantara::formats {

// The header entry's fields (the PO header entry, msgid "").
struct PoHeader {
  std::string project_id_version;  // e.g. the memory's name
  std::string revision_date;       // "YYYY-MM-DD HH:MM+0000"
  std::string language;            // the msgstrs' language: "ar", "ar_SA", "en"...
  // "# " lines before the header entry (e.g. the memory's description).
  std::vector<std::string> comments;
};

// One message: msgid -> msgstr.
struct PoMessage {
  std::string msgctxt;  // "" : no msgctxt
  std::string msgid;
  std::string msgstr;
  std::vector<std::string> comments;  // translator comments; each may hold '\n'
  std::string references;             // the "#: " line ("file:line file:line"), "" none
  // Appended to msgctxt when the (msgctxt, msgid) key was written before
  // (see the file comment), e.g. "qantara:<unit id>"; "": "qantara:<the
  // message's 1-based number in the file>".
  std::string duplicate_tag;
};

struct PoWriterOptions {
  PoHeader header;
  // Output block size: the callback gets blocks of at least this many bytes
  // (except the last).
  size_t flush_bytes = 256 * 1024;
};

class PoWriter {
 public:
  // Receives the file's bytes in order. A non-OK status stops the writer:
  // the call that triggered the flush returns it, and so do later calls.
  using Output = std::function<absl::Status(std::string_view bytes)>;

  PoWriter(PoWriterOptions options, Output output);
  PoWriter(const PoWriter&) = delete;
  PoWriter& operator=(const PoWriter&) = delete;

  // Appends one message. It is checked completely before any of it is
  // written: InvalidArgument (and nothing written) when a string is not
  // valid UTF-8 or holds a control character other than tab, newline and
  // carriage return (a comment or references: other than tab), msgid or
  // msgstr is empty, or msgid and msgstr do not both begin and both end
  // with a newline, or neither (msgfmt --check refuses such a message).
  // REQUIRES: Finish() was not called.
  absl::Status Write(const PoMessage& message);

  // Flushes the rest (the header entry alone for an empty file).
  // REQUIRES: called once.
  absl::Status Finish();

  uint64_t messages_written() const { return messages_; }
  uint64_t messages_renamed() const { return renamed_; }
  uint64_t bytes_written() const { return bytes_; }

 private:
  void Start();
  absl::Status MaybeFlush(bool force);

  PoWriterOptions options_;
  Output output_;
  std::string buf_;
  absl::flat_hash_set<uint64_t> keys_;  // hashes of the (msgctxt, msgid) written
  bool started_ = false;
  bool finished_ = false;
  uint64_t messages_ = 0;
  uint64_t renamed_ = 0;
  uint64_t bytes_ = 0;
  absl::Status status_;
};

}  // namespace qantara::formats

#endif  // QANTARA_SERVICE_FORMATS_PO_WRITER_H_
