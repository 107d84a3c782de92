// Parsing and formatting TMX dates ("YYYYMMDDThhmmssZ", UTC) as seconds since
// the epoch, with civil-calendar arithmetic and no time zone library.
#include "service/formats/tmx_date.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace qantara::formats {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

bool Digits(std::string_view s, size_t pos, size_t n, unsigned* out) {
  unsigned v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + static_cast<unsigned>(s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

absl::StatusOr<int64_t> ParseTmxDate(std::string_view text) {
  auto bad = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid TMX date '", std::string(text.substr(0, 40)), "' (expected YYYYMMDDThhmmssZ)"));
  };
  if (text.size() != 16 && text.size() != 15) return bad();
  if (text[8] != 'T' || (text.size() == 16 && text[15] != 'Z')) return bad();
  unsigned y, mo, d, h, mi, s;
  if (!Digits(text, 0, 4, &y) || !Digits(text, 4, 2, &mo) || !Digits(text, 6, 2, &d) ||
      !Digits(text, 9, 2, &h) || !Digits(text, 11, 2, &mi) || !Digits(text, 13, 2, &s)) {
    return bad();
  }
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return bad();
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  const unsigned dim = kDays[mo - 1] + (mo == 2 && leap ? 1 : 0);
  if (d > dim) return bad();
  return DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

std::string FormatTmxDate(int64_t seconds) {
  int64_t days = seconds / 86400;
  int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[17];
  auto put = [&buf](int pos, int width, int64_t v) {
    for (int k = pos + width - 1; k >= pos; --k) {
      buf[k] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
  };
  put(0, 4, y);
  put(4, 2, m);
  put(6, 2, d);
  buf[8] = 'T';
  put(9, 2, rem / 3600);
  put(11, 2, rem / 60 % 60);
  put(13, 2, rem % 60);
  buf[15] = 'Z';
  buf[16] = '\0';
  return buf;
}

}  // namespace qantara::formats
