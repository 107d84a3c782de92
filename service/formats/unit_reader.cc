// Choosing and driving a unit reader: telling TMX, XLIFF and CSV apart by file
// name or first bytes, creating the reader, and feeding it a file in chunks.
#include "service/formats/unit_reader.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "service/formats/csv_reader.h"
#include "service/formats/po_reader.h"
#include "service/formats/reader_core.h"
#include "service/formats/tmx_reader.h"
#include "service/formats/xliff_reader.h"

namespace qantara::formats {

UnitReader::UnitReader(std::unique_ptr<internal::Parser> parser) : parser_(std::move(parser)) {}
UnitReader::~UnitReader() = default;
absl::Status UnitReader::Feed(std::string_view chunk) { return parser_->Feed(chunk); }
absl::Status UnitReader::Finish() { return parser_->Finish(); }
const ReadStats& UnitReader::stats() const { return parser_->stats(); }

absl::StatusOr<FileFormat> DetectFileFormat(std::string_view file_name, std::string_view first_bytes) {
  const size_t dot = file_name.rfind('.');
  if (dot != std::string_view::npos) {
    const std::string ext = absl::AsciiStrToLower(std::string(file_name.substr(dot + 1)));
    if (ext == "tmx") return FileFormat::kTmx;
    if (ext == "xlf" || ext == "xliff" || ext == "sdlxliff" || ext == "mqxliff" || ext == "mxliff") {
      return FileFormat::kXliff;
    }
    if (ext == "po" || ext == "pot") return FileFormat::kPo;
    if (ext == "csv" || ext == "tsv") return FileFormat::kCsv;
  }
  if (LooksLikePo(first_bytes)) return FileFormat::kPo;
  if (LooksLikeCsv(first_bytes)) return FileFormat::kCsv;
  // Sniff: drop NUL bytes so that UTF-16 text reads as ASCII, then look for the root.
  std::string ascii;
  ascii.reserve(first_bytes.size());
  for (char c : first_bytes) {
    if (c != '\0') ascii.push_back(c);
  }
  const size_t tmx = ascii.find("<tmx");
  const size_t xliff = ascii.find("xliff");
  if (tmx != std::string::npos && (xliff == std::string::npos || tmx < xliff)) return FileFormat::kTmx;
  if (xliff != std::string::npos && ascii.find("<", 0) != std::string::npos) return FileFormat::kXliff;
  return absl::InvalidArgumentError(
      absl::StrCat("cannot tell the format of '", std::string(file_name),
                   "': name it .tmx, .xlf, .xliff, .po, .csv or .tsv, or start it with a <tmx> or <xliff> "
                   "root element, a msgid or a CSV header row (source,target)"));
}

std::unique_ptr<UnitReader> NewUnitReader(FileFormat format, const ReaderOptions& options, UnitSink* sink) {
  if (format == FileFormat::kXliff) return std::make_unique<XliffReader>(options, sink);
  if (format == FileFormat::kPo) return std::make_unique<PoReader>(options, sink);
  if (format == FileFormat::kCsv) return std::make_unique<CsvReader>(options, sink);
  return std::make_unique<TmxReader>(options, sink);
}

absl::Status ReadFileInto(const std::string& path, UnitReader* reader, size_t chunk_bytes) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    const int err = errno;
    if (err == ENOENT) return absl::NotFoundError(absl::StrCat(path, ": no such file"));
    return absl::InternalError(absl::StrCat(path, ": ", std::strerror(err)));
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(f, &std::fclose);
  std::vector<char> buf(chunk_bytes == 0 ? 65536 : chunk_bytes);
  for (;;) {
    const size_t n = std::fread(buf.data(), 1, buf.size(), f);
    if (n > 0) {
      if (absl::Status s = reader->Feed(std::string_view(buf.data(), n)); !s.ok()) return s;
    }
    if (n < buf.size()) {
      if (std::ferror(f)) return absl::InternalError(absl::StrCat(path, ": read error"));
      break;
    }
  }
  return reader->Finish();
}

}  // namespace qantara::formats
