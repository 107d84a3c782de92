// Varints (7 bits a byte, low bits first, the high bit set on every byte
// but the last): the writer every encoder shares, and a reader of bytes
// known to be well-formed (written by this process).
#ifndef QANTARA_SERVICE_BASE_VARINT_H_
#define QANTARA_SERVICE_BASE_VARINT_H_

#include <cstdint>
#include <string>

namespace qantara {

// Appends `v` as a varint (1 to 10 bytes).
inline void PutVarint64(std::string& out, uint64_t v) {
  char b[10];
  int n = 0;
  while (v >= 0x80) {
    b[n++] = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  b[n++] = static_cast<char>(v);
  out.append(b, n);
}

// Reads the varint at `p` and moves `p` past it. REQUIRES: a well-formed
// varint at `p` (no bounds are checked: for bytes this process wrote).
inline uint64_t GetTrustedVarint64(const uint8_t*& p) {
  if (*p < 0x80) return *p++;
  uint64_t v = *p & 0x7f;
  for (int shift = 7; *p++ & 0x80; shift += 7) v |= static_cast<uint64_t>(*p & 0x7f) << shift;
  return v;
}

}  // namespace qantara

#endif  // QANTARA_SERVICE_BASE_VARINT_H_
