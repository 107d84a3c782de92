// The segment's matching keys: the shared key every number maps to, and the
// exact hash of a side's normalised key sequence.
#include "service/match/segment.h"

#include <cstring>

#include "service/match/hash.h"

namespace qantara::match {

uint64_t NumberKey() {
  static const uint64_t key = Hash64(std::string_view("\x01#", 2));
  return key;
}

uint64_t SideKey::ExactHash() const {
  std::string buf;
  buf.resize(tokens.size() * 8);
  for (size_t i = 0; i < tokens.size(); ++i) {
    uint64_t k = tokens[i].key;
    for (int b = 0; b < 8; ++b) buf[i * 8 + b] = static_cast<char>((k >> (56 - 8 * b)) & 0xff);
  }
  return Hash64(buf);
}

}  // namespace qantara::match
