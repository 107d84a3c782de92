// Reading dictd databases (FreeDict): decoding the base64 offsets of NAME.index,
// inflating NAME.dict.dz with zlib and slicing out each headword's entry.
#include "service/align/dictd.h"

#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace qantara::align {

absl::StatusOr<uint64_t> DecodeDictdNumber(std::string_view digits) {
  if (digits.empty()) return absl::InvalidArgumentError("empty dictd number");
  uint64_t v = 0;
  for (char c : digits) {
    int d;
    if (c >= 'A' && c <= 'Z')
      d = c - 'A';
    else if (c >= 'a' && c <= 'z')
      d = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      d = c - '0' + 52;
    else if (c == '+')
      d = 62;
    else if (c == '/')
      d = 63;
    else
      return absl::InvalidArgumentError(
          absl::StrCat("bad dictd base64 digit in '", std::string(digits), "'"));
    if (v > (UINT64_MAX >> 6)) return absl::InvalidArgumentError("dictd number overflows");
    v = (v << 6) | static_cast<uint64_t>(d);
  }
  return v;
}

absl::StatusOr<std::string> Gunzip(std::string_view compressed) {
  if (compressed.size() < 18 || static_cast<unsigned char>(compressed[0]) != 0x1f ||
      static_cast<unsigned char>(compressed[1]) != 0x8b) {
    return absl::InvalidArgumentError("not gzip data");
  }
  z_stream zs;
  std::memset(&zs, 0, sizeof(zs));
  if (inflateInit2(&zs, 15 + 16) != Z_OK) return absl::InternalError("zlib inflateInit2 failed");
  std::string out;
  out.resize(compressed.size() * 4);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  zs.avail_in = static_cast<uInt>(compressed.size());
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (zs.total_out >= out.size()) out.resize(out.size() * 2);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + zs.total_out);
    zs.avail_out = static_cast<uInt>(out.size() - zs.total_out);
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) break;
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) break;
  }
  const size_t n = zs.total_out;
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) return absl::InvalidArgumentError("truncated or corrupt gzip data");
  out.resize(n);
  return out;
}

absl::StatusOr<std::string> ReadFileBytes(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    const int err = errno;
    if (err == ENOENT) return absl::NotFoundError(absl::StrCat(path, ": no such file"));
    return absl::InternalError(absl::StrCat(path, ": ", std::strerror(err)));
  }
  std::string data;
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) data.append(buf, n);
  const bool bad = std::ferror(f);
  std::fclose(f);
  if (bad) return absl::InternalError(absl::StrCat(path, ": read error"));
  return data;
}

absl::StatusOr<DictdDatabase> DictdDatabase::Load(const std::string& index_path,
                                                  const std::string& dict_path) {
  absl::StatusOr<std::string> index = ReadFileBytes(index_path);
  if (!index.ok()) return index.status();
  absl::StatusOr<std::string> dict = ReadFileBytes(dict_path);
  if (!dict.ok()) return dict.status();
  return FromBytes(*index, *std::move(dict));
}

absl::StatusOr<DictdDatabase> DictdDatabase::FromBytes(std::string_view index, std::string dict) {
  DictdDatabase db;
  db.text_ = std::make_unique<std::string>();
  db.headwords_ = std::make_unique<std::string>();
  if (dict.size() >= 2 && static_cast<unsigned char>(dict[0]) == 0x1f &&
      static_cast<unsigned char>(dict[1]) == 0x8b) {
    absl::StatusOr<std::string> text = Gunzip(dict);
    if (!text.ok()) return text.status();
    *db.text_ = *std::move(text);
  } else {
    *db.text_ = std::move(dict);
  }
  struct Raw {
    size_t head_begin, head_len;
    uint64_t off, len;
  };
  std::vector<Raw> raw;
  db.headwords_->reserve(index.size() / 2);
  size_t pos = 0;
  size_t line_no = 0;
  while (pos < index.size()) {
    size_t end = index.find('\n', pos);
    if (end == std::string_view::npos) end = index.size();
    std::string_view line = index.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const size_t t1 = line.find('\t');
    const size_t t2 = t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("dictd index line ", line_no, ": expected headword TAB offset TAB length"));
    }
    std::string_view head = line.substr(0, t1);
    std::string_view len_digits = line.substr(t2 + 1);
    if (size_t t3 = len_digits.find('\t'); t3 != std::string_view::npos) {
      len_digits = len_digits.substr(0, t3);  // dictd allows extra columns
    }
    absl::StatusOr<uint64_t> off = DecodeDictdNumber(line.substr(t1 + 1, t2 - t1 - 1));
    absl::StatusOr<uint64_t> len = DecodeDictdNumber(len_digits);
    if (!off.ok() || !len.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("dictd index line ", line_no, ": bad offset or length"));
    }
    if (*off > db.text_->size() || *len > db.text_->size() - *off) {
      return absl::InvalidArgumentError(
          absl::StrCat("dictd index line ", line_no, ": entry lies outside the dictionary"));
    }
    if (head.substr(0, 10) == "00database" || head.substr(0, 11) == "00-database") continue;
    raw.push_back({db.headwords_->size(), head.size(), *off, *len});
    db.headwords_->append(head);
  }
  db.entries_.reserve(raw.size());
  for (const Raw& r : raw) {
    db.entries_.push_back({std::string_view(*db.headwords_).substr(r.head_begin, r.head_len),
                           std::string_view(*db.text_).substr(r.off, r.len)});
  }
  return db;
}

}  // namespace qantara::align
