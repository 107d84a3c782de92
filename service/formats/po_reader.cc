// PoReader: the file's bytes kept in a memfd while they arrive, parsed at
// Finish() by libgettextpo under a process-wide mutex, then each message
// turned into units (plural forms, context, comments) in the memory's
// direction.
#include "service/formats/po_reader.h"

#include <gettext-po.h>
#include <iconv.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "service/formats/file_languages.h"
#include "service/formats/po_plural.h"
#include "service/formats/xml_escape.h"

namespace qantara::formats {
namespace {

using S = Problem::Severity;

// What gettext reported during one po_file_read.
struct Diagnostics {
  struct Entry {
    size_t line = 0;  // 0: no line
    std::string text;
  };
  std::vector<Entry> errors;
  std::vector<Entry> warnings;
};

// gettext's reader keeps global state (its lexer, the error callbacks): one
// read at a time in the process. g_diagnostics is where the callbacks write.
ABSL_CONST_INIT absl::Mutex g_gettext_mu(absl::kConstInit);
Diagnostics* g_diagnostics ABSL_GUARDED_BY(g_gettext_mu) = nullptr;

constexpr size_t kMaxDiagnostics = 100;

void Record(int severity, size_t lineno, const char* text) {
  g_gettext_mu.AssertHeld();
  if (g_diagnostics == nullptr) return;
  std::vector<Diagnostics::Entry>& list =
      severity == PO_SEVERITY_WARNING ? g_diagnostics->warnings : g_diagnostics->errors;
  if (list.size() >= kMaxDiagnostics) return;
  std::string t = text == nullptr ? std::string("error") : std::string(text);
  while (!t.empty() && t.back() == '\n') t.pop_back();
  list.push_back({lineno == static_cast<size_t>(-1) ? 0 : lineno, std::move(t)});
}

// Called by gettext only inside po_file_read, i.e. under g_gettext_mu. A
// PO_SEVERITY_FATAL_ERROR handler should not return; gettext 0.21's PO
// reader reports syntax errors as PO_SEVERITY_ERROR and goes on (it sets no
// error limit for libgettextpo), so a fatal one is recorded like an error
// and the whole read fails.
void OnError(int severity, po_message_t, const char*, size_t lineno, size_t, int, const char* text) {
  Record(severity, lineno, text);
}
void OnError2(int severity, po_message_t, const char*, size_t lineno1, size_t, int, const char* text1,
              po_message_t, const char*, size_t, size_t, int, const char* text2) {
  Record(severity, lineno1,
         absl::StrCat(text1 == nullptr ? "" : text1, " ", text2 == nullptr ? "" : text2).c_str());
}

// "charset=X" of a Content-Type header value, lower-cased; "" when absent.
std::string CharsetOf(std::string_view content_type) {
  const size_t at = absl::AsciiStrToLower(std::string(content_type)).find("charset=");
  if (at == std::string::npos) return "";
  std::string_view rest = content_type.substr(at + 8);
  const size_t end = rest.find_first_of("; \t\r\n");
  return absl::AsciiStrToLower(std::string(rest.substr(0, end)));
}

// A header field (po_header_field returns malloc'd memory), "" when absent.
std::string HeaderField(const char* header, const char* field) {
  if (header == nullptr) return "";
  char* v = po_header_field(header, field);
  if (v == nullptr) return "";
  std::string out(v);
  std::free(v);
  return std::string(absl::StripAsciiWhitespace(out));
}

// Converts text from the file's charset to UTF-8 (an iconv descriptor per file).
class Converter {
 public:
  // `charset` "" / utf-8 / us-ascii / the POT placeholder CHARSET: no conversion.
  absl::Status Open(const std::string& charset) {
    if (charset.empty() || charset == "utf-8" || charset == "utf8" || charset == "us-ascii" ||
        charset == "ascii" || charset == "charset") {
      return absl::OkStatus();
    }
    cd_ = iconv_open("UTF-8", charset.c_str());
    if (cd_ == reinterpret_cast<iconv_t>(-1)) {
      return absl::InvalidArgumentError(
          absl::StrCat("the PO header's charset '", ShownInMessage(charset, 40),
                       "' is not one this system converts (msgconv -t UTF-8 converts the file)"));
    }
    charset_ = charset;
    return absl::OkStatus();
  }
  ~Converter() {
    if (cd_ != reinterpret_cast<iconv_t>(-1)) iconv_close(cd_);
  }
  // `in` as UTF-8; false when it is not valid in the file's charset.
  bool Convert(std::string_view in, std::string* out) {
    if (cd_ == reinterpret_cast<iconv_t>(-1)) {
      out->assign(in);
      return true;
    }
    iconv(cd_, nullptr, nullptr, nullptr, nullptr);
    out->assign(in.size() * 4 + 4, '\0');
    char* src = const_cast<char*>(in.data());
    size_t src_left = in.size();
    char* dst = out->data();
    size_t dst_left = out->size();
    if (iconv(cd_, &src, &src_left, &dst, &dst_left) == static_cast<size_t>(-1)) return false;
    out->resize(out->size() - dst_left);
    return true;
  }
  const std::string& charset() const { return charset_; }

 private:
  iconv_t cd_ = reinterpret_cast<iconv_t>(-1);
  std::string charset_;
};

class PoParser final : public internal::Parser {
 public:
  PoParser(const ReaderOptions& options, UnitSink* sink) : options_(options), sink_(sink) {}
  ~PoParser() override {
    if (fd_ >= 0) close(fd_);
  }

  absl::Status Feed(std::string_view chunk) override {
    if (!error_.ok()) return error_;
    if (chunk.empty()) return absl::OkStatus();
    stats_.bytes += chunk.size();
    if (stats_.bytes > options_.max_po_bytes) {
      return error_ = absl::InvalidArgumentError(
                 absl::StrCat("line ", line_, ": the PO file is larger than ", options_.max_po_bytes,
                              " bytes (max_po_bytes; msgcat/msggrep split it)"));
    }
    if (fd_ < 0) {
      fd_ = memfd_create("qantara-po", MFD_CLOEXEC);
      if (fd_ < 0) return error_ = absl::InternalError(absl::StrCat("memfd_create: ", std::strerror(errno)));
    }
    for (std::string_view rest = chunk; !rest.empty();) {
      const ssize_t n = write(fd_, rest.data(), rest.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0)
        return error_ = absl::InternalError(absl::StrCat("writing the PO file: ", std::strerror(errno)));
      rest.remove_prefix(static_cast<size_t>(n));
    }
    for (char c : chunk) {
      if (c == '\n') {
        EndLine();
      } else if (prefix_.size() < 12) {
        prefix_.push_back(c);
      }
    }
    return absl::OkStatus();
  }

  absl::Status Finish() override {
    if (!error_.ok()) return error_;
    if (!prefix_.empty()) EndLine();
    if (fd_ < 0) return error_ = absl::InvalidArgumentError("line 1: the file is empty");
    error_ = Parse();
    return error_;
  }

  const ReadStats& stats() const override { return stats_; }

 private:
  // Notes the line of every msgid keyword ("msgid", "#~ msgid"; not
  // msgid_plural) so that units can name their line.
  void EndLine() {
    absl::string_view p = prefix_;
    if (line_ == 1) absl::ConsumePrefix(&p, "\xEF\xBB\xBF");
    if (absl::ConsumePrefix(&p, "#~")) p = absl::StripLeadingAsciiWhitespace(p);
    if (absl::ConsumePrefix(&p, "msgid") && !p.empty() && (p[0] == ' ' || p[0] == '\t' || p[0] == '"')) {
      msgid_lines_.push_back(line_);
    }
    prefix_.clear();
    ++line_;
  }

  absl::Status Parse() {
    Diagnostics diagnostics;
    po_file_t file = nullptr;
    {
      absl::MutexLock lock(&g_gettext_mu);
      g_diagnostics = &diagnostics;
      const po_xerror_handler handler{&OnError, &OnError2};
      const std::string path = absl::StrCat("/proc/self/fd/", fd_);
      file = po_file_read(path.c_str(), &handler);
      g_diagnostics = nullptr;
    }
    if (file == nullptr) return absl::InternalError("gettext could not open the PO file's copy");
    std::unique_ptr<struct po_file, void (*)(po_file_t)> closer(file, &po_file_free);
    if (!diagnostics.errors.empty()) {
      Diagnostics::Entry first = diagnostics.errors.front();
      // gettext's lexer reports an unterminated string after reading the
      // newline that ends it: the string is on the line before.
      if (first.text == "end-of-line within string" && first.line > 1) --first.line;
      std::string more;
      if (diagnostics.errors.size() > 1) {
        more = absl::StrCat(" (and ", diagnostics.errors.size() - 1,
                            diagnostics.errors.size() >= kMaxDiagnostics ? " or more" : "", " more errors)");
      }
      return absl::InvalidArgumentError(
          absl::StrCat("line ", first.line, ": not a valid PO file: ", first.text, more));
    }
    for (const Diagnostics::Entry& w : diagnostics.warnings) {
      if (absl::Status s = Deliver(S::kWarning, static_cast<int64_t>(w.line), "", w.text); !s.ok()) return s;
    }
    size_t index = 0;  // of the message in file order, across domains
    const std::vector<int64_t>* lines = &msgid_lines_;
    // Count the messages first: the msgid lines name them only when they match one to one.
    size_t messages = 0;
    for (const char* const* d = po_file_domains(file); d != nullptr && *d != nullptr; ++d) {
      po_message_iterator_t it = po_message_iterator(file, *d);
      while (po_next_message(it) != nullptr) ++messages;
      po_message_iterator_free(it);
    }
    if (messages != msgid_lines_.size()) lines = nullptr;
    for (const char* const* d = po_file_domains(file); d != nullptr && *d != nullptr; ++d) {
      if (absl::Status s = ReadDomain(file, *d, lines, &index); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::Status ReadDomain(po_file_t file, const char* domain, const std::vector<int64_t>* lines,
                          size_t* index) {
    // A copy the caller frees, whatever its const says (gettext-po.c xstrdups it).
    std::unique_ptr<char, void (*)(void*)> header_copy(const_cast<char*>(po_file_domain_header(file, domain)),
                                                       &std::free);
    const char* header = header_copy.get();
    Converter converter;
    if (absl::Status s = converter.Open(CharsetOf(HeaderField(header, "Content-Type"))); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("line 1: ", s.message()));
    }
    const std::string language = HeaderField(header, "Language");
    absl::StatusOr<FileLanguages> langs = ResolveFileLanguages("", language, options_);
    if (!langs.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "line 1: the PO header's Language '", ShownInMessage(language), "': ", langs.status().message()));
    }
    // PO files never name their msgids' language: with the msgstrs' named,
    // the msgids' is the pair's other one, which is no guess. A file that
    // names neither gets the warning.
    if (!langs->inferred.empty() && language.empty() && !options_.file_target_language) {
      if (absl::Status s =
              Deliver(S::kWarning, 0, "", absl::StrCat(langs->inferred, " (the PO header has no Language)"));
          !s.ok()) {
        return s;
      }
    }
    PluralForms plural;
    if (const std::string forms = HeaderField(header, "Plural-Forms"); !forms.empty()) {
      absl::StatusOr<PluralForms> parsed = ParsePluralForms(forms);
      if (parsed.ok()) {
        plural = *parsed;
      } else if (absl::Status s = Deliver(S::kWarning, 0, "",
                                          absl::StrCat(parsed.status().message(),
                                                       "; plural messages take msgstr[0] as the singular"));
                 !s.ok()) {
        return s;
      }
    }
    po_message_iterator_t it = po_message_iterator(file, domain);
    std::unique_ptr<struct po_message_iterator, void (*)(po_message_iterator_t)> free_it(
        it, &po_message_iterator_free);
    for (po_message_t m = po_next_message(it); m != nullptr; m = po_next_message(it), ++*index) {
      const int64_t line = lines != nullptr ? (*lines)[*index] : 0;
      if (absl::Status s = ReadMessage(m, *langs, plural, converter, line); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::Status ReadMessage(po_message_t m, const FileLanguages& langs, const PluralForms& plural,
                           Converter& converter, int64_t line) {
    const char* msgid = po_message_msgid(m);
    const char* msgctxt = po_message_msgctxt(m);
    if (msgid == nullptr) return absl::OkStatus();
    if (msgid[0] == '\0' && msgctxt == nullptr) return absl::OkStatus();  // the header entry
    std::string id;
    std::string bad_context;  // why the msgctxt cannot be a unit's id
    if (msgctxt != nullptr) {
      if (!converter.Convert(msgctxt, &id)) {
        bad_context = absl::StrCat("msgctxt: not valid ", converter.charset(), " (the header's charset)");
      } else if (absl::Status s = CheckXmlText(id); !s.ok()) {
        bad_context = absl::StrCat("msgctxt: ", s.message());
      }
      if (!bad_context.empty()) id = ShownInMessage(id, 40);
    }
    const char* msgid_plural = po_message_msgid_plural(m);
    // The units of this message: (form, source, target).
    struct Form {
      int index;  // -1: not a plural message
      const char* source;
      const char* target;
    };
    std::vector<Form> forms;
    if (msgid_plural == nullptr) {
      forms.push_back({-1, msgid, po_message_msgstr(m)});
    } else {
      for (int i = 0; i < 100; ++i) {
        const char* t = po_message_msgstr_plural(m, i);
        if (t == nullptr) break;
        forms.push_back({i, i == plural.singular_index ? msgid : msgid_plural, t});
      }
    }
    for (const Form& f : forms) {
      ++stats_.units_seen;
      const std::string form_id =
          f.index < 0 ? id : absl::StrCat(id, id.empty() ? "" : " ", "[", f.index, "]");
      if (po_message_is_obsolete(m)) {
        if (absl::Status s = Deliver(S::kSkipped, line, form_id, "an obsolete entry (#~)"); !s.ok()) return s;
        continue;
      }
      if (po_message_is_fuzzy(m) && !options_.po_include_fuzzy) {
        if (absl::Status s =
                Deliver(S::kSkipped, line, form_id, "fuzzy (needs review; --include-fuzzy takes it)");
            !s.ok()) {
          return s;
        }
        continue;
      }
      if (f.target == nullptr || f.target[0] == '\0') {
        const std::string what = f.index < 0 ? "msgstr" : absl::StrCat("msgstr[", f.index, "]");
        if (absl::Status s =
                Deliver(S::kSkipped, line, form_id, absl::StrCat("not translated (empty ", what, ")"));
            !s.ok()) {
          return s;
        }
        continue;
      }
      if (f.source[0] == '\0') {
        const char* what = f.index < 0 || f.source == msgid ? "msgid" : "msgid_plural";
        if (absl::Status s = Deliver(S::kSkipped, line, form_id, absl::StrCat("the ", what, " is empty"));
            !s.ok()) {
          return s;
        }
        continue;
      }
      std::vector<std::string> dropped;
      absl::StatusOr<TranslationUnit> unit =
          bad_context.empty()
              ? MakeUnit(m, f.source, f.target, f.index, form_id, langs, converter, line, &dropped)
              : absl::InvalidArgumentError(bad_context);
      if (!unit.ok()) {
        if (absl::Status s = Deliver(S::kError, line, form_id, std::string(unit.status().message())); !s.ok())
          return s;
        continue;
      }
      for (std::string& why : dropped) {
        if (absl::Status s = Deliver(S::kWarning, line, form_id, std::move(why)); !s.ok()) return s;
      }
      ++stats_.units_read;
      if (absl::Status s = sink_->OnUnit(*std::move(unit)); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::StatusOr<TranslationUnit> MakeUnit(po_message_t m, const char* source, const char* target, int form,
                                           const std::string& id, const FileLanguages& langs,
                                           Converter& converter, int64_t line,
                                           std::vector<std::string>* dropped) {
    TranslationUnit unit;
    unit.id = id;
    unit.line = line;
    unit.srclang = std::string(text::LanguageCode(langs.source));
    std::string text[2];
    const char* raw[2] = {source, target};
    const char* names[2] = {"msgid", "msgstr"};
    for (int side = 0; side < 2; ++side) {
      if (!converter.Convert(raw[side], &text[side])) {
        return absl::InvalidArgumentError(
            absl::StrCat(names[side], ": not valid ", converter.charset(), " (the header's charset)"));
      }
      if (text[side].size() > options_.max_segment_bytes) {
        return absl::InvalidArgumentError(absl::StrCat(
            names[side], ": larger than ", options_.max_segment_bytes, " bytes (max_segment_bytes)"));
      }
    }
    const bool swap = langs.source == options_.target_language;
    Segment* sides[2] = {&unit.source, &unit.target};
    const text::Language languages[2] = {langs.source, langs.target};
    for (int side = 0; side < 2; ++side) {
      Segment* seg = sides[swap ? 1 - side : side];
      if (absl::Status s = MakePlainSegment(languages[side], text[side], seg); !s.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(names[side], ": ", s.message()));
      }
      seg->lang_tag = std::string(text::LanguageCode(languages[side]));
    }
    if (form >= 0) unit.props.push_back({"x-po-plural-form", absl::StrCat(form)});
    std::string refs;
    for (int i = 0; refs.size() < 4096; ++i) {
      po_filepos_t pos = po_message_filepos(m, i);
      if (pos == nullptr) break;
      const char* file = po_filepos_file(pos);
      std::string ref;
      if (file == nullptr || !converter.Convert(file, &ref)) continue;
      const size_t at = po_filepos_start_line(pos);
      if (at != static_cast<size_t>(-1)) absl::StrAppend(&ref, ":", at);
      absl::StrAppend(&refs, refs.empty() ? "" : " ", ref);
    }
    if (!refs.empty()) {
      if (CheckXmlText(refs).ok()) {
        unit.props.push_back({"x-po-references", std::move(refs)});
      } else {
        dropped->push_back("the #: references were left out: a character a TMX cannot hold");
      }
    }
    for (const char* comments : {po_message_extracted_comments(m), po_message_comments(m)}) {
      std::string note;
      if (comments == nullptr || !converter.Convert(comments, &note)) continue;
      note = std::string(absl::StripTrailingAsciiWhitespace(note));
      if (note.empty()) continue;
      if (note.size() > options_.max_segment_bytes) {
        dropped->push_back(absl::StrCat("a comment was left out: larger than ", options_.max_segment_bytes,
                                        " bytes (max_segment_bytes)"));
      } else if (absl::Status s = CheckXmlText(note); !s.ok()) {
        dropped->push_back(absl::StrCat("a comment was left out: ", s.message()));
      } else {
        unit.notes.push_back(std::move(note));
      }
    }
    return unit;
  }

  absl::Status Deliver(S severity, int64_t line, const std::string& unit_id, std::string reason) {
    return ReportProblem(severity, line, unit_id, std::move(reason), &stats_, sink_);
  }

  const ReaderOptions options_;
  UnitSink* const sink_;
  ReadStats stats_;
  absl::Status error_;
  int fd_ = -1;
  int64_t line_ = 1;
  std::string prefix_;  // the first bytes of the current line
  std::vector<int64_t> msgid_lines_;
};

}  // namespace

PoReader::PoReader(const ReaderOptions& options, UnitSink* sink)
    : UnitReader(std::make_unique<PoParser>(options, sink)) {}

bool LooksLikePo(std::string_view first_bytes) {
  absl::string_view rest(first_bytes.data(), first_bytes.size());
  absl::ConsumePrefix(&rest, "\xEF\xBB\xBF");
  while (!rest.empty()) {
    const size_t eol = rest.find('\n');
    absl::string_view line = absl::StripAsciiWhitespace(rest.substr(0, eol));
    if (!line.empty() && line[0] != '#') {
      return absl::StartsWith(line, "msgid ") || absl::StartsWith(line, "msgid\"") ||
             absl::StartsWith(line, "msgctxt ") || absl::StartsWith(line, "msgctxt\"");
    }
    if (eol == absl::string_view::npos) break;
    rest.remove_prefix(eol + 1);
  }
  return false;
}

}  // namespace qantara::formats
