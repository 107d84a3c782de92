// Normalizer: one pass over the UTF-8 input.
//
// With NFKC on, the input is cut into normalisation segments (a character
// with a boundary before it plus the combining marks that follow); segments
// are independent under NFKC, so each is normalised alone and every byte it
// produces maps back to the segment's first byte. The per-character rules
// then run on NFKC's output. Characters below U+0800 and in General
// Punctuation (U+2000–U+206F) are precomputed into a table at Create(), so
// Arabic and Latin text rarely calls ICU at all.

#include "service/text/normalizer.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "unicode/normalizer2.h"
#include "unicode/uchar.h"
#include "unicode/unistr.h"
#include "unicode/ustring.h"
#include "unicode/utf16.h"
#include "unicode/utf8.h"

namespace qantara::text {

uint32_t NormalizationOptions::Bits() const {
  uint32_t b = 0;
  if (nfkc) b |= kRuleNfkc;
  if (strip_diacritics) b |= kRuleStripDiacritics;
  if (strip_tatweel) b |= kRuleStripTatweel;
  if (strip_format_marks) b |= kRuleStripFormatMarks;
  if (unify_alef) b |= kRuleUnifyAlef;
  if (alef_maqsura_to_ya) b |= kRuleAlefMaqsuraToYa;
  if (ta_marbuta_to_ha) b |= kRuleTaMarbutaToHa;
  if (hamza_carriers) b |= kRuleHamzaCarriers;
  if (fold_digits) b |= kRuleFoldDigits;
  if (fold_case) b |= kRuleFoldCase;
  if (unify_punctuation) b |= kRuleUnifyPunctuation;
  return b;
}

NormalizationOptions NormalizationOptions::All() { return NormalizationOptions(); }

NormalizationOptions NormalizationOptions::None() {
  NormalizationOptions o;
  o.nfkc = o.strip_diacritics = o.strip_tatweel = o.strip_format_marks = false;
  o.unify_alef = o.alef_maqsura_to_ya = o.ta_marbuta_to_ha = o.hamza_carriers = false;
  o.fold_digits = o.fold_case = o.unify_punctuation = false;
  return o;
}

NormalizationOptions NormalizationOptions::FromBits(uint32_t bits) {
  NormalizationOptions o;
  o.nfkc = bits & kRuleNfkc;
  o.strip_diacritics = bits & kRuleStripDiacritics;
  o.strip_tatweel = bits & kRuleStripTatweel;
  o.strip_format_marks = bits & kRuleStripFormatMarks;
  o.unify_alef = bits & kRuleUnifyAlef;
  o.alef_maqsura_to_ya = bits & kRuleAlefMaqsuraToYa;
  o.ta_marbuta_to_ha = bits & kRuleTaMarbutaToHa;
  o.hamza_carriers = bits & kRuleHamzaCarriers;
  o.fold_digits = bits & kRuleFoldDigits;
  o.fold_case = bits & kRuleFoldCase;
  o.unify_punctuation = bits & kRuleUnifyPunctuation;
  return o;
}

std::string_view NormalizationRuleName(NormalizationRule rule) {
  switch (rule) {
    case kRuleNfkc: return "nfkc";
    case kRuleStripDiacritics: return "diacritics";
    case kRuleStripTatweel: return "tatweel";
    case kRuleStripFormatMarks: return "format_marks";
    case kRuleUnifyAlef: return "alef";
    case kRuleAlefMaqsuraToYa: return "alef_maqsura";
    case kRuleTaMarbutaToHa: return "ta_marbuta";
    case kRuleHamzaCarriers: return "hamza";
    case kRuleFoldDigits: return "digits";
    case kRuleFoldCase: return "fold_case";
    case kRuleUnifyPunctuation: return "punctuation";
  }
  return "unknown";
}

std::vector<std::string_view> NormalizationRuleNames(uint32_t bits) {
  std::vector<std::string_view> names;
  for (NormalizationRule r : kAllNormalizationRules) {
    if (bits & r) names.push_back(NormalizationRuleName(r));
  }
  return names;
}

absl::StatusOr<NormalizationRule> ParseNormalizationRule(std::string_view name) {
  std::string n(name);
  for (char& c : n) {
    if (c == '-') c = '_';
  }
  std::string valid;
  for (NormalizationRule r : kAllNormalizationRules) {
    if (n == NormalizationRuleName(r)) return r;
    if (!valid.empty()) valid += ", ";
    valid += std::string(NormalizationRuleName(r));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown normalisation rule '", n, "' (rules: ", valid, ")"));
}

bool IsArabicDiacritic(uint32_t c) {
  return (c >= 0x064B && c <= 0x065F) || c == 0x0670 ||
         (c >= 0x06D6 && c <= 0x06ED && c != 0x06DD && c != 0x06DE && c != 0x06E5 && c != 0x06E6) ||
         (c >= 0x0610 && c <= 0x061A) || (c >= 0x08D3 && c <= 0x08FF && c != 0x08E2);
}

bool IsFormatMark(uint32_t c) {
  return c == 0x061C || (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF || c == 0x00AD;
}

namespace {

void AppendUtf8(UChar32 c, std::string& out) {
  char buf[4];
  int32_t len = 0;
  UBool error = false;
  U8_APPEND(reinterpret_cast<uint8_t*>(buf), len, 4, c, error);
  if (!error) out.append(buf, static_cast<size_t>(len));
}

// Index into the precomputed table, or -1.
inline int TableIndex(UChar32 c) {
  if (c < 0x0800) return c;
  if (c >= 0x2000 && c < 0x2070) return 0x0800 + (c - 0x2000);
  return -1;
}
constexpr int kTableSize = 0x0800 + 0x70;

class NormalizerImpl final : public Normalizer {
 public:
  NormalizerImpl(const NormalizationOptions& options, const icu::Normalizer2* nfkc)
      : options_(options), nfkc_(nfkc) {}

  void BuildTable() {
    for (UChar32 c = 0; c < kTableSize; ++c) {
      const UChar32 cp = c < 0x0800 ? c : 0x2000 + (c - 0x0800);
      Entry& e = table_[c];
      e.offset = static_cast<uint32_t>(pool_.size());
      std::string mapped;
      MapSingle(cp, mapped);
      pool_ += mapped;
      e.length = static_cast<uint8_t>(mapped.size());
      e.flags = 0;
      if (!nfkc_ || nfkc_->hasBoundaryBefore(cp)) e.flags |= kBoundaryBefore;
      // A mark the rules drop that never composes canonically with what
      // precedes it (U+0653–U+0655 do: alef + hamza above = أ).
      if (options_.strip_diacritics && IsArabicDiacritic(cp) && !(cp >= 0x0653 && cp <= 0x0655)) {
        e.flags |= kDroppableMark;
      }
    }
    for (int b = 0; b < 0x80; ++b) ascii_[b] = pool_[table_[b].offset];
  }

  absl::StatusOr<NormalizedText> Normalize(std::string_view text) const override {
    NormalizedText out;
    out.rules = options_.Bits();
    out.text.reserve(text.size());
    out.source_offsets.reserve(text.size() + 1);
    if (absl::Status s = Run<true>(text, out.text, &out.source_offsets); !s.ok()) return s;
    out.source_offsets.push_back(static_cast<uint32_t>(text.size()));
    return out;
  }

  absl::StatusOr<std::string> Key(std::string_view text) const override {
    std::string out;
    out.reserve(text.size());
    if (absl::Status s = Run<false>(text, out, nullptr); !s.ok()) return s;
    return out;
  }

  const NormalizationOptions& options() const override { return options_; }

 private:
  static constexpr uint8_t kBoundaryBefore = 1;
  static constexpr uint8_t kDroppableMark = 2;
  struct Entry {
    uint32_t offset = 0;
    uint8_t length = 0;
    uint8_t flags = 0;
  };

  // The rules after NFKC, for one code point.
  void ApplyRules(UChar32 c, std::string& out) const {
    const NormalizationOptions& o = options_;
    if (o.strip_format_marks && IsFormatMark(c)) return;
    if (o.strip_diacritics && IsArabicDiacritic(c)) return;
    if (o.strip_tatweel && c == 0x0640) return;
    if (o.unify_alef &&
        (c == 0x0622 || c == 0x0623 || c == 0x0625 || c == 0x0671 || c == 0x0672 || c == 0x0673)) {
      c = 0x0627;
    } else if (o.alef_maqsura_to_ya && c == 0x0649) {
      c = 0x064A;
    } else if (o.ta_marbuta_to_ha && c == 0x0629) {
      c = 0x0647;
    } else if (o.hamza_carriers && c == 0x0624) {
      c = 0x0648;
    } else if (o.hamza_carriers && c == 0x0626) {
      c = 0x064A;
    } else if (o.fold_digits && c >= 0x0660 && c <= 0x0669) {
      c = '0' + (c - 0x0660);
    } else if (o.fold_digits && c >= 0x06F0 && c <= 0x06F9) {
      c = '0' + (c - 0x06F0);
    } else if (o.fold_digits && c == 0x066B) {  // Arabic decimal separator
      c = '.';
    } else if (o.fold_digits && c == 0x066C) {  // Arabic thousands separator
      c = ',';
    } else if (o.fold_digits && c == 0x066A) {  // Arabic percent sign
      c = '%';
    } else if (o.unify_punctuation) {
      switch (c) {
        case 0x2018:
        case 0x2019:
        case 0x201A:
        case 0x201B:
        case 0x2032:
        case 0x2039:
        case 0x203A:
        case 0x0060:
        case 0x00B4: c = '\''; break;
        case 0x201C:
        case 0x201D:
        case 0x201E:
        case 0x201F:
        case 0x2033:
        case 0x00AB:
        case 0x00BB:
        case 0x2E42:
        case 0x301D:
        case 0x301E: c = '"'; break;
        case 0x2010:
        case 0x2011:
        case 0x2012:
        case 0x2013:
        case 0x2014:
        case 0x2015:
        case 0x2212:
        case 0xFE58:
        case 0xFE63:
        case 0x2E3A:
        case 0x2E3B: c = '-'; break;
        default: break;
      }
    }
    if (o.fold_case && c >= 0x80) {
      UChar src[2];
      int32_t n = 0;
      U16_APPEND_UNSAFE(src, n, c);
      UChar dst[8];
      UErrorCode status = U_ZERO_ERROR;
      int32_t m = u_strFoldCase(dst, 8, src, n, U_FOLD_CASE_DEFAULT, &status);
      if (U_SUCCESS(status) && m <= 8) {
        for (int32_t i = 0; i < m;) {
          UChar32 d;
          U16_NEXT(dst, i, m, d);
          AppendUtf8(d, out);
        }
        return;
      }
    } else if (o.fold_case && c >= 'A' && c <= 'Z') {
      c += 'a' - 'A';
    }
    AppendUtf8(c, out);
  }

  // NFKC of one code point standing alone, then the rules.
  void MapSingle(UChar32 c, std::string& out) const {
    if (nfkc_) {
      icu::UnicodeString decomposition;
      if (nfkc_->getDecomposition(c, decomposition)) {
        UErrorCode status = U_ZERO_ERROR;
        icu::UnicodeString normalized = nfkc_->normalize(icu::UnicodeString(c), status);
        if (U_SUCCESS(status)) {
          for (int32_t i = 0; i < normalized.length();) {
            UChar32 d = normalized.char32At(i);
            ApplyRules(d, out);
            i += U16_LENGTH(d);
          }
          return;
        }
      }
    }
    ApplyRules(c, out);
  }

  // NFKC of a multi-character segment, then the rules.
  void MapSegment(const uint8_t* s, int32_t begin, int32_t end, std::string& out) const {
    icu::UnicodeString seg =
        icu::UnicodeString::fromUTF8(icu::StringPiece(reinterpret_cast<const char*>(s) + begin, end - begin));
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString normalized = nfkc_->normalize(seg, status);
    if (U_FAILURE(status)) normalized = seg;
    for (int32_t i = 0; i < normalized.length();) {
      UChar32 d = normalized.char32At(i);
      ApplyRules(d, out);
      i += U16_LENGTH(d);
    }
  }

  void AppendMapped(UChar32 c, std::string& out) const {
    const int idx = TableIndex(c);
    if (idx >= 0) {
      const Entry& e = table_[idx];
      out.append(pool_.data() + e.offset, e.length);
    } else {
      MapSingle(c, out);
    }
  }

  bool BoundaryBefore(UChar32 c) const {
    const int idx = TableIndex(c);
    if (idx >= 0) return table_[idx].flags & kBoundaryBefore;
    return nfkc_->hasBoundaryBefore(c);
  }
  bool Droppable(UChar32 c) const {
    const int idx = TableIndex(c);
    return idx >= 0 && (table_[idx].flags & kDroppableMark);
  }

  static absl::Status BadUtf8(int32_t at) {
    return absl::InvalidArgumentError(absl::StrCat("invalid UTF-8 at byte offset ", at));
  }

  template <bool kOffsets>
  absl::Status Run(std::string_view text, std::string& out, std::vector<uint32_t>* offsets) const {
    if (text.size() > static_cast<size_t>(INT32_MAX)) {
      return absl::InvalidArgumentError("text larger than 2 GiB");
    }
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    const int32_t n = static_cast<int32_t>(text.size());
    int32_t i = 0;
    auto mark = [&](int32_t source) {
      if constexpr (kOffsets) {
        for (size_t k = offsets->size(); k < out.size(); ++k) {
          offsets->push_back(static_cast<uint32_t>(source));
        }
      }
    };
    // The character after a segment, decoded while looking for the segment's
    // end: (its byte offset, code point, byte after it), or offset -1.
    int32_t next_at = -1, next_end = 0;
    UChar32 next_c = 0;
    while (i < n) {
      const int32_t start = i;
      UChar32 c;
      if (start == next_at) {
        c = next_c;
        i = next_end;
      } else {
        // ASCII followed by ASCII (or the end) is a whole NFKC segment.
        if (s[i] < 0x80 && (i + 1 == n || s[i + 1] < 0x80)) {
          out.push_back(ascii_[s[i]]);
          if constexpr (kOffsets) offsets->push_back(static_cast<uint32_t>(start));
          ++i;
          continue;
        }
        U8_NEXT(s, i, n, c);
        if (c < 0) return BadUtf8(start);
      }
      if (!nfkc_) {
        AppendMapped(c, out);
        mark(start);
        continue;
      }
      // Gather the combining characters that belong to c's segment.
      bool simple = true;
      int32_t end = i;
      while (end < n && s[end] >= 0x80) {
        int32_t j = end;
        UChar32 d;
        U8_NEXT(s, j, n, d);
        if (d < 0) return BadUtf8(end);
        if (BoundaryBefore(d)) {
          next_at = end;
          next_c = d;
          next_end = j;
          break;
        }
        if (!Droppable(d)) simple = false;
        end = j;
      }
      if (simple) {
        AppendMapped(c, out);
      } else {
        MapSegment(s, start, end, out);
      }
      mark(start);
      i = end;
    }
    return absl::OkStatus();
  }

  NormalizationOptions options_;
  const icu::Normalizer2* nfkc_;  // null when the NFKC rule is off
  std::array<Entry, kTableSize> table_;
  std::array<char, 0x80> ascii_;
  std::string pool_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Normalizer>> Normalizer::Create(const NormalizationOptions& options) {
  const icu::Normalizer2* nfkc = nullptr;
  if (options.nfkc) {
    UErrorCode status = U_ZERO_ERROR;
    nfkc = icu::Normalizer2::getNFKCInstance(status);
    if (U_FAILURE(status) || nfkc == nullptr) {
      return absl::InternalError(absl::StrCat("ICU NFKC data unavailable: ", u_errorName(status)));
    }
  }
  auto impl = std::make_unique<NormalizerImpl>(options, nfkc);
  impl->BuildTable();
  return std::unique_ptr<Normalizer>(std::move(impl));
}

}  // namespace qantara::text
