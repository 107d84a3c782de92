// Rendering the memory commands' results as text or JSON (see render_memory.h).
#include "clients/cli/render_memory.h"

#include <cstdarg>
#include <cstdio>
#include <utility>
#include <vector>

#include "clients/cli/mark.h"
#include "clients/cli/render_backup.h"
#include "nlohmann/json.hpp"

namespace qantara::cli {
namespace {

namespace v1 = qantara::v1;

// printf into a string.
std::string Format(const char* format, ...) __attribute__((format(printf, 1, 2)));
std::string Format(const char* format, ...) {
  va_list args;
  va_start(args, format);
  va_list copy;
  va_copy(copy, args);
  const int n = std::vsnprintf(nullptr, 0, format, copy);
  va_end(copy);
  std::string out(n > 0 ? static_cast<size_t>(n) : 0, '\0');
  if (n > 0) std::vsnprintf(out.data(), out.size() + 1, format, args);
  va_end(args);
  return out;
}

// JSON text (invalid UTF-8 replaced), two-space indent, a final newline.
std::string Dump(const nlohmann::ordered_json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

unsigned long long U(uint64_t n) { return static_cast<unsigned long long>(n); }

nlohmann::ordered_json LookupJson(const v1::LookupResponse& resp) {
  nlohmann::ordered_json j;
  j["matches"] = nlohmann::ordered_json::array();
  for (const auto& m : resp.matches()) {
    nlohmann::ordered_json mj;
    mj["score"] = m.score();
    mj["gross_score"] = m.gross_score();
    mj["penalties"] = nlohmann::ordered_json::array();
    for (const auto& p : m.penalties()) {
      mj["penalties"].push_back({{"kind", p.kind()}, {"points", p.points()}});
    }
    mj["source"] = m.source();
    mj["target"] = m.target();
    mj["unit_id"] = std::to_string(m.unit_id());
    mj["memory"] = m.memory();
    mj["edits"] = m.edits();
    mj["adapted"] = m.adapted();
    if (m.adapted()) mj["adapted_target"] = m.adapted_target();
    mj["diffs"] = nlohmann::ordered_json::array();
    for (const auto& d : m.diffs()) {
      mj["diffs"].push_back({{"kind", d.kind()},
                             {"query", {d.query_begin(), d.query_end()}},
                             {"source", {d.source_begin(), d.source_end()}}});
    }
    mj["changed_at_us"] = Micros(m.unit().update_time());
    mj["changed_by"] = m.unit().changed_by();
    j["matches"].push_back(std::move(mj));
  }
  j["candidates_scored"] = resp.candidates_scored();
  return j;
}

nlohmann::ordered_json MemoryJson(const v1::Memory& m) {
  nlohmann::ordered_json j;
  j["name"] = m.name();
  j["source_lang"] = m.source_lang();
  j["target_lang"] = m.target_lang();
  j["units"] = m.units();
  j["description"] = m.description();
  j["created_at_us"] = Micros(m.create_time());
  return j;
}

}  // namespace

std::string RenderLookup(const v1::LookupResponse& resp, const LookupArgs& args) {
  if (args.json) return Dump(LookupJson(resp));
  std::string out;
  if (resp.matches().empty()) out += Format("no match at or above %g\n", args.threshold);
  for (const auto& m : resp.matches()) {
    std::vector<std::pair<uint32_t, uint32_t>> spans;
    for (const auto& d : m.diffs()) spans.emplace_back(d.source_begin(), d.source_end());
    std::string penalties;
    for (const auto& p : m.penalties()) {
      penalties +=
          (penalties.empty() ? "" : ", ") + p.kind() + " -" + std::to_string(static_cast<int>(p.points()));
    }
    out += Format("%5.1f  (gross %.1f%s%s)  unit %llu in %s\n", m.score(), m.gross_score(),
                  penalties.empty() ? "" : "; ", penalties.c_str(), U(m.unit_id()), m.memory().c_str());
    out += "   source: " + Mark(m.source(), spans) + "\n";
    out += "   target: " + m.target() + "\n";
    if (m.adapted()) out += "  adapted: " + m.adapted_target() + "\n";
  }
  out += Format("(%llu candidates scored)\n", U(resp.candidates_scored()));
  return out;
}

std::string RenderConcordance(const v1::ConcordanceResponse& resp, const ConcordanceArgs& args) {
  if (args.json) {
    nlohmann::ordered_json j;
    j["hits"] = nlohmann::ordered_json::array();
    for (const auto& h : resp.hits()) {
      nlohmann::ordered_json hj;
      hj["unit_id"] = std::to_string(h.unit().unit_id());
      hj["source"] = h.unit().source();
      hj["target"] = h.unit().target();
      hj["spans"] = nlohmann::ordered_json::array();
      for (const auto& s : h.spans()) hj["spans"].push_back({s.begin(), s.end()});
      j["hits"].push_back(std::move(hj));
    }
    j["next_page_token"] = resp.next_page_token();
    return Dump(j);
  }
  std::string out;
  for (const auto& h : resp.hits()) {
    std::vector<std::pair<uint32_t, uint32_t>> spans;
    for (const auto& s : h.spans()) spans.emplace_back(s.begin(), s.end());
    const std::string& searched = args.target ? h.unit().target() : h.unit().source();
    const std::string& other = args.target ? h.unit().source() : h.unit().target();
    out += std::to_string(h.unit().unit_id()) + "\t" + Mark(searched, spans) + "\t" + other + "\n";
  }
  if (!resp.next_page_token().empty()) {
    out += "(more: --page-token " + resp.next_page_token() + ")\n";
  }
  return out;
}

std::string RenderFragments(const v1::FragmentsResponse& resp, const FragmentsArgs& args) {
  if (args.json) {
    nlohmann::ordered_json j;
    j["fragments"] = nlohmann::ordered_json::array();
    for (const auto& f : resp.fragments()) {
      nlohmann::ordered_json fj;
      fj["source"] = f.source();
      fj["target"] = f.target();
      fj["confidence"] = f.confidence();
      fj["unit_ids"] = nlohmann::ordered_json::array();
      for (uint64_t id : f.unit_ids()) fj["unit_ids"].push_back(std::to_string(id));
      fj["supporting_units"] = f.supporting_units();
      fj["source_span"] = {f.source_span().begin(), f.source_span().end()};
      fj["first_word"] = f.first_word();
      fj["words"] = f.words();
      j["fragments"].push_back(std::move(fj));
    }
    j["text_words"] = resp.text_words();
    j["covered_words"] = resp.covered_words();
    return Dump(j);
  }
  std::string out;
  for (const auto& f : resp.fragments()) {
    std::string ids;
    for (uint64_t id : f.unit_ids()) {
      if (!ids.empty()) ids += ',';
      ids += std::to_string(id);
    }
    out += Format("%.2f\t%s\t%s\tunits %s (of %u)\n", f.confidence(), f.source().c_str(), f.target().c_str(),
                  ids.c_str(), f.supporting_units());
  }
  out += Format("(%u of %u words covered)\n", resp.covered_words(), resp.text_words());
  return out;
}

std::string RenderMemoryList(const v1::ListMemoriesResponse& resp, bool json) {
  if (json) {
    nlohmann::ordered_json j = nlohmann::ordered_json::array();
    for (const auto& m : resp.memories()) j.push_back(MemoryJson(m));
    return Dump(j);
  }
  std::string out;
  for (const auto& m : resp.memories()) {
    out += m.name() + "\t" + m.source_lang() + " -> " + m.target_lang() + "\t" + std::to_string(m.units()) +
           " units\n";
  }
  return out;
}

std::string RenderMemory(const v1::Memory& m, bool json) {
  if (json) return Dump(MemoryJson(m));
  return "name: " + m.name() + "\nlanguages: " + m.source_lang() + " -> " + m.target_lang() +
         "\nunits: " + std::to_string(m.units()) + "\ndescription: " + m.description() + "\n";
}

std::string RenderMemoryCreated(const v1::Memory& m) {
  return "created memory " + m.name() + " (" + m.source_lang() + " -> " + m.target_lang() + ")\n";
}

std::string RenderMemoryDeleted(const std::string& name, const v1::DeleteMemoryResponse& resp) {
  return "deleted memory " + name + " (" + std::to_string(resp.units_deleted()) + " units)\n";
}

std::string RenderAddUnit(const v1::AddUnitResponse& resp) {
  const char* what = resp.outcome() == v1::ADD_OUTCOME_ADDED     ? "added"
                     : resp.outcome() == v1::ADD_OUTCOME_SKIPPED ? "skipped (identical unit exists)"
                                                                 : "overwrote target of";
  return std::string(what) + " unit " + std::to_string(resp.unit_id()) + "\n";
}

std::string RenderAddUnits(const v1::AddUnitsResponse& resp) {
  return Format("added %llu, skipped %llu, overwritten %llu\n", U(resp.added()), U(resp.skipped()),
                U(resp.overwritten()));
}

}  // namespace qantara::cli
