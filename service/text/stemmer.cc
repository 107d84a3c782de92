// Snowball stemming (libstemmer) of Arabic and English words, thread-safe
// through a pool of stemmer instances leased per call.
#include "service/text/stemmer.h"

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "libstemmer.h"

namespace qantara::text {

absl::StatusOr<std::unique_ptr<Stemmer>> Stemmer::Create(Language lang) {
  const char* algorithm = lang == Language::kArabic ? "arabic" : "english";
  sb_stemmer* probe = sb_stemmer_new(algorithm, "UTF_8");
  if (probe == nullptr) {
    return absl::InternalError(absl::StrCat("libstemmer has no '", algorithm, "' stemmer"));
  }
  std::unique_ptr<Stemmer> s(new Stemmer(algorithm));
  {
    absl::MutexLock lock(&s->mu_);
    s->pool_.push_back(probe);
  }
  return s;
}

Stemmer::~Stemmer() {
  for (sb_stemmer* s : pool_) sb_stemmer_delete(s);
}

sb_stemmer* Stemmer::Acquire() const {
  {
    absl::MutexLock lock(&mu_);
    if (!pool_.empty()) {
      sb_stemmer* s = pool_.back();
      pool_.pop_back();
      return s;
    }
  }
  return sb_stemmer_new(algorithm_, "UTF_8");
}

void Stemmer::Release(sb_stemmer* s) const {
  if (s == nullptr) return;
  absl::MutexLock lock(&mu_);
  pool_.push_back(s);
}

Stemmer::Lease::Lease(const Stemmer& owner) : owner_(owner), stemmer_(owner.Acquire()) {}
Stemmer::Lease::~Lease() { owner_.Release(stemmer_); }

std::string Stemmer::Lease::Stem(std::string_view word) {
  // Snowball's Arabic stemmer takes time quadratic in the word's length (a
  // 1 MB "word" from a client: minutes); no real word comes near the limit.
  if (stemmer_ == nullptr || word.empty() || word.size() > kMaxStemBytes) return std::string(word);
  const sb_symbol* out = sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(word.data()),
                                         static_cast<int>(word.size()));
  if (out == nullptr) return std::string(word);
  return std::string(reinterpret_cast<const char*>(out), static_cast<size_t>(sb_stemmer_length(stemmer_)));
}

std::string Stemmer::Stem(std::string_view word) const {
  Lease lease(*this);
  return lease.Stem(word);
}

}  // namespace qantara::text
