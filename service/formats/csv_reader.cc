// CsvReader: the first line read for its delimiter and columns, then libcsv's
// push parser fed one line (at most kPieceBytes) at a time, so that every
// field and row it hands back is known by the line it started on, and a
// field growing past its limit is cut between pieces.
#include "service/formats/csv_reader.h"

#include <csv.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "service/formats/file_languages.h"
#include "service/formats/translation_unit.h"
#include "service/formats/xml_escape.h"

namespace qantara::formats {
namespace csv_internal {
namespace {

using text::Language;

// Bytes handed to libcsv at once: a line, or a piece of a longer one.
constexpr size_t kPieceBytes = 64 * 1024;
constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::string Code(Language l) { return std::string(text::LanguageCode(l)); }

// The fields of one line split at `delim`, with RFC 4180 quotes removed (for
// the header only; rows go through libcsv).
std::vector<std::string> SplitLine(std::string_view line, char delim) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back().push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back().push_back(c);
      }
    } else if (c == '"' && out.back().empty()) {
      quoted = true;
    } else if (c == delim) {
      out.emplace_back();
    } else {
      out.back().push_back(c);
    }
  }
  return out;
}

enum class Role { kSource, kTarget, kLanguage, kId, kNote, kProp, kFuzzy, kUnknown };

struct Column {
  Role role = Role::kUnknown;
  std::string name;                  // as written
  std::optional<Language> language;  // kLanguage
  std::string prop;                  // kProp: the prop type
};

Column Classify(const std::string& written) {
  Column c;
  c.name = written;
  const std::string n = absl::AsciiStrToLower(std::string(absl::StripAsciiWhitespace(written)));
  if (n == "source") {
    c.role = Role::kSource;
  } else if (n == "target") {
    c.role = Role::kTarget;
  } else if (n == "english") {
    c.role = Role::kLanguage;
    c.language = Language::kEnglish;
  } else if (n == "arabic") {
    c.role = Role::kLanguage;
    c.language = Language::kArabic;
  } else if (n == "id" || n == "key" || n == "tuid" || n == "location") {
    c.role = Role::kId;
  } else if (n == "note" || n == "notes" || n == "comment" || n == "comments" || n == "translator_comments" ||
             n == "developer_comments") {
    c.role = Role::kNote;
  } else if (n == "project" || n == "domain" || n == "client" || n == "context") {
    c.role = Role::kProp;
    c.prop = n;
  } else if (n == "fuzzy") {
    c.role = Role::kFuzzy;
  } else if (!n.empty() && n.size() <= 35 && n.find_first_of(" \t") == std::string::npos) {
    absl::StatusOr<Language> l = text::ParseLanguage(n);
    if (l.ok()) {
      c.role = Role::kLanguage;
      c.language = *l;
    }
  }
  return c;
}

// Whether `cols` name two sides (source/target or languages), whatever the
// memory's pair.
bool NamesBothSides(const std::vector<Column>& cols) {
  int source = 0, target = 0, languages = 0;
  for (const Column& c : cols) {
    source += c.role == Role::kSource;
    target += c.role == Role::kTarget;
    languages += c.role == Role::kLanguage;
  }
  return cols.size() >= 2 && source + target + languages >= 2 && (source > 0 || languages > 0) &&
         (target > 0 || languages > 0);
}

// The first line's delimiter when it is a header (0: it is not).
char HeaderDelimiter(std::string_view line, std::vector<Column>* columns) {
  for (char d : {'\t', ',', ';'}) {
    if (line.find(d) == std::string_view::npos) continue;
    std::vector<Column> cols;
    for (const std::string& f : SplitLine(line, d)) cols.push_back(Classify(f));
    if (NamesBothSides(cols)) {
      if (columns != nullptr) *columns = std::move(cols);
      return d;
    }
  }
  return 0;
}

int NoSpace(unsigned char) { return 0; }

}  // namespace

class CsvParser final : public internal::Parser {
 public:
  CsvParser(const ReaderOptions& options, UnitSink* sink) : options_(options), sink_(sink) {}
  ~CsvParser() override {
    if (parser_ready_) csv_free(&csv_);
  }

  absl::Status Feed(std::string_view chunk) override {
    if (!fatal_.ok()) return fatal_;
    stats_.bytes += chunk.size();
    if (!started_) {
      head_.append(chunk.data(), chunk.size());
      const size_t nl = head_.find('\n');
      if ((nl == std::string::npos ? head_.size() : nl) > options_.max_unit_bytes) {
        Fail(absl::StrCat("line 1: the first line is longer than ", options_.max_unit_bytes,
                          " bytes (max_unit_bytes)"));
        return fatal_;
      }
      if (nl == std::string::npos) return absl::OkStatus();
      std::string head = std::move(head_);
      head_ = std::string();
      if (!Start(head)) return fatal_;
      Consume(head);
      return fatal_;
    }
    Consume(chunk);
    return fatal_;
  }

  absl::Status Finish() override {
    if (!fatal_.ok()) return fatal_;
    if (!started_) {
      std::string head = std::move(head_);
      if (!Start(head)) return fatal_;
      Consume(head);
      if (!fatal_.ok()) return fatal_;
    }
    if (csv_fini(&csv_, &CsvParser::OnFieldThunk, &CsvParser::OnRowThunk, this) != 0) {
      Fail(absl::StrCat("line ", row_line_,
                        ": a quoted field of this row is not closed at the end of the file (the row was not "
                        "read)"));
      return fatal_;
    }
    if (!fatal_.ok()) return fatal_;
    return absl::OkStatus();
  }

  const ReadStats& stats() const override { return stats_; }
  char delimiter() const { return delim_; }
  bool has_header() const { return header_; }

 private:
  void Fail(std::string message) { fatal_ = absl::InvalidArgumentError(std::move(message)); }

  // Decides the delimiter and the columns from the first line of `head`
  // (the bytes read so far, which it strips of a BOM). False: fatal_ says why.
  bool Start(std::string& head) {
    started_ = true;
    if (head.empty()) {
      Fail("the file is empty");
      return false;
    }
    if (head.size() >= 2 &&
        ((head[0] == '\xFF' && head[1] == '\xFE') || (head[0] == '\xFE' && head[1] == '\xFF'))) {
      Fail("line 1: the file is UTF-16; save it as UTF-8");
      return false;
    }
    if (head.compare(0, kBom.size(), kBom.data(), kBom.size()) == 0) head.erase(0, kBom.size());
    const std::string_view first = std::string_view(head).substr(0, head.find('\n'));
    if (first.find_first_not_of(" \t\r") == std::string_view::npos) {
      Fail(head.find('\n') == std::string::npos
               ? "the file is empty"
               : "line 1: the first line is empty (a CSV file starts with its header row, a TSV file with "
                 "its first row)");
      return false;
    }
    std::vector<Column> cols;
    delim_ = HeaderDelimiter(first, &cols);
    header_ = delim_ != 0;
    if (header_) {
      if (!Layout(cols)) return false;
    } else if (first.find('\t') != std::string_view::npos) {
      delim_ = '\t';
      source_col_ = 0;
      target_col_ = 1;
      columns_ = 2;
      if (!GenericSides()) return false;
    } else {
      std::string shown = ShownInMessage(first.substr(0, 60));
      Fail(absl::StrCat(
          "line 1: '", shown,
          "' is not a header row naming the columns (source,target or the languages: en,ar; "
          "comma, tab or semicolon between them), nor a tab-separated line (source TAB target)"));
      return false;
    }
    if (csv_init(&csv_, header_ ? CSV_STRICT | CSV_STRICT_FINI : 0) != 0) {
      Fail("out of memory");
      return false;
    }
    parser_ready_ = true;
    InitCsv();
    return true;
  }

  void InitCsv() {
    csv_set_delim(&csv_, static_cast<unsigned char>(delim_));
    // A headerless file is `add --tsv`'s: quotes are text (a NUL byte, the
    // quote character then, is refused before libcsv sees it).
    csv_set_quote(&csv_, header_ ? CSV_QUOTE : 0);
    csv_set_space_func(&csv_, &NoSpace);  // keep spaces as they are
    csv_set_blk_size(&csv_, 4096);
    row_not_begun_ = csv_.pstate;
  }

  // The file's sides when they are named source/target (or by position):
  // the memory's direction unless the options say the file's.
  bool GenericSides() {
    src_lang_ = options_.source_language;
    tgt_lang_ = options_.target_language;
    if (options_.file_source_language || options_.file_target_language) {
      absl::StatusOr<FileLanguages> langs = ResolveFileLanguages("", "", options_);
      if (!langs.ok()) {
        Fail(std::string(langs.status().message()));
        return false;
      }
      src_lang_ = langs->source;
      tgt_lang_ = langs->target;
    }
    src_tag_ = Code(src_lang_);
    tgt_tag_ = Code(tgt_lang_);
    return true;
  }

  // The columns' roles from the header.
  bool Layout(const std::vector<Column>& cols) {
    columns_ = cols.size();
    std::vector<std::string> unknown;
    std::optional<size_t> sides[2];  // the file's [source, target] columns
    bool by_language = false;
    for (size_t i = 0; i < cols.size(); ++i) {
      const Column& c = cols[i];
      int side = -1;
      switch (c.role) {
        case Role::kSource: side = 0; break;
        case Role::kTarget: side = 1; break;
        case Role::kLanguage:
          side = *c.language == options_.source_language ? 0 : 1;
          by_language = true;
          break;
        case Role::kId:
          if (id_col_) {
            props_.push_back({i, absl::AsciiStrToLower(std::string(absl::StripAsciiWhitespace(c.name)))});
          } else {
            id_col_ = i;
          }
          break;
        case Role::kNote: notes_.push_back(i); break;
        case Role::kProp: props_.push_back({i, c.prop}); break;
        case Role::kFuzzy: fuzzy_col_ = i; break;
        case Role::kUnknown: unknown.push_back(absl::StrCat("'", ShownInMessage(c.name), "'")); break;
      }
      if (side < 0) continue;
      if (sides[side]) {
        Fail(absl::StrCat("line 1: two ", side == 0 ? "source" : "target", " columns, '",
                          ShownInMessage(cols[*sides[side]].name), "' and '", ShownInMessage(c.name),
                          "' (the memory is ", Code(options_.source_language), "->",
                          Code(options_.target_language), ")"));
        return false;
      }
      sides[side] = i;
    }
    if (!sides[0] || !sides[1]) {
      Fail(absl::StrCat("line 1: the header names no ", !sides[0] ? "source" : "target",
                        " column (the memory is ", Code(options_.source_language), "->",
                        Code(options_.target_language),
                        "; name the columns source and target, or by language)"));
      return false;
    }
    if (by_language) {
      if (options_.file_source_language || options_.file_target_language) {
        Fail(
            "source_lang/target_lang say which languages a CSV file's source and target columns hold; this "
            "file's header names its columns' languages");
        return false;
      }
      src_lang_ = options_.source_language;
      tgt_lang_ = options_.target_language;
      auto tag = [&](const Column& c, Language l) {
        const std::string n = absl::AsciiStrToLower(std::string(absl::StripAsciiWhitespace(c.name)));
        return c.role != Role::kLanguage || n == "english" || n == "arabic"
                   ? Code(l)
                   : std::string(absl::StripAsciiWhitespace(c.name));
      };
      src_tag_ = tag(cols[*sides[0]], src_lang_);
      tgt_tag_ = tag(cols[*sides[1]], tgt_lang_);
    } else if (!GenericSides()) {
      return false;
    }
    source_col_ = *sides[0];
    target_col_ = *sides[1];
    if (!unknown.empty()) {
      Deliver(Problem::Severity::kWarning, 1,
              absl::StrCat("columns ignored: ", absl::StrJoin(unknown, ", "),
                           " (known: source, target, a language, id, key, location, note, comment, project, "
                           "domain, client, context, fuzzy)"));
    }
    return true;
  }

  // Feeds `data` to libcsv a line (or kPieceBytes) at a time.
  void Consume(std::string_view data) {
    size_t pos = 0;
    while (pos < data.size() && fatal_.ok()) {
      const size_t nl = data.find('\n', pos);
      const size_t end = std::min(nl == std::string_view::npos ? data.size() : nl + 1, pos + kPieceBytes);
      const std::string_view piece = data.substr(pos, end - pos);
      FeedPiece(piece);
      if (piece.back() == '\n') ++line_;
      pos = end;
    }
  }

  void FeedPiece(std::string_view piece) {
    if (skip_line_) {  // the rest of a line with malformed quoting
      if (piece.back() == '\n') skip_line_ = false;
      return;
    }
    if (const size_t nul = header_ ? std::string_view::npos : piece.find('\0');
        nul != std::string_view::npos) {
      // What comes before it is read as any chunking would read it (a CR
      // may end a row there).
      if (nul > 0) ParsePiece(piece.substr(0, nul));
      if (fatal_.ok()) Fail(absl::StrCat("line ", line_, ": a NUL byte (this is not a text file)"));
      return;
    }
    ParsePiece(piece);
  }

  // Hands `piece` (not past a line's end) to libcsv.
  void ParsePiece(std::string_view piece) {
    if (csv_.pstate == row_not_begun_) row_line_ = line_;
    const size_t n =
        csv_parse(&csv_, piece.data(), piece.size(), &CsvParser::OnFieldThunk, &CsvParser::OnRowThunk, this);
    if (!fatal_.ok()) return;
    if (n < piece.size()) {
      if (csv_error(&csv_) != CSV_EPARSE) {
        Fail(absl::StrCat("line ", line_, ": ", csv_strerror(csv_error(&csv_))));
        return;
      }
      if (header_ && !header_skipped_) {
        Fail("line 1: malformed quoting in the header row");
        return;
      }
      // Strict RFC 4180: the row fails, the rest of its line is skipped.
      CountUnitSeen();
      Deliver(
          Problem::Severity::kError, row_line_,
          line_ == row_line_
              ? std::string("malformed quoting: a quote inside an unquoted field, or text after a closing "
                            "quote (quote the whole field and double the quotes inside it)")
              : absl::StrCat("malformed quoting at line ", line_,
                             ": a quote inside an unquoted field, or text after a closing quote (quote "
                             "the whole field and double the quotes inside it)"));
      ResetRow();
      csv_free(&csv_);
      csv_init(&csv_, CSV_STRICT | CSV_STRICT_FINI);
      InitCsv();
      skip_line_ = piece.back() != '\n';
      return;
    }
    // A field growing past the limit: libcsv keeps only what its state needs
    // (the closing quote it may have to drop); the field fails at its end.
    if (csv_.entry_pos > options_.max_segment_bytes) {
      field_overflow_ = true;
      csv_.entry_pos = std::min(csv_.entry_pos, csv_.spaces + 1);
    }
  }

  static void OnFieldThunk(void* data, size_t len, void* self) {
    static_cast<CsvParser*>(self)->OnField(static_cast<const char*>(data), len);
  }
  static void OnRowThunk(int c, void* self) { static_cast<CsvParser*>(self)->OnRow(c); }

  void OnField(const char* data, size_t len) {
    if (!fatal_.ok()) return;
    if (row_error_.empty()) {
      if (field_overflow_ || len > options_.max_segment_bytes) {
        row_error_ = absl::StrCat("field ", fields_seen_ + 1, " is larger than ", options_.max_segment_bytes,
                                  " bytes (max_segment_bytes)");
      } else if (row_bytes_ + len > options_.max_unit_bytes) {
        row_error_ =
            absl::StrCat("the row is larger than ", options_.max_unit_bytes, " bytes (max_unit_bytes)");
      }
      if (row_error_.empty()) {
        row_bytes_ += len;
        fields_.emplace_back(len == 0 ? std::string() : std::string(data, len));
      } else {
        fields_.clear();
      }
    }
    if (id_col_ && fields_seen_ == *id_col_ && !field_overflow_ && len <= options_.max_segment_bytes) {
      row_id_.assign(len == 0 ? "" : data, len);  // kept for the report when the row fails
    }
    field_overflow_ = false;
    ++fields_seen_;
  }

  void OnRow(int) {
    if (!fatal_.ok()) return;
    const int64_t line = row_line_;
    row_line_ = line_;  // a row after this one starts on this line or later
    if (header_ && !header_skipped_) {
      header_skipped_ = true;
      ResetRow();
      return;
    }
    CountUnitSeen();
    Row(line);
    ResetRow();
  }

  // The current row (fields_) as a unit, or its problem.
  void Row(int64_t line) {
    using S = Problem::Severity;
    const std::string id = row_id_;
    // As the report shows it (a proto string: valid UTF-8).
    const std::string shown_id = CheckXmlText(id).ok() ? id.substr(0, 200) : ShownInMessage(id);
    if (!row_error_.empty()) return Deliver(S::kError, line, row_error_, shown_id);
    if (header_ ? fields_.size() != columns_ : fields_.size() < 2) {
      return Deliver(S::kError, line,
                     header_ ? absl::StrCat(fields_.size(), fields_.size() == 1 ? " field" : " fields",
                                            "; the header has ", columns_, " columns")
                             : std::string("no tab between source and target"),
                     shown_id);
    }
    if (!header_ && fields_.size() > 2 && !extra_columns_warned_) {
      extra_columns_warned_ = true;
      Deliver(S::kWarning, line,
              "columns after the second are ignored (as `qantara add --tsv` does), in this row and any other",
              shown_id);
    }
    if (absl::Status s = CheckXmlText(id); !s.ok()) {
      return Deliver(S::kError, line, absl::StrCat("id: ", s.message()), "");
    }
    if (fuzzy_col_) {
      const std::string v =
          absl::AsciiStrToLower(std::string(absl::StripAsciiWhitespace(fields_[*fuzzy_col_])));
      if (v == "true" || v == "yes" || v == "1" || v == "fuzzy") {
        return Deliver(S::kSkipped, line, "fuzzy (not a confirmed translation)", shown_id);
      }
    }
    const std::string& src = fields_[source_col_];
    const std::string& tgt = fields_[target_col_];
    if (src.empty()) return Deliver(S::kError, line, "the source is empty", shown_id);
    if (tgt.empty()) return Deliver(S::kError, line, "the target is empty", shown_id);
    TranslationUnit unit;
    if (absl::Status s = MakePlainSegment(src_lang_, src, &unit.source); !s.ok()) {
      return Deliver(S::kError, line, absl::StrCat("source: ", s.message()), shown_id);
    }
    if (absl::Status s = MakePlainSegment(tgt_lang_, tgt, &unit.target); !s.ok()) {
      return Deliver(S::kError, line, absl::StrCat("target: ", s.message()), shown_id);
    }
    unit.source.lang_tag = src_tag_;
    unit.target.lang_tag = tgt_tag_;
    unit.srclang = src_tag_;
    for (const auto& [col, type] : props_) {
      if (fields_[col].empty()) continue;
      if (absl::Status s = CheckXmlText(fields_[col]); !s.ok()) {
        return Deliver(S::kError, line, absl::StrCat(type, ": ", s.message()), shown_id);
      }
      unit.props.push_back({type, fields_[col]});
    }
    for (size_t col : notes_) {
      if (fields_[col].empty()) continue;
      if (absl::Status s = CheckXmlText(fields_[col]); !s.ok()) {
        return Deliver(S::kError, line, absl::StrCat("note: ", s.message()), shown_id);
      }
      unit.notes.push_back(fields_[col]);
    }
    unit.id = id;
    unit.line = line;
    if (src_lang_ == options_.target_language) std::swap(unit.source, unit.target);
    ++stats_.units_read;
    absl::Status s = sink_->OnUnit(std::move(unit));
    if (!s.ok()) fatal_ = std::move(s);
  }

  void ResetRow() {
    fields_.clear();
    fields_seen_ = 0;
    row_id_.clear();
    row_bytes_ = 0;
    row_error_.clear();
    field_overflow_ = false;
  }

  void CountUnitSeen() { ++stats_.units_seen; }

  void Deliver(Problem::Severity severity, int64_t line, std::string reason, std::string unit_id = "") {
    absl::Status s = ReportProblem(severity, line, std::move(unit_id), std::move(reason), &stats_, sink_);
    if (!s.ok() && fatal_.ok()) fatal_ = std::move(s);
  }

  const ReaderOptions options_;
  UnitSink* const sink_;
  ReadStats stats_;
  absl::Status fatal_;  // once not OK, every call returns it
  bool started_ = false;
  std::string head_;  // the bytes before the first line's end
  // The layout.
  char delim_ = 0;
  bool header_ = false;
  size_t columns_ = 0;
  size_t source_col_ = 0, target_col_ = 1;  // the file's source and target columns
  std::optional<size_t> id_col_, fuzzy_col_;
  std::vector<size_t> notes_;
  std::vector<std::pair<size_t, std::string>> props_;
  Language src_lang_ = Language::kEnglish, tgt_lang_ = Language::kArabic;  // of those columns
  std::string src_tag_, tgt_tag_;
  // libcsv and where it is.
  csv_parser csv_{};
  bool parser_ready_ = false;
  int row_not_begun_ = 0;
  int64_t line_ = 1;      // of the piece being parsed
  int64_t row_line_ = 1;  // where the row being parsed started
  bool skip_line_ = false;
  bool header_skipped_ = false;
  bool extra_columns_warned_ = false;
  // The row being read.
  std::vector<std::string> fields_;
  size_t fields_seen_ = 0;
  std::string row_id_;  // its id column, when it has one
  size_t row_bytes_ = 0;
  std::string row_error_;
  bool field_overflow_ = false;
};

}  // namespace csv_internal

CsvReader::CsvReader(const ReaderOptions& options, UnitSink* sink)
    : UnitReader(std::make_unique<csv_internal::CsvParser>(options, sink)) {}
char CsvReader::delimiter() const {
  return static_cast<const csv_internal::CsvParser&>(parser()).delimiter();
}
bool CsvReader::has_header() const {
  return static_cast<const csv_internal::CsvParser&>(parser()).has_header();
}

bool LooksLikeCsv(std::string_view first_bytes) {
  if (first_bytes.substr(0, csv_internal::kBom.size()) == csv_internal::kBom) {
    first_bytes.remove_prefix(csv_internal::kBom.size());
  }
  const size_t start = first_bytes.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos || first_bytes[start] == '<') return false;
  if (first_bytes.find('\0') != std::string_view::npos) return false;
  const std::string_view first = first_bytes.substr(0, first_bytes.find('\n'));
  return csv_internal::HeaderDelimiter(first, nullptr) != 0 || first.find('\t') != std::string_view::npos;
}

}  // namespace qantara::formats
