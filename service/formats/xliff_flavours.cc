// The status mappings of xliff_reader.h's table: XLIFF 1.2 state/approved,
// 2.x segment state, Trados sdl:seg conf, memoQ mq:status, Phrase m:confirmed.
#include "service/formats/xliff_flavours.h"

#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"

namespace qantara::formats::xliff_internal {
namespace {

StatusVerdict Taken(bool final, std::string why_not_final = {}) {
  return {true, final, final ? std::string() : std::move(why_not_final)};
}
StatusVerdict Skipped(std::string why) { return {false, false, std::move(why)}; }

std::string Quoted(std::string_view attr, const std::string& value) {
  return absl::StrCat(std::string(attr), "=\"", value.substr(0, 40), "\"");
}

// Trados Studio's confirmation levels (sdl:seg conf).
StatusVerdict Trados(const std::string& conf) {
  const std::string q = absl::StrCat("Trados ", Quoted("conf", conf));
  if (conf.empty()) return Skipped("not translated (Trados: no conf)");
  if (conf == "Translated") return Taken(false, absl::StrCat("not approved (", q, ")"));
  if (conf == "ApprovedTranslation" || conf == "ApprovedSignOff") return Taken(true);
  if (conf == "Draft") return Skipped(absl::StrCat("not confirmed (", q, ")"));
  if (conf == "RejectedTranslation" || conf == "RejectedSignOff")
    return Skipped(absl::StrCat("rejected (", q, ")"));
  return Skipped(absl::StrCat("unknown status (", q, ")"));
}

// memoQ's row statuses (mq:status).
StatusVerdict Memoq(const std::string& status) {
  const std::string q = absl::StrCat("memoQ ", Quoted("mq:status", status));
  if (status == "Reviewer1Confirmed" || status == "Reviewer2Confirmed" || status == "Proofread") {
    return Taken(true);
  }
  if (status == "ManuallyConfirmed") return Taken(false, absl::StrCat("not reviewed (", q, ")"));
  if (status.empty() || status == "NotStarted") return Skipped(absl::StrCat("not translated (", q, ")"));
  if (status == "Rejected") return Skipped(absl::StrCat("rejected (", q, ")"));
  // PartiallyEdited, MachineTranslated, Pretranslated, AssembledFromFragments...
  return Skipped(absl::StrCat("not confirmed (", q, ")"));
}

// Phrase (Memsource): one confirmation per workflow step (m:level).
StatusVerdict Phrase(const std::string& confirmed) {
  if (confirmed == "1" || confirmed == "true") return Taken(true);
  return Skipped(absl::StrCat("not confirmed (Phrase ", Quoted("m:confirmed", confirmed), ")"));
}

}  // namespace

StatusVerdict JudgeStatus(const UnitStatus& s) {
  if (s.sdl_conf.has_value()) return Trados(*s.sdl_conf);
  if (s.mq_status.has_value()) return Memoq(*s.mq_status);
  if (s.m_confirmed.has_value()) return Phrase(*s.m_confirmed);
  const std::string& state = s.state;
  if (state == "new" || state == "needs-translation" || state == "initial") {
    return Skipped(absl::StrCat("not translated (", Quoted("state", state), ")"));
  }
  const bool final =
      s.version == 1 ? (s.approved || state == "final" || state == "signed-off") : state == "final";
  return Taken(final, absl::StrCat("not confirmed (state=\"", state.empty() ? "none" : state.substr(0, 40),
                                   "\"", s.version == 1 ? ", not approved" : "", ")"));
}

}  // namespace qantara::formats::xliff_internal
