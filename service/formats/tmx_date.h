// TMX dates: ISO 8601 basic format in UTC, "YYYYMMDDThhmmssZ".
#ifndef QANTARA_SERVICE_FORMATS_TMX_DATE_H_
#define QANTARA_SERVICE_FORMATS_TMX_DATE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace qantara::formats {

// Parses "20240131T235959Z" into seconds since the Unix epoch. Also accepts
// the date without the final 'Z' (some tools omit it; TMX dates are UTC).
// Returns InvalidArgument for anything else, including impossible dates
// (month 13, February 30, hour 24...).
absl::StatusOr<int64_t> ParseTmxDate(std::string_view text);

// Formats seconds since the Unix epoch as "YYYYMMDDThhmmssZ".
// REQUIRES: the date falls in years 0000..9999.
std::string FormatTmxDate(int64_t seconds);

}  // namespace qantara::formats

#endif  // QANTARA_SERVICE_FORMATS_TMX_DATE_H_
