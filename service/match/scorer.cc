// Scoring one unit against a query: the gross score from token edits, the
// penalties, the diff spans and the substitution of the query's numbers.
#include "service/match/scorer.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "service/text/utf8.h"

namespace qantara::match {

double GrossScore(uint32_t edits, size_t m, size_t n) {
  const size_t longest = std::max(m, n);
  if (longest == 0) return 100.0;
  return 100.0 * static_cast<double>(longest - std::min<size_t>(edits, longest)) /
         static_cast<double>(longest);
}

double GrossScoreOfCost(double cost, size_t m, size_t n) {
  const size_t longest = std::max(m, n);
  if (longest == 0) return 100.0;
  const double l = static_cast<double>(longest);
  return 100.0 * (l - std::clamp(cost, 0.0, l)) / l;
}

int64_t MaxEdits(size_t m, size_t n, double threshold) {
  const size_t longest = std::max(m, n);
  if (threshold > 100.0) return -1;
  if (longest == 0) return 0;
  // Largest e with GrossScore(e) >= threshold; checked exactly against GrossScore.
  int64_t e = static_cast<int64_t>(std::floor(longest * (100.0 - threshold) / 100.0 + 1e-9));
  e = std::clamp<int64_t>(e, 0, longest);
  while (e > 0 && GrossScore(e, m, n) < threshold) --e;
  while (e < static_cast<int64_t>(longest) && GrossScore(e + 1, m, n) >= threshold) ++e;
  if (GrossScore(e, m, n) < threshold) return -1;
  return e;
}

KeyScore ScoreKeys(const SideKey& q, const SideKey& u, const std::vector<EditOp>& ops,
                   const TypoCosts* typos) {
  KeyScore s;
  bool case_diff = false, ortho_diff = false;
  uint32_t number_diffs = 0, form_diffs = 0;
  const uint64_t number_key = NumberKey();
  for (const EditOp& op : ops) {
    if (op.kind != EditOp::kMatch) {
      ++s.edits;
      s.cost += op.kind == EditOp::kSubstitute && typos != nullptr
                    ? typos->Cost(q.tokens[op.a_index].key, u.tokens[op.b_index].key)
                    : 1.0;
      continue;
    }
    const MatchToken& a = q.tokens[op.a_index];
    const MatchToken& b = u.tokens[op.b_index];
    if (a.surface == b.surface) continue;
    ++form_diffs;
    if (a.key == number_key) {
      ++number_diffs;
    } else if (a.folded == b.folded) {
      case_diff = true;
    } else {
      ortho_diff = true;
    }
  }
  s.gross = GrossScoreOfCost(s.cost, q.tokens.size(), u.tokens.size());
  auto add = [&](std::string_view kind, double points) {
    if (points <= 0) return;
    s.penalties.push_back(Penalty{std::string(kind), points});
    s.penalty_points += points;
  };
  add(kPenaltyCase, case_diff ? 1 : 0);
  add(kPenaltyOrthography, ortho_diff ? 1 : 0);
  add(kPenaltyNumber, 2.0 * number_diffs);
  const uint32_t punct = CharDistance(q.punctuation, u.punctuation);
  const uint32_t codes = CharDistance(q.inline_codes, u.inline_codes);
  const uint32_t spaces = CharDistance(q.whitespace, u.whitespace);
  add(kPenaltyPunctuation, punct);
  add(kPenaltyInlineCode, codes);
  add(kPenaltyWhitespace, spaces);
  s.raw_distance = s.edits + form_diffs + punct + codes + spaces;
  s.form_diffs = form_diffs;
  s.only_numbers_differ = s.edits == 0 && number_diffs > 0 && !case_diff && !ortho_diff && punct == 0 &&
                          codes == 0 && spaces == 0;
  return s;
}

std::string_view DiffKindName(DiffSpan::Kind kind) {
  switch (kind) {
    case DiffSpan::kReplace: return "replace";
    case DiffSpan::kDelete: return "delete";
    case DiffSpan::kInsert: return "insert";
    case DiffSpan::kForm: return "form";
  }
  return "replace";
}

std::vector<DiffSpan> DiffSpans(const AnalyzedSegment& q, const AnalyzedSegment& u,
                                const std::vector<EditOp>& ops) {
  std::vector<DiffSpan> out;
  // Position of "before token i" / "after the last token" in each text.
  auto q_pos = [&](uint32_t i) -> uint32_t {
    if (i < q.spans.size()) return q.spans[i].first;
    return q.spans.empty() ? 0 : q.spans.back().second;
  };
  auto u_pos = [&](uint32_t j) -> uint32_t {
    if (j < u.spans.size()) return u.spans[j].first;
    return u.spans.empty() ? 0 : u.spans.back().second;
  };
  bool open = false;
  DiffSpan cur;
  auto close = [&] {
    if (open) out.push_back(cur);
    open = false;
  };
  for (const EditOp& op : ops) {
    if (op.kind == EditOp::kMatch) {
      close();
      if (op.a_index < q.key.tokens.size() && op.b_index < u.key.tokens.size() &&
          q.key.tokens[op.a_index].surface != u.key.tokens[op.b_index].surface) {
        out.push_back(DiffSpan{DiffSpan::kForm, q.spans[op.a_index].first, q.spans[op.a_index].second,
                               u.spans[op.b_index].first, u.spans[op.b_index].second});
      }
      continue;
    }
    uint32_t qb, qe, ub, ue;
    DiffSpan::Kind kind;
    if (op.kind == EditOp::kSubstitute) {
      kind = DiffSpan::kReplace;
      qb = q.spans[op.a_index].first, qe = q.spans[op.a_index].second;
      ub = u.spans[op.b_index].first, ue = u.spans[op.b_index].second;
    } else if (op.kind == EditOp::kDelete) {
      kind = DiffSpan::kDelete;
      qb = q.spans[op.a_index].first, qe = q.spans[op.a_index].second;
      ub = ue = u_pos(op.b_index);
    } else {
      kind = DiffSpan::kInsert;
      qb = qe = q_pos(op.a_index);
      ub = u.spans[op.b_index].first, ue = u.spans[op.b_index].second;
    }
    if (!open) {
      cur = DiffSpan{kind, qb, qe, ub, ue};
      open = true;
      continue;
    }
    if (cur.kind != kind) cur.kind = DiffSpan::kReplace;
    if (qe > qb) {
      if (cur.query_end == cur.query_begin) cur.query_begin = qb;
      cur.query_end = std::max(cur.query_end, qe);
    }
    if (ue > ub) {
      if (cur.unit_end == cur.unit_begin) cur.unit_begin = ub;
      cur.unit_end = std::max(cur.unit_end, ue);
    }
  }
  close();
  return out;
}

namespace {

std::string Render(const std::string& value, DigitScript script) {
  if (script == DigitScript::kAscii) return value;
  const char32_t zero = script == DigitScript::kArabicIndic ? 0x0660 : 0x06F0;
  std::string out;
  for (char c : value) {
    if (c >= '0' && c <= '9') {
      text::AppendUtf8(zero + (c - '0'), &out);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> AdaptNumbers(const AnalyzedSegment& q, const AnalyzedSegment& u,
                                        const AnalyzedSegment& target) {
  if (q.numbers.size() != u.numbers.size()) return std::nullopt;
  std::map<std::string, std::string> replace;  // unit value -> query value
  for (size_t i = 0; i < q.numbers.size(); ++i) {
    const std::string& from = u.numbers[i].value;
    const std::string& to = q.numbers[i].value;
    if (from == to) continue;
    auto [it, inserted] = replace.emplace(from, to);
    if (!inserted && it->second != to) return std::nullopt;  // ambiguous
  }
  if (replace.empty()) return std::nullopt;
  // Every value to replace must occur in the target.
  for (const auto& [from, to] : replace) {
    bool found = false;
    for (const NumberToken& n : target.numbers) found = found || n.value == from;
    if (!found) return std::nullopt;
  }
  std::string out;
  uint32_t pos = 0;
  for (const NumberToken& n : target.numbers) {
    auto it = replace.find(n.value);
    if (it == replace.end()) continue;
    const auto [b, e] = target.spans[n.token];
    out.append(target.text, pos, b - pos);
    out += Render(it->second, n.script);
    pos = e;
  }
  out.append(target.text, pos, std::string::npos);
  return out;
}

}  // namespace qantara::match
