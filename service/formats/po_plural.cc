// A recursive-descent evaluator of gettext plural expressions (C precedence,
// unsigned arithmetic), evaluating as it parses: both arms of ?: are parsed
// and evaluated (they have no side effects), only the chosen one is kept.
#include "service/formats/po_plural.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace qantara::formats {
namespace {

constexpr size_t kMaxExpressionBytes = 1000;
constexpr int kMaxDepth = 64;

class Evaluator {
 public:
  Evaluator(std::string_view text, uint64_t n) : text_(text), n_(n) {}

  absl::StatusOr<uint64_t> Run() {
    const uint64_t v = Conditional();
    Skip();
    if (error_.empty() && pos_ < text_.size()) Fail("unexpected text");
    if (!error_.empty()) return absl::InvalidArgumentError(error_);
    return v;
  }

 private:
  void Fail(std::string_view what) {
    if (error_.empty()) error_ = absl::StrCat("plural expression: ", std::string(what), " at byte ", pos_);
  }
  void Skip() {
    while (pos_ < text_.size() && absl::ascii_isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  // Consumes `op` when it comes next (and is not the start of a longer
  // operator that `longer` names, e.g. "<" before "<=").
  bool Take(std::string_view op, std::string_view longer = "") {
    Skip();
    if (!longer.empty() && text_.substr(pos_, longer.size()) == longer) return false;
    if (text_.substr(pos_, op.size()) != op) return false;
    pos_ += op.size();
    return true;
  }

  uint64_t Conditional() {
    if (++depth_ > kMaxDepth) {
      Fail("nested too deep");
      return 0;
    }
    const uint64_t c = Or();
    uint64_t v = c;
    if (Take("?")) {
      const uint64_t a = Conditional();
      if (!Take(":")) Fail("expected ':'");
      const uint64_t b = Conditional();
      v = c != 0 ? a : b;
    }
    --depth_;
    return v;
  }
  uint64_t Or() {
    uint64_t v = And();
    while (error_.empty() && Take("||")) v = (And() != 0) || v != 0 ? 1 : 0;
    return v;
  }
  uint64_t And() {
    uint64_t v = Equality();
    while (error_.empty() && Take("&&")) v = (Equality() != 0) && v != 0 ? 1 : 0;
    return v;
  }
  uint64_t Equality() {
    uint64_t v = Relation();
    while (error_.empty()) {
      if (Take("==")) {
        v = v == Relation() ? 1 : 0;
      } else if (Take("!=")) {
        v = v != Relation() ? 1 : 0;
      } else {
        break;
      }
    }
    return v;
  }
  uint64_t Relation() {
    uint64_t v = Additive();
    while (error_.empty()) {
      if (Take("<=")) {
        v = v <= Additive() ? 1 : 0;
      } else if (Take(">=")) {
        v = v >= Additive() ? 1 : 0;
      } else if (Take("<")) {
        v = v < Additive() ? 1 : 0;
      } else if (Take(">")) {
        v = v > Additive() ? 1 : 0;
      } else {
        break;
      }
    }
    return v;
  }
  uint64_t Additive() {
    uint64_t v = Multiplicative();
    while (error_.empty()) {
      if (Take("+")) {
        v += Multiplicative();
      } else if (Take("-")) {
        v -= Multiplicative();
      } else {
        break;
      }
    }
    return v;
  }
  uint64_t Multiplicative() {
    uint64_t v = Unary();
    while (error_.empty()) {
      const bool mul = Take("*");
      const bool div = !mul && Take("/");
      const bool mod = !mul && !div && Take("%");
      if (!mul && !div && !mod) break;
      const uint64_t r = Unary();
      if (mul) {
        v *= r;
      } else if (r == 0) {
        Fail("division by zero");
        return 0;
      } else {
        v = div ? v / r : v % r;
      }
    }
    return v;
  }
  uint64_t Unary() {
    if (Take("!", "!=")) return Unary() == 0 ? 1 : 0;
    return Primary();
  }
  uint64_t Primary() {
    Skip();
    if (pos_ >= text_.size()) {
      Fail("unexpected end");
      return 0;
    }
    const char c = text_[pos_];
    if (c == 'n') {
      ++pos_;
      return n_;
    }
    if (c == '(') {
      ++pos_;
      const uint64_t v = Conditional();
      if (!Take(")")) Fail("expected ')'");
      return v;
    }
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      const size_t start = pos_;
      while (pos_ < text_.size() && absl::ascii_isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
      uint64_t v = 0;
      if (!absl::SimpleAtoi(absl::string_view(text_.data() + start, pos_ - start), &v))
        Fail("number too large");
      return v;
    }
    Fail(absl::StrCat("unexpected '", absl::CHexEscape(std::string(1, c)), "'"));
    return 0;
  }

  std::string_view text_;
  const uint64_t n_;
  size_t pos_ = 0;
  int depth_ = 0;
  std::string error_;
};

}  // namespace

absl::StatusOr<uint64_t> EvaluatePlural(std::string_view expression, uint64_t n) {
  if (expression.size() > kMaxExpressionBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("plural expression: longer than ", kMaxExpressionBytes, " bytes"));
  }
  return Evaluator(expression, n).Run();
}

absl::StatusOr<PluralForms> ParsePluralForms(std::string_view header_value) {
  PluralForms out;
  absl::string_view expression;
  bool has_nplurals = false;
  for (absl::string_view rest(header_value.data(), header_value.size()); !rest.empty();) {
    const size_t semi = rest.find(';');
    absl::string_view part = absl::StripAsciiWhitespace(rest.substr(0, semi));
    rest = semi == absl::string_view::npos ? absl::string_view() : rest.substr(semi + 1);
    if (absl::ConsumePrefix(&part, "nplurals")) {
      part = absl::StripLeadingAsciiWhitespace(part);
      if (!absl::ConsumePrefix(&part, "=") || !absl::SimpleAtoi(part, &out.nplurals) || out.nplurals < 1 ||
          out.nplurals > 100) {
        return absl::InvalidArgumentError("Plural-Forms: nplurals must be a number 1-100");
      }
      has_nplurals = true;
    } else if (absl::ConsumePrefix(&part, "plural")) {
      part = absl::StripLeadingAsciiWhitespace(part);
      if (!absl::ConsumePrefix(&part, "="))
        return absl::InvalidArgumentError("Plural-Forms: plural= expected");
      expression = part;
    }
  }
  if (!has_nplurals) return absl::InvalidArgumentError("Plural-Forms: no nplurals");
  if (expression.empty()) {
    if (out.nplurals != 1) return absl::InvalidArgumentError("Plural-Forms: no plural= expression");
    return out;
  }
  absl::StatusOr<uint64_t> one = EvaluatePlural(std::string_view(expression.data(), expression.size()), 1);
  if (!one.ok())
    return absl::InvalidArgumentError(absl::StrCat("Plural-Forms: ", std::string(one.status().message())));
  if (*one >= static_cast<uint64_t>(out.nplurals)) {
    return absl::InvalidArgumentError(
        absl::StrCat("Plural-Forms: plural(1) is ", *one, ", not below nplurals=", out.nplurals));
  }
  out.singular_index = static_cast<int>(*one);
  return out;
}

}  // namespace qantara::formats
