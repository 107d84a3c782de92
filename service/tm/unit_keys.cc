// The matching keys of a unit (service/tm/unit_keys.h).
#include "service/tm/unit_keys.h"

#include <memory>
#include <utility>

#include "service/base/status_macros.h"

namespace qantara::tm {

absl::StatusOr<match::UnitKeysPtr> MakeUnitKeys(const match::Analyzer& analyzer,
                                                const LanguagePair& languages, const match::Unit& u,
                                                int64_t now_us) {
  QANTARA_ASSIGN_OR_RETURN(match::SideKey source, analyzer.AnalyzeKey(u.source, languages.source));
  QANTARA_ASSIGN_OR_RETURN(match::SideKey target, analyzer.AnalyzeKey(u.target, languages.target));
  auto keys = std::make_shared<match::UnitKeys>();
  keys->source = std::move(source);
  keys->target = std::move(target);
  keys->changed_at_us = u.changed_at_us != 0   ? u.changed_at_us
                        : u.created_at_us != 0 ? u.created_at_us
                                               : now_us;
  return match::UnitKeysPtr(std::move(keys));
}

std::function<absl::StatusOr<match::UnitKeysPtr>(const storage::MemoryInfo&, const match::Unit&)> UnitRekeyer(
    const match::Analyzer& analyzer) {
  return [&analyzer](const storage::MemoryInfo& memory,
                     const match::Unit& unit) -> absl::StatusOr<match::UnitKeysPtr> {
    QANTARA_ASSIGN_OR_RETURN(const LanguagePair languages,
                             ParseLanguagePair(memory.source_lang, memory.target_lang));
    return MakeUnitKeys(analyzer, languages, unit);
  };
}

}  // namespace qantara::tm
