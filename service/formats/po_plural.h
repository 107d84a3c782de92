// The plural-form index of a count under a PO header's Plural-Forms
// expression, e.g. Arabic's
//   nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;
// so that a PO reader knows which msgstr[i] translates the singular msgid
// (index 1 in Arabic, 0 in English).
//
// The expression language is gettext's: the variable n, decimal numbers,
// parentheses, ! * / % + - < > <= >= == != && || and ?:, with C's precedence,
// on unsigned integers. The header comes from a file, so the expression is
// bounded (at most 1,000 bytes, nesting at most 64 deep) and division by zero
// is an error, not a crash.
#ifndef QANTARA_SERVICE_FORMATS_PO_PLURAL_H_
#define QANTARA_SERVICE_FORMATS_PO_PLURAL_H_

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"

namespace qantara::formats {

struct PluralForms {
  int nplurals = 2;
  // The form of n=1 (the singular msgid's msgstr index).
  int singular_index = 0;
};

// Reads a Plural-Forms header value ("nplurals=N; plural=EXPR;"). nplurals
// must be 1-100 and EXPR(1) below it. InvalidArgument says what is wrong.
absl::StatusOr<PluralForms> ParsePluralForms(std::string_view header_value);

// EXPR evaluated for `n`.
absl::StatusOr<uint64_t> EvaluatePlural(std::string_view expression, uint64_t n);

}  // namespace qantara::formats

#endif  // QANTARA_SERVICE_FORMATS_PO_PLURAL_H_
