// Origin names of translation units (parsed and printed) and the unit filter
// applied to lookups and concordance.
#include "service/match/unit.h"

#include "absl/strings/str_cat.h"

namespace qantara::match {

std::string_view OriginName(Origin origin) {
  switch (origin) {
    case Origin::kManual: return "manual";
    case Origin::kImport: return "import";
    case Origin::kAlignment: return "alignment";
  }
  return "manual";
}

absl::StatusOr<Origin> ParseOrigin(std::string_view name) {
  if (name == "manual" || name.empty()) return Origin::kManual;
  if (name == "import") return Origin::kImport;
  if (name == "alignment") return Origin::kAlignment;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown origin '", std::string(name), "' (manual, import or alignment)"));
}

bool UnitFilter::empty() const {
  return project.empty() && domain.empty() && client.empty() && extra.empty() && changed_after_us == 0 &&
         changed_before_us == 0 && min_alignment_confidence <= 0;
}

bool UnitFilter::Matches(const Unit& u) const {
  if (!project.empty() && u.attributes.project != project) return false;
  if (!domain.empty() && u.attributes.domain != domain) return false;
  if (!client.empty() && u.attributes.client != client) return false;
  for (const auto& [k, v] : extra) {
    auto it = u.attributes.extra.find(k);
    if (it == u.attributes.extra.end() || it->second != v) return false;
  }
  if (changed_after_us != 0 && u.changed_at_us < changed_after_us) return false;
  if (changed_before_us != 0 && u.changed_at_us >= changed_before_us) return false;
  if (min_alignment_confidence > 0 && u.origin == Origin::kAlignment &&
      u.alignment_confidence < min_alignment_confidence) {
    return false;
  }
  return true;
}

}  // namespace qantara::match
