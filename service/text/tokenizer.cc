// Tokenizer: ICU word boundaries over the UTF-8 input (for Latin, Arabic and
// similar text the same boundaries from word_breaks.h, which is much faster;
// otherwise ICU's iterator through UText, so boundaries are byte offsets), overlaid with the spans of a small
// scanner for placeholders, inline tags, entities, URLs and e-mail addresses, which ICU would cut apart. The
// whole text is normalised once with its offset map; each token's normalised form is the slice of that key
// whose bytes come from the token's bytes.

#include "service/text/tokenizer.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "service/base/status_macros.h"
#include "service/text/arabic_clitics.h"
#include "service/text/special_spans.h"
#include "service/text/stemmer.h"
#include "service/text/utf8.h"
#include "service/text/word_breaks.h"
#include "unicode/brkiter.h"
#include "unicode/locid.h"
#include "unicode/ubrk.h"
#include "unicode/uchar.h"
#include "unicode/utext.h"
#include "unicode/utf8.h"

namespace qantara::text {

std::string_view TokenClassName(TokenClass c) {
  switch (c) {
    case TokenClass::kWord: return "word";
    case TokenClass::kNumber: return "number";
    case TokenClass::kPunctuation: return "punctuation";
    case TokenClass::kSymbol: return "symbol";
    case TokenClass::kPlaceholder: return "placeholder";
    case TokenClass::kTag: return "tag";
    case TokenClass::kUrl: return "url";
    case TokenClass::kEmail: return "email";
  }
  return "unknown";
}

namespace {

struct UTextCloser {
  void operator()(UText* t) const { utext_close(t); }
};

// A token before its normalised form is attached.
struct Piece {
  int32_t begin;
  int32_t end;
  TokenClass cls;
};

bool IsHyphen(std::string_view s) { return s == "-" || s == "\u2010" || s == "\u2011"; }

// Unicode calls these punctuation (Po); as tokens they are symbols, like $ and +.
bool IsSymbolPunct(UChar32 c) {
  return c == '%' || c == '#' || c == '&' || c == '@' || c == '*' || c == 0x066A || c == 0x2030 ||
         c == 0x2031 || c == 0x066D;
}

// True when the piece is one of the Arabic proclitics و ف ب ك ل glued to a
// number (و2024, ب٥٠): the first two bytes are the letter.
bool SplitsOffNumber(const uint8_t* s, int32_t begin, int32_t end) {
  if (end - begin < 3) return false;
  const uint8_t a = s[begin], b = s[begin + 1];
  const bool proclitic =
      (a == 0xD9 && (b == 0x88 || b == 0x81 || b == 0x83 || b == 0x84)) || (a == 0xD8 && b == 0xA8);
  if (!proclitic) return false;
  bool digit = false;
  for (int32_t i = begin + 2; i < end;) {
    UChar32 c;
    U8_NEXT(s, i, end, c);
    if (u_charType(c) == U_DECIMAL_DIGIT_NUMBER) {
      digit = true;
    } else if (!digit || !(c == '.' || c == ',' || c == 0x066B || c == 0x066C || c == '\'' ||
                           u_charType(c) == U_FORMAT_CHAR)) {
      return false;
    }
  }
  return digit;
}

// Classifies an ICU word piece; false when it is not a token at all
// (whitespace, controls, lone format marks).
bool Classify(const uint8_t* s, int32_t begin, int32_t end, TokenClass* cls) {
  bool letter = false, digit = false, visible = false;
  UChar32 first_visible = -1;
  for (int32_t i = begin; i < end;) {
    UChar32 c;
    if (s[i] < 0x80) {
      c = s[i++];
    } else {
      U8_NEXT(s, i, end, c);
    }
    if (c < 0x80) {
      if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
        letter = true;
      } else if (c >= '0' && c <= '9') {
        digit = true;
      } else if (c <= ' ' || c == 0x7F) {
        continue;
      }
      if (first_visible < 0) first_visible = c;
      visible = true;
      continue;
    }
    const int8_t type = u_charType(c);
    if (type == U_FORMAT_CHAR || type == U_CONTROL_CHAR || u_isUWhiteSpace(c)) continue;
    if (u_isalpha(c) || type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK) {
      letter = true;
    } else if (type == U_DECIMAL_DIGIT_NUMBER) {
      digit = true;
    }
    if (first_visible < 0) first_visible = c;
    visible = true;
  }
  if (!visible) return false;
  if (letter) {
    *cls = TokenClass::kWord;
  } else if (digit) {
    *cls = TokenClass::kNumber;
  } else if (u_ispunct(first_visible) && !IsSymbolPunct(first_visible)) {
    *cls = TokenClass::kPunctuation;
  } else {
    *cls = TokenClass::kSymbol;
  }
  return true;
}

class TokenizerImpl final : public Tokenizer {
 public:
  TokenizerImpl(const TokenizerOptions& options, std::unique_ptr<Normalizer> normalizer,
                std::unique_ptr<icu::BreakIterator> words, std::unique_ptr<Stemmer> stemmer)
      : options_(options),
        normalizer_(std::move(normalizer)),
        prototype_(std::move(words)),
        stemmer_(std::move(stemmer)) {}

  absl::StatusOr<std::vector<Token>> Tokenize(std::string_view text) const override {
    std::vector<Token> tokens;
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    size_t byte_seen = 0;  // code points counted up to this byte
    size_t chars_seen = 0;
    auto chars_at = [&](size_t byte) {
      size_t b = byte_seen, c = chars_seen;  // locals: the loop needs no stores
      for (; b < byte; ++b) c += (s[b] & 0xC0) != 0x80;
      byte_seen = b;
      chars_seen = c;
      return c;
    };
    std::unique_ptr<Stemmer::Lease> lease;
    if (stemmer_) lease = std::make_unique<Stemmer::Lease>(*stemmer_);
    absl::Status status = Run(text, &tokens, [&](const TokenView& v) {
      Token t;
      t.cls = v.cls;
      t.span.byte_begin = v.byte_begin;
      t.span.char_begin = chars_at(t.span.byte_begin);
      t.span.byte_end = v.byte_end;
      t.span.char_end = chars_at(t.span.byte_end);
      t.norm.assign(v.norm);
      if (t.cls == TokenClass::kWord) AnalyzeWord(t.span.In(text), lease.get(), &t);
      tokens.push_back(std::move(t));
    });
    if (!status.ok()) return status;
    return tokens;
  }

  absl::Status Scan(std::string_view text, absl::FunctionRef<void(const TokenView&)> fn) const override {
    return Run(text, static_cast<std::vector<Token>*>(nullptr), fn);
  }

  absl::StatusOr<std::optional<Token>> TokenizeWord(std::string_view word) const override {
    absl::StatusOr<std::string> key = normalizer_->Key(word);  // also validates the UTF-8
    if (!key.ok()) return key.status();
    // A plain word (one ICU word piece ending in a letter, no placeholder,
    // tag, URL or e-mail) is one kWord token over the whole text, whose
    // normalised form is the key of the whole text: what Tokenize gives.
    thread_local std::vector<WordPiece> pieces;
    if (!word.empty() && FastWordBreaks(word, &pieces) && pieces.size() == 1 &&
        pieces[0].status >= UBRK_WORD_LETTER && FindSpecialSpans(word).empty()) {
      Token t;
      t.cls = TokenClass::kWord;
      t.span = TextSpan{0, word.size(), 0, CountCodePoints(word)};
      t.norm = *std::move(key);
      std::unique_ptr<Stemmer::Lease> lease;
      if (stemmer_) lease = std::make_unique<Stemmer::Lease>(*stemmer_);
      AnalyzeWord(word, lease.get(), &t);
      return t;
    }
    absl::StatusOr<std::vector<Token>> tokens = Tokenize(word);
    if (!tokens.ok()) return tokens.status();
    if (tokens->size() != 1) return std::nullopt;
    return std::move(tokens->front());
  }

  const TokenizerOptions& options() const override { return options_; }

 private:
  // Tokenize and Scan: calls `fn` with the view of every token in order
  // (`tokens`, when given, is reserved for them).
  template <typename Fn>
  absl::Status Run(std::string_view text, std::vector<Token>* tokens, const Fn& fn) const {
    // Normalising first also validates the UTF-8.
    absl::StatusOr<NormalizedText> key = normalizer_->Normalize(text);
    if (!key.ok()) return key.status();
    if (text.empty()) return absl::OkStatus();
    absl::StatusOr<std::vector<Piece>> pieces = Pieces(text);
    if (!pieces.ok()) return pieces.status();
    if (tokens != nullptr) tokens->reserve(pieces->size());
    const std::vector<uint32_t>& offs = key->source_offsets;
    const size_t key_size = key->text.size();
    size_t k = 0;  // first key byte not before the current token
    for (const Piece& p : *pieces) {
      while (k < key_size && offs[k] < static_cast<uint32_t>(p.begin)) ++k;
      size_t e = k;
      while (e < key_size && offs[e] < static_cast<uint32_t>(p.end)) ++e;
      fn(TokenView{p.cls, static_cast<size_t>(p.begin), static_cast<size_t>(p.end),
                   std::string_view(key->text).substr(k, e - k)});
      k = e;
    }
    return absl::OkStatus();
  }

  // The clitic split and stem (per the options) of word token *t, whose
  // text is `surface`.
  void AnalyzeWord(std::string_view surface, Stemmer::Lease* lease, Token* t) const {
    if (options_.split_clitics && options_.language == Language::kArabic) {
      CliticSplit split;
      if (SplitArabicClitics(t->norm, &split)) {
        t->proclitics = std::move(split.proclitics);
        t->base = std::move(split.base);
      }
    }
    if (lease) t->stem = Stem(surface, *lease);
  }

  // Snowball's Arabic rules need ة and ى to find suffixes and do not strip
  // و/ف before ال, so the stemmer gets the word under a lighter normalisation
  // without the conjunction when the clitic splitter is sure of it; the stem
  // is then normalised like `norm`.
  std::string Stem(std::string_view surface, Stemmer::Lease& lease) const {
    absl::StatusOr<std::string> light = stem_normalizer_->Key(surface);
    if (!light.ok()) return "";
    std::string_view input = *light;
    CliticSplit split;
    if (options_.language == Language::kArabic && SplitArabicClitics(input, &split) &&
        (split.proclitics[0] == "\u0648" || split.proclitics[0] == "\u0641")) {
      input.remove_prefix(split.proclitics[0].size());  // Snowball handles the rest
    }
    absl::StatusOr<std::string> stem = normalizer_->Key(lease.Stem(input));
    return stem.ok() ? *std::move(stem) : "";
  }

  // ICU word pieces merged with the scanner's special spans, classified;
  // whitespace dropped; word-hyphen-word joined.
  absl::StatusOr<std::vector<Piece>> Pieces(std::string_view text) const {
    std::vector<SpecialSpan> special = FindSpecialSpans(text);
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    std::vector<Piece> out;
    out.reserve(text.size() / 4 + 1);
    size_t sp = 0;  // next special span
    auto emit = [&](int32_t b, int32_t e) {
      TokenClass cls;
      if (b < e && Classify(s, b, e, &cls)) out.push_back(Piece{b, e, cls});
    };
    int32_t begin = 0;
    // One word-break piece [begin, end) with ICU's rule status at its end.
    auto on_piece = [&](int32_t end, int32_t rule_status) {
      // Special spans that start before this piece ends cut it.
      bool cut = false;
      while (sp < special.size() && static_cast<int32_t>(special[sp].begin) < end) {
        const SpecialSpan& x = special[sp];
        emit(begin, static_cast<int32_t>(x.begin));
        out.push_back(Piece{static_cast<int32_t>(x.begin), static_cast<int32_t>(x.end), x.cls});
        begin = static_cast<int32_t>(x.end);
        cut = true;
        ++sp;
      }
      if (end <= begin) return;  // inside a special span
      // ICU's rule status already tells words; numbers and the rest (and
      // pieces cut by a special span) are classified by hand.
      const int32_t status = cut ? UBRK_WORD_NONE : rule_status;
      if (status >= UBRK_WORD_NUMBER && SplitsOffNumber(s, begin, end)) {
        // و100, ب٥٠: ICU keeps a letter and digits together; the conjunction
        // or preposition is its own word and the number its own number.
        out.push_back(Piece{begin, begin + 2, TokenClass::kWord});
        out.push_back(Piece{begin + 2, end, TokenClass::kNumber});
      } else if (status >= UBRK_WORD_LETTER) {
        out.push_back(Piece{begin, end, TokenClass::kWord});
      } else {
        // Status "number" only says the piece ends in digits (A4, كوفيد19).
        emit(begin, end);
      }
      begin = end;
    };

    // Latin, Arabic and the like: the same boundaries without ICU's setup
    // (word_breaks.h); anything else: ICU's word break iterator.
    thread_local std::vector<WordPiece> fast;
    if (FastWordBreaks(text, &fast)) {
      for (const WordPiece& p : fast) on_piece(p.end, p.status);
    } else {
      std::unique_ptr<icu::BreakIterator> it;
      {
        absl::MutexLock lock(&mu_);
        it.reset(prototype_->clone());
      }
      if (!it) return absl::ResourceExhaustedError("cannot clone ICU break iterator");
      UErrorCode status = U_ZERO_ERROR;
      std::unique_ptr<UText, UTextCloser> ut(
          utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status));
      if (U_FAILURE(status)) {
        return absl::InternalError(absl::StrCat("utext_openUTF8: ", u_errorName(status)));
      }
      it->setText(ut.get(), status);
      if (U_FAILURE(status)) {
        return absl::InternalError(absl::StrCat("BreakIterator::setText: ", u_errorName(status)));
      }
      it->first();
      for (int32_t end = it->next(); end != icu::BreakIterator::DONE; end = it->next()) {
        on_piece(end, it->getRuleStatus());
      }
    }
    JoinHyphenated(text, out);
    return out;
  }

  // well-known, state-of-the-art: one word.
  static void JoinHyphenated(std::string_view text, std::vector<Piece>& pieces) {
    size_t w = 0;
    for (size_t r = 0; r < pieces.size(); ++r) {
      Piece p = pieces[r];
      while (p.cls == TokenClass::kWord && r + 2 < pieces.size() && pieces[r + 1].begin == p.end &&
             pieces[r + 1].cls == TokenClass::kPunctuation &&
             IsHyphen(text.substr(pieces[r + 1].begin, pieces[r + 1].end - pieces[r + 1].begin)) &&
             pieces[r + 2].begin == pieces[r + 1].end && pieces[r + 2].cls == TokenClass::kWord) {
        p.end = pieces[r + 2].end;
        r += 2;
      }
      pieces[w++] = p;
    }
    pieces.resize(w);
  }

  TokenizerOptions options_;
  std::unique_ptr<Normalizer> normalizer_;
  mutable absl::Mutex mu_;  // guards cloning of prototype_
  std::unique_ptr<icu::BreakIterator> prototype_ ABSL_PT_GUARDED_BY(mu_);
  std::unique_ptr<Stemmer> stemmer_;             // null unless options.stem
  std::unique_ptr<Normalizer> stem_normalizer_;  // null unless options.stem

  friend absl::StatusOr<std::unique_ptr<Tokenizer>> Tokenizer::Create(const TokenizerOptions&);
};

}  // namespace

absl::StatusOr<std::unique_ptr<Tokenizer>> Tokenizer::Create(const TokenizerOptions& options) {
  QANTARA_ASSIGN_OR_RETURN(std::unique_ptr<Normalizer> normalizer, Normalizer::Create(options.normalization));
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale(options.language == Language::kArabic ? "ar" : "en");
  std::unique_ptr<icu::BreakIterator> words(icu::BreakIterator::createWordInstance(locale, status));
  if (U_FAILURE(status) || !words) {
    return absl::InternalError(absl::StrCat("ICU word break rules unavailable: ", u_errorName(status)));
  }
  std::unique_ptr<Stemmer> stemmer;
  if (options.stem) {
    QANTARA_ASSIGN_OR_RETURN(stemmer, Stemmer::Create(options.language));
  }
  auto impl =
      std::make_unique<TokenizerImpl>(options, std::move(normalizer), std::move(words), std::move(stemmer));
  if (options.stem) {
    NormalizationOptions light = NormalizationOptions::All();
    light.ta_marbuta_to_ha = light.alef_maqsura_to_ya = light.hamza_carriers = false;
    QANTARA_ASSIGN_OR_RETURN(impl->stem_normalizer_, Normalizer::Create(light));
  }
  return std::unique_ptr<Tokenizer>(std::move(impl));
}

}  // namespace qantara::text
