// Featurizing sentences for alignment: each kept token becomes match ids (English
// concepts, lexicon translations of Arabic words, numbers, verbatim forms, name
// skeletons) in one id space, then reduced to ids both sides share.
#include "service/align/features.h"

#include <algorithm>
#include <cstdlib>
#include <limits>

#include "service/text/translit.h"
#include "service/text/utf8.h"

namespace qantara::align {
namespace {

constexpr uint32_t kNoKey = std::numeric_limits<uint32_t>::max();

// Prefixes keep the kinds of local ids apart from English concepts (stems).
constexpr char kVerbatim[] = "\x01v:";
constexpr char kNumber[] = "\x01n:";
constexpr char kSkeleton[] = "\x01s:";
constexpr char kPunct[] = "\x01p:";

uint32_t CountNonSpaceCodePoints(std::string_view s) {
  uint32_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) == 0x80) continue;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    ++n;
  }
  return n;
}

}  // namespace

Featurizer::Featurizer(const Lexicon* lexicon, const Analyzer* arabic, const Analyzer* english)
    : lexicon_(lexicon), arabic_(arabic), english_(english) {
  base_ = lexicon_ ? static_cast<uint32_t>(lexicon_->english_size()) : 0;
}

void Featurizer::SetExtraTranslations(const TranslationSource* extra) {
  extra_ = extra;
  arabic_words_.clear();
}

uint32_t Featurizer::Intern(std::string_view s) {
  // Prefixed strings (numbers, verbatim forms, skeletons, punctuation) are
  // never lexicon concepts: tokens hold no control characters.
  if (lexicon_ != nullptr && !(!s.empty() && s[0] == '\x01')) {
    const int64_t id = lexicon_->FindEnglish(s);
    if (id >= 0) return static_cast<uint32_t>(id);
  }
  auto it = local_ids_.find(absl::string_view(s.data(), s.size()));
  if (it != local_ids_.end()) return it->second;
  const uint32_t id = base_ + local_count_++;
  local_ids_.emplace(std::string(s), id);
  local_by_form_.push_back(!s.empty() && s[0] == '\x01' ? 1 : 0);
  return id;
}

template <typename Make>
const Featurizer::Type& Featurizer::Cached(TypeMap& map, const std::string& norm, const Make& make) {
  auto it = map.find(norm);
  if (it != map.end()) return it->second;
  Type t;
  t.begin = static_cast<uint32_t>(pool_.size());
  t.stop = make();
  t.end = static_cast<uint32_t>(pool_.size());
  return map.emplace(norm, t).first->second;
}

void Featurizer::ArabicWordIds(const std::string& norm) {
  const std::vector<std::string> keys = arabic_->Keys(norm);
  const size_t begin = pool_.size();
  bool known = false;
  for (size_t k = 0; k < keys.size(); ++k) {
    const std::string& key = keys[k];
    if (lexicon_ != nullptr) {
      if (const std::vector<uint32_t>* tr = lexicon_->Translations(key)) {
        pool_.insert(pool_.end(), tr->begin(), tr->end());
        // the stem (last key) alone does not make a word "known": Snowball's
        // Arabic stems are aggressive and collide with names
        if (k + 1 < keys.size() || keys.size() == 1) known = true;
      }
    }
    if (extra_ != nullptr) {
      if (const std::vector<std::string>* tr = extra_->Lookup(key)) {
        for (const std::string& c : *tr) pool_.push_back(Intern(c));
      }
    }
  }
  if (!known && text::ArabicTransliterator::Shared() != nullptr) {
    const std::string skel =
        text::ArabicTransliterator::Shared()->Skeleton(keys.size() > 1 ? keys[1] : keys[0]);
    if (skel.size() >= 3) pool_.push_back(Intern(std::string(kSkeleton) + skel));
  }
  std::sort(pool_.begin() + begin, pool_.end());
  pool_.erase(std::unique(pool_.begin() + begin, pool_.end()), pool_.end());
}

void Featurizer::EnglishWordIds(const std::string& norm, bool capitalized) {
  const std::vector<std::string> keys = english_->Keys(norm);
  pool_.push_back(Intern(keys.back()));  // the concept (stem)
  pool_.push_back(Intern(std::string(kVerbatim) + norm));
  if (capitalized) {
    const std::string skel = text::LatinSkeleton(norm);
    if (skel.size() >= 3) pool_.push_back(Intern(std::string(kSkeleton) + skel));
  }
}

absl::Status Featurizer::Add(text::Language lang, std::string_view sentence, bool paragraph_end,
                             DocumentFeatures* doc, const std::vector<uint8_t>* only_ids) {
  scratch_.clear();
  const bool arabic = lang == text::Language::kArabic;
  const Analyzer* an = arabic ? arabic_ : english_;
  if (absl::Status s = an->Tokenize(sentence, &scratch_); !s.ok()) return s;
  SentenceFeatures sf;
  sf.length = CountNonSpaceCodePoints(sentence);
  sf.paragraph_end = paragraph_end;
  sf.tok_begin = static_cast<uint32_t>(doc->tokens.size());
  int kept = 0;
  for (const AnalyzedToken& t : scratch_) {
    if (kept == kMaxTokens) break;
    const Type* type = nullptr;
    EvidenceClass cls = kEvWord;
    switch (t.kind) {
      case TokenKind::kPunct:
        type = &Cached(punctuation_, t.norm, [&] {
          pool_.push_back(Intern(std::string(kPunct) + t.norm));
          return false;
        });
        cls = kEvPunct;
        break;
      case TokenKind::kNumber:
        type = &Cached(numbers_, t.norm, [&] {
          pool_.push_back(Intern(std::string(kNumber) + t.norm));
          return false;
        });
        cls = kEvNumber;
        break;
      case TokenKind::kWord:
        if (arabic && t.latin) {
          type = &Cached(arabic_latin_, t.norm, [&] {
            if (IsStopword(lang, t.norm)) return true;
            pool_.push_back(Intern(std::string(kVerbatim) + t.norm));
            return false;
          });
          cls = kEvLatin;
        } else if (arabic) {
          type = &Cached(arabic_words_, t.norm, [&] {
            if (IsStopword(lang, t.norm)) return true;
            ArabicWordIds(t.norm);
            return false;
          });
        } else {
          type = &Cached(english_words_[t.capitalized ? 1 : 0], t.norm, [&] {
            if (IsStopword(lang, t.norm)) return true;
            EnglishWordIds(t.norm, t.capitalized);
            return false;
          });
        }
        break;
    }
    if (type->stop) continue;
    TokenFeatures tf;
    tf.id_begin = static_cast<uint32_t>(doc->ids.size());
    for (uint32_t x = type->begin; x < type->end; ++x) {
      const uint32_t id = pool_[x];
      if (only_ids != nullptr && !(id < only_ids->size() && (*only_ids)[id])) continue;
      doc->ids.push_back(id);
      doc->by_form.push_back(id >= base_ ? local_by_form_[id - base_] : 0);
    }
    tf.id_end = static_cast<uint32_t>(doc->ids.size());
    sf.class_mask[cls] |= uint64_t{1} << kept;
    doc->tokens.push_back(tf);
    ++kept;
  }
  sf.tok_end = static_cast<uint32_t>(doc->tokens.size());
  doc->sentences.push_back(sf);
  return absl::OkStatus();
}

uint32_t KeepSharedIds(DocumentFeatures* ar, DocumentFeatures* en) {
  uint32_t bound = 0;
  for (const DocumentFeatures* d : {ar, en}) {
    for (uint32_t id : d->ids) bound = std::max(bound, id + 1);
  }
  // First the sides each id occurs on (bit 0 Arabic, bit 1 English), then its new id.
  std::vector<uint32_t> map(bound, 0);
  for (uint32_t id : ar->ids) map[id] |= 1;
  for (uint32_t id : en->ids) map[id] |= 2;
  uint32_t kept = 0;
  for (uint32_t& v : map) v = v == 3 ? kept++ : kNoKey;
  for (DocumentFeatures* d : {ar, en}) {
    uint32_t out = 0;
    const bool forms = d->by_form.size() == d->ids.size();
    for (TokenFeatures& t : d->tokens) {
      const uint32_t begin = out;
      for (uint32_t x = t.id_begin; x < t.id_end; ++x) {
        const uint32_t id = map[d->ids[x]];
        if (id == kNoKey) continue;
        if (forms) d->by_form[out] = d->by_form[x];
        d->ids[out++] = id;  // out <= x: in place
      }
      t.id_begin = begin;
      t.id_end = out;
    }
    d->ids.resize(out);
    d->by_form.resize(forms ? out : 0);
  }
  return kept;
}

}  // namespace qantara::align
