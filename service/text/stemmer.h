// Snowball stemming (Debian's libstemmer) of Arabic and English words.
#ifndef QANTARA_SERVICE_TEXT_STEMMER_H_
#define QANTARA_SERVICE_TEXT_STEMMER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "service/text/language.h"

struct sb_stemmer;

namespace qantara::text {

// Thread-safe: libstemmer's sb_stemmer is not, so each Stem() call borrows a
// stemmer from a small pool (creating one when all are busy).
class Stemmer {
 public:
  // The Snowball "arabic" or "english" algorithm. Internal error when
  // libstemmer lacks it.
  static absl::StatusOr<std::unique_ptr<Stemmer>> Create(Language lang);
  ~Stemmer();
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;

  // The stem of `word` (UTF-8, best lower-cased and normalised first).
  // Returns `word` unchanged when the algorithm fails on it.
  // Words longer than this are returned unstemmed.
  static constexpr size_t kMaxStemBytes = 256;

  std::string Stem(std::string_view word) const;

  // A stemmer borrowed for many words on one thread (faster than Stem()).
  class Lease {
   public:
    explicit Lease(const Stemmer& owner);
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    std::string Stem(std::string_view word);

   private:
    const Stemmer& owner_;
    sb_stemmer* stemmer_;
  };

 private:
  explicit Stemmer(const char* algorithm) : algorithm_(algorithm) {}
  sb_stemmer* Acquire() const ABSL_LOCKS_EXCLUDED(mu_);
  void Release(sb_stemmer* s) const ABSL_LOCKS_EXCLUDED(mu_);

  const char* algorithm_;
  mutable absl::Mutex mu_;
  mutable std::vector<sb_stemmer*> pool_ ABSL_GUARDED_BY(mu_);
};

}  // namespace qantara::text

#endif  // QANTARA_SERVICE_TEXT_STEMMER_H_
