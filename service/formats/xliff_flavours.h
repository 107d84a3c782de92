// Private to the XLIFF reader: what a unit's (or segment's) status says,
// whichever tool wrote it, turned into "taken", "taken and final", or
// "skipped because ...". The table of the mappings is in xliff_reader.h.
#ifndef QANTARA_SERVICE_FORMATS_XLIFF_FLAVOURS_H_
#define QANTARA_SERVICE_FORMATS_XLIFF_FLAVOURS_H_

#include <optional>
#include <string>

namespace qantara::formats::xliff_internal {

// XML namespaces of the CAT tools' extensions, as expat names them
// ("URI|local").
inline constexpr char kSdlNs[] = "http://sdl.com/FileTypes/SdlXliff/1.0";
inline constexpr char kMemoqNs[] = "MQXliff";
inline constexpr char kPhraseNs[] = "http://www.memsource.com/mxlf/2.0";
inline constexpr char kSdlSegDefs[] = "http://sdl.com/FileTypes/SdlXliff/1.0|seg-defs";
inline constexpr char kSdlSeg[] = "http://sdl.com/FileTypes/SdlXliff/1.0|seg";
inline constexpr char kMemoqStatus[] = "MQXliff|status";
inline constexpr char kPhraseConfirmed[] = "http://www.memsource.com/mxlf/2.0|confirmed";

// Everything a unit or segment says of its status; the first tool status that
// is set decides (Trados, then memoQ, then Phrase), else the XLIFF state.
struct UnitStatus {
  int version = 1;                         // XLIFF 1 or 2
  std::string state;                       // 1.2 <target state>, 2.x <segment state>
  bool approved = false;                   // 1.2 approved="yes"
  std::optional<std::string> sdl_conf;     // Trados <sdl:seg conf> ("" when the sdl:seg has none)
  std::optional<std::string> mq_status;    // memoQ <trans-unit mq:status>
  std::optional<std::string> m_confirmed;  // Phrase <trans-unit m:confirmed>
};

struct StatusVerdict {
  bool taken = false;  // a translation (when not only final ones are asked for)
  bool final = false;  // a confirmed / approved / final translation
  // Why it is not taken, or (when taken) why it is not final: one phrase
  // naming the status, e.g. `not confirmed (Trados conf="Draft")`.
  std::string why;
};

StatusVerdict JudgeStatus(const UnitStatus& status);

}  // namespace qantara::formats::xliff_internal

#endif  // QANTARA_SERVICE_FORMATS_XLIFF_FLAVOURS_H_
