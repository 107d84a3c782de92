// Reading dictd databases (NAME.index + NAME.dict.dz), the format Debian's
// FreeDict packages install under /usr/share/dictd.
//
// NAME.index: one line per headword, `headword TAB offset TAB length`, offset
// and length in dictd's base64 (alphabet A-Za-z0-9+/, most significant digit
// first). NAME.dict.dz: dictzip, i.e. gzip; the whole file is inflated once
// with zlib and entries are slices of it.
#ifndef QANTARA_SERVICE_ALIGN_DICTD_H_
#define QANTARA_SERVICE_ALIGN_DICTD_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace qantara::align {

// Decodes one dictd base64 number ("B" = 1, "BA" = 64). InvalidArgument on
// an empty string, a character outside the alphabet, or overflow.
absl::StatusOr<uint64_t> DecodeDictdNumber(std::string_view digits);

// Inflates a gzip (or dictzip) byte string. InvalidArgument when it is not
// gzip or is truncated.
absl::StatusOr<std::string> Gunzip(std::string_view compressed);

// One headword and its raw entry text (headword line, IPA, senses).
struct DictdEntry {
  std::string_view headword;
  std::string_view text;
};

// A loaded dictd database. Entries whose headword starts with "00database"
// (metadata) are skipped.
class DictdDatabase {
 public:
  // Loads `index_path` and `dict_path` (gzip'd, as .dict.dz, or plain).
  // NotFound when a file is missing; InvalidArgument when an index line is
  // malformed or points outside the dictionary text.
  static absl::StatusOr<DictdDatabase> Load(const std::string& index_path, const std::string& dict_path);
  // Same from bytes already in memory (the dict bytes gzip'd or plain).
  static absl::StatusOr<DictdDatabase> FromBytes(std::string_view index, std::string dict);

  DictdDatabase(DictdDatabase&&) = default;
  DictdDatabase& operator=(DictdDatabase&&) = default;

  // The entries in index order. The views point into this object.
  const std::vector<DictdEntry>& entries() const { return entries_; }

 private:
  DictdDatabase() = default;
  // Heap-held so that moving the database keeps the entry views valid.
  std::unique_ptr<std::string> text_;       // the inflated dictionary
  std::unique_ptr<std::string> headwords_;  // headwords, back to back
  std::vector<DictdEntry> entries_;
};

// Reads a whole file. NotFound / Internal on failure.
absl::StatusOr<std::string> ReadFileBytes(const std::string& path);

}  // namespace qantara::align

#endif  // QANTARA_SERVICE_ALIGN_DICTD_H_
