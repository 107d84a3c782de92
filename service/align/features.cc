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

void SortUnique(std::vector<uint32_t>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

}  // namespace

Featurizer::Featurizer(const Lexicon* lexicon, const Analyzer* arabic, const Analyzer* english)
    : lexicon_(lexicon), arabic_(arabic), english_(english) {
  base_ = lexicon_ ? static_cast<uint32_t>(lexicon_->english_size()) : 0;
}

void Featurizer::SetExtraTranslations(const TranslationSource* extra) {
  extra_ = extra;
  ar_words_.clear();
}

uint32_t Featurizer::Intern(std::string_view s) {
  if (lexicon_ != nullptr) {
    const int64_t id = lexicon_->FindEnglish(s);
    if (id >= 0) return static_cast<uint32_t>(id);
  }
  auto [it, inserted] =
      local_ids_.try_emplace(std::string(s), base_ + static_cast<uint32_t>(local_strings_.size()));
  if (inserted) local_strings_.emplace_back(s);
  return it->second;
}

std::string_view Featurizer::EnglishConceptOf(uint32_t id) const {
  if (id < base_) return lexicon_->English(id);
  return local_strings_[id - base_];
}

const std::vector<std::string>& Featurizer::KeysOf(text::Language lang, const std::string& norm) {
  auto& cache = keys_[lang == text::Language::kArabic ? 0 : 1];
  auto it = cache.find(norm);
  if (it != cache.end()) return it->second;
  const Analyzer* an = lang == text::Language::kArabic ? arabic_ : english_;
  return cache.emplace(norm, an->Keys(norm)).first->second;
}

const std::string& Featurizer::EnglishConcept(std::string_view norm) {
  return KeysOf(text::Language::kEnglish, std::string(norm)).back();
}

const Featurizer::WordIds& Featurizer::ArabicWord(const std::string& norm) {
  auto it = ar_words_.find(norm);
  if (it != ar_words_.end()) return it->second;
  const std::vector<std::string>& keys = KeysOf(text::Language::kArabic, norm);
  WordIds w;
  bool known = false;
  for (size_t k = 0; k < keys.size(); ++k) {
    const std::string& key = keys[k];
    if (lexicon_ != nullptr) {
      if (const std::vector<uint32_t>* tr = lexicon_->Translations(key)) {
        w.ids.insert(w.ids.end(), tr->begin(), tr->end());
        // the stem (last key) alone does not make a word "known": Snowball's
        // Arabic stems are aggressive and collide with names
        if (k + 1 < keys.size() || keys.size() == 1) known = true;
      }
    }
    if (extra_ != nullptr) {
      if (const std::vector<std::string>* tr = extra_->Lookup(key)) {
        for (const std::string& c : *tr) w.ids.push_back(Intern(c));
      }
    }
  }
  if (!known && text::ArabicTransliterator::Shared() != nullptr) {
    const std::string skel =
        text::ArabicTransliterator::Shared()->Skeleton(keys.size() > 1 ? keys[1] : keys[0]);
    if (skel.size() >= 3) w.ids.push_back(Intern(std::string(kSkeleton) + skel));
  }
  SortUnique(&w.ids);
  // key list id for learning (one per word type)
  w.key_id = static_cast<uint32_t>(ar_key_lists_.size());
  ar_key_lists_.push_back(keys);
  return ar_words_.emplace(norm, std::move(w)).first->second;
}

const Featurizer::WordIds& Featurizer::EnglishWord(const std::string& norm, bool capitalized) {
  auto& cache = en_words_[capitalized ? 1 : 0];
  auto it = cache.find(norm);
  if (it != cache.end()) return it->second;
  const std::vector<std::string>& keys = KeysOf(text::Language::kEnglish, norm);
  WordIds w;
  w.ids.push_back(Intern(keys.back()));  // the concept first (see key_ids)
  w.ids.push_back(Intern(std::string(kVerbatim) + norm));
  if (capitalized) {
    const std::string skel = text::LatinSkeleton(norm);
    if (skel.size() >= 3) w.ids.push_back(Intern(std::string(kSkeleton) + skel));
  }
  w.key_id = w.ids[0];
  return cache.emplace(norm, std::move(w)).first->second;
}

absl::Status Featurizer::Add(text::Language lang, std::string_view sentence, bool paragraph_end,
                             DocumentFeatures* doc) {
  scratch_.clear();
  const Analyzer* an = lang == text::Language::kArabic ? arabic_ : english_;
  if (absl::Status s = an->Tokenize(sentence, &scratch_); !s.ok()) return s;
  SentenceFeatures sf;
  sf.length = CountNonSpaceCodePoints(sentence);
  sf.paragraph_end = paragraph_end;
  sf.tok_begin = static_cast<uint32_t>(doc->tokens.size());
  int kept = 0;
  for (const AnalyzedToken& t : scratch_) {
    if (kept == kMaxTokens) break;
    TokenFeatures tf;
    tf.id_begin = static_cast<uint32_t>(doc->ids.size());
    uint32_t key_id = kNoKey;
    EvidenceClass cls = kEvWord;
    switch (t.kind) {
      case TokenKind::kPunct:
        doc->ids.push_back(Intern(std::string(kPunct) + t.norm));
        cls = kEvPunct;
        break;
      case TokenKind::kNumber:
        doc->ids.push_back(Intern(std::string(kNumber) + t.norm));
        cls = kEvNumber;
        break;
      case TokenKind::kWord: {
        if (IsStopword(lang, t.norm)) continue;
        if (lang == text::Language::kArabic && t.latin) {
          doc->ids.push_back(Intern(std::string(kVerbatim) + t.norm));
          cls = kEvLatin;
        } else if (lang == text::Language::kArabic) {
          const WordIds& w = ArabicWord(t.norm);
          doc->ids.insert(doc->ids.end(), w.ids.begin(), w.ids.end());
          key_id = w.key_id;
        } else {
          const WordIds& w = EnglishWord(t.norm, t.capitalized);
          doc->ids.insert(doc->ids.end(), w.ids.begin(), w.ids.end());
          key_id = w.key_id;
        }
        break;
      }
    }
    tf.id_end = static_cast<uint32_t>(doc->ids.size());
    sf.class_mask[cls] |= uint64_t{1} << kept;
    doc->tokens.push_back(tf);
    doc->key_ids.push_back(key_id);
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
    for (TokenFeatures& t : d->tokens) {
      const uint32_t begin = out;
      for (uint32_t x = t.id_begin; x < t.id_end; ++x) {
        const uint32_t id = map[d->ids[x]];
        if (id != kNoKey) d->ids[out++] = id;  // out <= x: in place
      }
      t.id_begin = begin;
      t.id_end = out;
    }
    d->ids.resize(out);
  }
  return kept;
}

}  // namespace qantara::align
