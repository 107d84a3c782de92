// Hand-made DocumentFeatures for the model, DP and anchor tests.
#ifndef QANTARA_TESTS_SERVICE_ALIGN_TEST_DOCS_H_
#define QANTARA_TESTS_SERVICE_ALIGN_TEST_DOCS_H_

#include <cstdint>
#include <vector>

#include "service/align/features.h"

namespace qantara::align::testing {

// One sentence: its length and its tokens, each a list of match ids (all of
// evidence class word).
struct Sent {
  uint32_t length;
  std::vector<std::vector<uint32_t>> tokens;
  bool paragraph_end = false;
};

inline DocumentFeatures MakeDoc(const std::vector<Sent>& sents) {
  DocumentFeatures d;
  for (const Sent& s : sents) {
    SentenceFeatures sf;
    sf.length = s.length;
    sf.paragraph_end = s.paragraph_end;
    sf.tok_begin = static_cast<uint32_t>(d.tokens.size());
    int k = 0;
    for (const auto& ids : s.tokens) {
      TokenFeatures t;
      t.id_begin = static_cast<uint32_t>(d.ids.size());
      d.ids.insert(d.ids.end(), ids.begin(), ids.end());
      t.id_end = static_cast<uint32_t>(d.ids.size());
      d.tokens.push_back(t);
      sf.class_mask[kEvWord] |= uint64_t{1} << k++;
    }
    sf.tok_end = static_cast<uint32_t>(d.tokens.size());
    d.sentences.push_back(sf);
  }
  return d;
}

// A sentence of `n` tokens whose ids are base, base+1, ... (so that two
// sentences made with the same base match token for token).
inline Sent Words(uint32_t base, int n, bool paragraph_end = false) {
  Sent s{static_cast<uint32_t>(n * 6), {}, paragraph_end};
  for (int k = 0; k < n; ++k) s.tokens.push_back({base + static_cast<uint32_t>(k)});
  return s;
}

}  // namespace qantara::align::testing

#endif  // QANTARA_TESTS_SERVICE_ALIGN_TEST_DOCS_H_
