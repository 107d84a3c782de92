// The alignment lexicon (Arabic lookup keys → English concepts) and its loading
// from FreeDict's dictd databases: senses parsed and reduced to content words.
#include "service/align/lexicon.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace qantara::align {

uint32_t Lexicon::InternEnglish(std::string_view key) {
  auto [it, inserted] = english_ids_.try_emplace(std::string(key), english_.size());
  if (inserted) english_.emplace_back(key);
  return it->second;
}

int64_t Lexicon::FindEnglish(std::string_view key) const {
  auto it = english_ids_.find(absl::string_view(key.data(), key.size()));  // no copy
  return it == english_ids_.end() ? -1 : static_cast<int64_t>(it->second);
}

void Lexicon::Add(std::string_view ar_key, uint32_t en_id) { arabic_[std::string(ar_key)].push_back(en_id); }

void Lexicon::Finish() {
  for (auto& [key, ids] : arabic_) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    ids.shrink_to_fit();
  }
}

const std::vector<uint32_t>* Lexicon::Translations(std::string_view ar_key) const {
  auto it = arabic_.find(absl::string_view(ar_key.data(), ar_key.size()));
  return it == arabic_.end() ? nullptr : &it->second;
}

size_t Lexicon::pairs() const {
  size_t n = 0;
  for (const auto& [key, ids] : arabic_) n += ids.size();
  return n;
}

std::vector<std::string> ParseFreeDictSenses(std::string_view text) {
  std::vector<std::string> out;
  size_t pos = text.find('\n');  // skip the headword line
  if (pos == std::string_view::npos) return out;
  ++pos;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    // strip "12. " numbering
    size_t k = 0;
    while (k < line.size() && line[k] >= '0' && line[k] <= '9') ++k;
    if (k > 0 && k < line.size() && line[k] == '.') line.remove_prefix(k + 1);
    // split into alternatives
    std::string piece;
    auto flush = [&] {
      size_t b = piece.find_first_not_of(" \t");
      size_t e = piece.find_last_not_of(" \t");
      if (b != std::string::npos) out.push_back(piece.substr(b, e - b + 1));
      piece.clear();
    };
    for (size_t i = 0; i < line.size(); ++i) {
      const std::string_view rest = line.substr(i);
      if (line[i] == ',' || line[i] == ';') {
        flush();
      } else if (rest.substr(0, 2) == "\u060C" || rest.substr(0, 2) == "\u061B") {
        flush();
        ++i;
      } else if (rest.substr(0, 3) == " - ") {
        flush();
        i += 2;
      } else {
        piece.push_back(line[i]);
      }
    }
    flush();
  }
  return out;
}

namespace {

// The content words (norm) of `text`.
std::vector<std::string> ContentWords(const Analyzer& analyzer, std::string_view text,
                                      std::vector<AnalyzedToken>* scratch) {
  scratch->clear();
  std::vector<std::string> words;
  if (!analyzer.Tokenize(text, scratch).ok()) return words;
  for (AnalyzedToken& t : *scratch) {
    if (t.kind != TokenKind::kWord) continue;
    if (IsStopword(analyzer.language(), t.norm)) continue;
    words.push_back(std::move(t.norm));
  }
  return words;
}

}  // namespace

absl::Status AddFreeDict(const DictdDatabase& db, bool ar_to_en, const Analyzer& arabic,
                         const Analyzer& english, Lexicon* lexicon) {
  const Analyzer& head_an = ar_to_en ? arabic : english;
  const Analyzer& sense_an = ar_to_en ? english : arabic;
  std::vector<AnalyzedToken> scratch;
  for (const DictdEntry& e : db.entries()) {
    scratch.clear();
    if (!head_an.Tokenize(e.headword, &scratch).ok()) continue;
    if (scratch.size() != 1 || scratch[0].kind != TokenKind::kWord) continue;
    const std::string head = scratch[0].norm;
    if (IsStopword(head_an.language(), head)) continue;
    std::vector<std::string> head_keys = head_an.Keys(head);
    std::vector<uint32_t> en_ids;
    std::vector<std::string> ar_keys;
    if (ar_to_en) {
      ar_keys = std::move(head_keys);
    } else {
      en_ids.push_back(lexicon->InternEnglish(head_keys.back()));
    }
    for (const std::string& alt : ParseFreeDictSenses(e.text)) {
      std::vector<std::string> words = ContentWords(sense_an, alt, &scratch);
      if (words.empty() || words.size() > 3) continue;
      for (const std::string& w : words) {
        std::vector<std::string> keys = sense_an.Keys(w);
        if (ar_to_en) {
          en_ids.push_back(lexicon->InternEnglish(keys.back()));
        } else {
          for (std::string& k : keys) ar_keys.push_back(std::move(k));
        }
      }
    }
    for (const std::string& k : ar_keys) {
      for (uint32_t id : en_ids) lexicon->Add(k, id);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Lexicon>> LoadFreeDictLexicon(const std::string& dir, const Analyzer& arabic,
                                                             const Analyzer& english) {
  auto lexicon = std::make_unique<Lexicon>();
  for (const char* name : {"freedict-ara-eng", "freedict-eng-ara"}) {
    const std::string base = absl::StrCat(dir, "/", name);
    absl::StatusOr<DictdDatabase> db = DictdDatabase::Load(base + ".index", base + ".dict.dz");
    if (!db.ok()) return db.status();
    absl::Status s =
        AddFreeDict(*db, std::string_view(name) == "freedict-ara-eng", arabic, english, lexicon.get());
    if (!s.ok()) return s;
  }
  lexicon->Finish();
  return lexicon;
}

}  // namespace qantara::align
