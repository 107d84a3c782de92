// Names across scripts: consonant skeletons that an Arabic transliteration
// and the English spelling of a name share (تامبا ↔ Tampa: "tmb").
//
// Arabic words go through ICU's "Arabic-Latin; Latin-ASCII" transliterator;
// both sides are then reduced to consonant classes: vowels and the weak
// letters y w h dropped, b/p, f/v, t/d, k/c/q/g/j, s/z/x merged, "ph" → f,
// "ng" before a consonant or at the end → n, doubled classes collapsed.
// Plain C++ interface: ICU stays inside the text engine.
#ifndef QANTARA_SERVICE_TEXT_TRANSLIT_H_
#define QANTARA_SERVICE_TEXT_TRANSLIT_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace qantara::text {

// The consonant skeleton of a Latin-script (ASCII or not) word; letters
// outside a-z after lower-casing are dropped.
std::string LatinSkeleton(std::string_view latin_word);

// Transliterates Arabic words to ASCII and skeletons. Skeleton() is fast: it
// uses a per-letter table that Create() builds by running the ICU
// transliterator on every letter of the Arabic block (ICU's Arabic-Latin
// rules are letter by letter), so it needs no ICU call for words in that
// block. Thread-safe (ICU calls are serialised inside).
class ArabicTransliterator {
 public:
  // Internal error when ICU lacks the Arabic-Latin transform. Costly (tens
  // of milliseconds): prefer Shared().
  static absl::StatusOr<std::unique_ptr<ArabicTransliterator>> Create();
  // One instance for the whole process, created on first use; null when
  // Create() fails.
  static const ArabicTransliterator* Shared();
  ~ArabicTransliterator();
  ArabicTransliterator(const ArabicTransliterator&) = delete;
  ArabicTransliterator& operator=(const ArabicTransliterator&) = delete;

  // The ASCII transliteration of `arabic_word` (UTF-8).
  std::string ToAscii(std::string_view arabic_word) const;
  // LatinSkeleton(ToAscii(word)), from the per-letter table; words with
  // letters outside U+0600-U+06FF go through ICU.
  std::string Skeleton(std::string_view arabic_word) const;

 private:
  struct Icu;
  explicit ArabicTransliterator(std::unique_ptr<Icu> icu);
  std::unique_ptr<Icu> icu_;
  std::string table_[256];  // ASCII letters of U+0600 + k
};

}  // namespace qantara::text

#endif  // QANTARA_SERVICE_TEXT_TRANSLIT_H_
