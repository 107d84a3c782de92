// The <header> of a TMX 1.4b file.
#ifndef QANTARA_SERVICE_FORMATS_TMX_HEADER_H_
#define QANTARA_SERVICE_FORMATS_TMX_HEADER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "service/formats/translation_unit.h"

namespace qantara::formats {

struct TmxHeader {
  std::string creation_tool = "qantara";
  std::string creation_tool_version = "0.1.0";
  std::string segtype = "sentence";  // block | paragraph | sentence | phrase
  std::string o_tmf = "qantara";
  std::string adminlang = "en";
  std::string srclang = "en";  // a language tag or "*all*"
  std::string datatype = "plaintext";
  std::optional<int64_t> creation_date;  // seconds since the Unix epoch
  std::string creation_id;
  std::optional<int64_t> change_date;
  std::string change_id;
  std::vector<Property> props;
  std::vector<std::string> notes;

  bool operator==(const TmxHeader&) const = default;
};

}  // namespace qantara::formats

#endif  // QANTARA_SERVICE_FORMATS_TMX_HEADER_H_
