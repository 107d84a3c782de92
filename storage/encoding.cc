// Byte encodings of qantara's keys and values: big-endian fixed-width keys,
// versioned varint values, and decoders that return DataLoss on malformed input.
#include "storage/internal/encoding.h"

#include <algorithm>
#include <cstring>
#include <optional>

namespace qantara::storage {

namespace {
// Writes v big-endian at dst (4 or 8 bytes).
void EncodeFixed32BE(char* dst, uint32_t v) {
  for (int i = 0; i < 4; ++i) dst[i] = static_cast<char>((v >> (8 * (3 - i))) & 0xff);
}
void EncodeFixed64BE(char* dst, uint64_t v) {
  for (int i = 0; i < 8; ++i) dst[i] = static_cast<char>((v >> (8 * (7 - i))) & 0xff);
}
}  // namespace

void PutFixed32BE(std::string& out, uint32_t v) {
  char b[4];
  EncodeFixed32BE(b, v);
  out.append(b, 4);
}
void PutFixed64BE(std::string& out, uint64_t v) {
  char b[8];
  EncodeFixed64BE(b, v);
  out.append(b, 8);
}
uint32_t DecodeFixed32BE(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}
uint64_t DecodeFixed64BE(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}
void PutVarint64(std::string& out, uint64_t v) {
  char b[10];
  int n = 0;
  while (v >= 0x80) {
    b[n++] = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  b[n++] = static_cast<char>(v);
  out.append(b, n);
}
void PutString(std::string& out, std::string_view s) {
  PutVarint64(out, s.size());
  out.append(s);
}

bool ByteReader::GetByte(uint8_t* v) {
  if (in_.empty()) return false;
  *v = static_cast<uint8_t>(in_[0]);
  in_.remove_prefix(1);
  return true;
}
bool ByteReader::GetVarint64(uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift <= 63 && !in_.empty(); shift += 7) {
    const uint8_t byte = static_cast<uint8_t>(in_[0]);
    in_.remove_prefix(1);
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *v = result;
      return true;
    }
  }
  return false;
}
bool ByteReader::GetString(std::string* s) {
  uint64_t n = 0;
  if (!GetVarint64(&n) || n > in_.size()) return false;
  s->assign(in_.data(), n);
  in_.remove_prefix(n);
  return true;
}
bool ByteReader::GetFixed32BE(uint32_t* v) {
  if (in_.size() < 4) return false;
  *v = DecodeFixed32BE(in_.data());
  in_.remove_prefix(4);
  return true;
}
bool ByteReader::GetFixed64BE(uint64_t* v) {
  if (in_.size() < 8) return false;
  *v = DecodeFixed64BE(in_.data());
  in_.remove_prefix(8);
  return true;
}

namespace {

constexpr uint8_t kValueVersion = 1;

absl::Status Corrupt(std::string_view what) {
  return absl::DataLossError(std::string("corrupt ") + std::string(what) + " value");
}

uint64_t DoubleBits(double d) {
  uint64_t b;
  std::memcpy(&b, &d, 8);
  return b;
}
double BitsDouble(uint64_t b) {
  double d;
  std::memcpy(&d, &b, 8);
  return d;
}

}  // namespace

std::string MemoryNameKey(std::string_view name) { return "n" + std::string(name); }
std::string MemoryRecordKey(uint32_t memory_id) {
  std::string k = "m";
  PutFixed32BE(k, memory_id);
  return k;
}

std::string TombstoneKey(uint32_t memory_id) {
  std::string k = "d";
  PutFixed32BE(k, memory_id);
  return k;
}

std::string ProgressKey(uint32_t memory_id, std::string_view job) {
  std::string k = "p";
  PutFixed32BE(k, memory_id);
  k.append(job);
  return k;
}

std::string EncodeProgress(const ProgressMark& mark) {
  std::string out;
  out.push_back(static_cast<char>(kValueVersion));
  PutVarint64(out, mark.position);
  out.push_back(mark.complete ? 1 : 0);
  PutVarint64(out, static_cast<uint64_t>(mark.updated_at_us));
  return out;
}

absl::StatusOr<ProgressMark> DecodeProgress(std::string_view job, std::string_view in) {
  ByteReader r(in);
  ProgressMark m;
  m.job = std::string(job);
  uint8_t version = 0, complete = 0;
  uint64_t updated = 0;
  if (!r.GetByte(&version) || version != kValueVersion || !r.GetVarint64(&m.position) ||
      !r.GetByte(&complete) || complete > 1 || !r.GetVarint64(&updated) || !r.empty()) {
    return Corrupt("progress mark");
  }
  m.complete = complete == 1;
  m.updated_at_us = static_cast<int64_t>(updated);
  return m;
}

std::string IndexedUptoKey(uint32_t memory_id) {
  std::string k = "i";
  PutFixed32BE(k, memory_id);
  return k;
}

std::string EncodeMemoryRecord(const MemoryRecord& r) {
  std::string out;
  out.push_back(static_cast<char>(kValueVersion));
  PutVarint64(out, r.id);
  PutString(out, r.name);
  PutString(out, r.source_lang);
  PutString(out, r.target_lang);
  PutString(out, r.description);
  PutVarint64(out, static_cast<uint64_t>(r.created_at_us));
  PutVarint64(out, r.unit_count);
  PutVarint64(out, r.next_unit_id);
  PutVarint64(out, r.max_length[0]);
  PutVarint64(out, r.max_length[1]);
  return out;
}

absl::StatusOr<MemoryRecord> DecodeMemoryRecord(std::string_view in) {
  ByteReader r(in);
  MemoryRecord m;
  uint8_t version = 0;
  uint64_t id = 0, created = 0, l0 = 0, l1 = 0;
  if (!r.GetByte(&version) || version != kValueVersion || !r.GetVarint64(&id) || !r.GetString(&m.name) ||
      !r.GetString(&m.source_lang) || !r.GetString(&m.target_lang) || !r.GetString(&m.description) ||
      !r.GetVarint64(&created) || !r.GetVarint64(&m.unit_count) || !r.GetVarint64(&m.next_unit_id) ||
      !r.GetVarint64(&l0) || !r.GetVarint64(&l1)) {
    return Corrupt("memory");
  }
  m.id = static_cast<uint32_t>(id);
  m.created_at_us = static_cast<int64_t>(created);
  m.max_length[0] = static_cast<uint32_t>(l0);
  m.max_length[1] = static_cast<uint32_t>(l1);
  return m;
}

std::string MemoryPrefix(uint32_t memory_id) {
  std::string k;
  PutFixed32BE(k, memory_id);
  return k;
}

std::string UnitKey(uint32_t memory_id, uint64_t unit_id) {
  std::string k;
  k.reserve(12);
  PutFixed32BE(k, memory_id);
  PutFixed64BE(k, unit_id);
  return k;
}

uint64_t UnitIdOfKey(std::string_view key) { return DecodeFixed64BE(key.data() + 4); }

std::string EncodeUnit(const match::Unit& u) {
  std::string out;
  out.reserve(96 + u.source.size() + u.target.size() + u.created_by.size() + u.changed_by.size());
  out.push_back(static_cast<char>(kValueVersion));
  PutString(out, u.source);
  PutString(out, u.target);
  PutVarint64(out, static_cast<uint64_t>(u.created_at_us));
  PutVarint64(out, static_cast<uint64_t>(u.changed_at_us));
  PutString(out, u.created_by);
  PutString(out, u.changed_by);
  PutString(out, u.attributes.project);
  PutString(out, u.attributes.domain);
  PutString(out, u.attributes.client);
  PutVarint64(out, u.attributes.extra.size());
  for (const auto& [k, v] : u.attributes.extra) {
    PutString(out, k);
    PutString(out, v);
  }
  PutString(out, u.context.prev);
  PutString(out, u.context.next);
  PutString(out, u.context.id);
  out.push_back(static_cast<char>(u.origin));
  PutFixed64BE(out, DoubleBits(u.alignment_confidence));
  PutVarint64(out, u.usage_count);
  PutVarint64(out, u.revision);
  return out;
}

absl::StatusOr<match::Unit> DecodeUnit(uint64_t id, std::string_view in) {
  ByteReader r(in);
  match::Unit u;
  u.id = id;
  uint8_t version = 0, origin = 0;
  uint64_t created = 0, changed = 0, nextra = 0, conf = 0;
  if (!r.GetByte(&version) || version != kValueVersion || !r.GetString(&u.source) ||
      !r.GetString(&u.target) || !r.GetVarint64(&created) || !r.GetVarint64(&changed) ||
      !r.GetString(&u.created_by) || !r.GetString(&u.changed_by) || !r.GetString(&u.attributes.project) ||
      !r.GetString(&u.attributes.domain) || !r.GetString(&u.attributes.client) || !r.GetVarint64(&nextra)) {
    return Corrupt("unit");
  }
  for (uint64_t i = 0; i < nextra; ++i) {
    std::string k, v;
    if (!r.GetString(&k) || !r.GetString(&v)) return Corrupt("unit");
    u.attributes.extra.emplace(std::move(k), std::move(v));
  }
  if (!r.GetString(&u.context.prev) || !r.GetString(&u.context.next) || !r.GetString(&u.context.id) ||
      !r.GetByte(&origin) || origin > 2 || !r.GetFixed64BE(&conf) || !r.GetVarint64(&u.usage_count)) {
    return Corrupt("unit");
  }
  // Records written before format version 5 end here: revision 1.
  u.revision = 1;
  if (!r.empty() && (!r.GetVarint64(&u.revision) || u.revision == 0 || !r.empty())) return Corrupt("unit");
  u.created_at_us = static_cast<int64_t>(created);
  u.changed_at_us = static_cast<int64_t>(changed);
  u.origin = static_cast<match::Origin>(origin);
  u.alignment_confidence = BitsDouble(conf);
  return u;
}

namespace {

void PutSideKey(std::string& out, const match::SideKey& k) {
  PutVarint64(out, k.tokens.size());
  size_t at = out.size();
  out.resize(at + 16 * k.tokens.size());
  for (const match::MatchToken& t : k.tokens) {
    EncodeFixed64BE(&out[at], t.key);
    EncodeFixed32BE(&out[at + 8], t.surface);
    EncodeFixed32BE(&out[at + 12], t.folded);
    at += 16;
  }
  PutString(out, k.punctuation);
  PutString(out, k.inline_codes);
  PutString(out, k.whitespace);
}

bool GetSideKey(ByteReader& r, match::SideKey& k) {
  uint64_t n = 0;
  if (!r.GetVarint64(&n) || n > (1u << 20)) return false;
  k.tokens.resize(n);
  for (match::MatchToken& t : k.tokens) {
    if (!r.GetFixed64BE(&t.key) || !r.GetFixed32BE(&t.surface) || !r.GetFixed32BE(&t.folded)) {
      return false;
    }
  }
  return r.GetString(&k.punctuation) && r.GetString(&k.inline_codes) && r.GetString(&k.whitespace);
}

}  // namespace

std::string EncodeUnitKeys(const match::UnitKeys& keys) {
  std::string out;
  out.reserve(32 + 16 * (keys.source.tokens.size() + keys.target.tokens.size()) +
              keys.source.punctuation.size() + keys.target.punctuation.size() +
              keys.source.inline_codes.size() + keys.target.inline_codes.size() +
              keys.source.whitespace.size() + keys.target.whitespace.size());
  out.push_back(static_cast<char>(kValueVersion));
  PutVarint64(out, static_cast<uint64_t>(keys.changed_at_us));
  PutSideKey(out, keys.source);
  PutSideKey(out, keys.target);
  return out;
}

absl::StatusOr<match::UnitKeys> DecodeUnitKeys(std::string_view in) {
  ByteReader r(in);
  match::UnitKeys keys;
  uint8_t version = 0;
  uint64_t changed = 0;
  if (!r.GetByte(&version) || version != kValueVersion || !r.GetVarint64(&changed) ||
      !GetSideKey(r, keys.source) || !GetSideKey(r, keys.target)) {
    return Corrupt("unit keys");
  }
  keys.changed_at_us = static_cast<int64_t>(changed);
  return keys;
}

std::string PostingKey(uint32_t memory_id, match::Side side, uint64_t token_key, uint32_t length) {
  std::string k = PostingTokenPrefix(memory_id, side, token_key);
  const uint32_t len = std::min<uint32_t>(length, 0xffff);
  k.push_back(static_cast<char>(len >> 8));
  k.push_back(static_cast<char>(len & 0xff));
  return k;
}

std::string PostingTokenPrefix(uint32_t memory_id, match::Side side, uint64_t token_key) {
  std::string k;
  k.reserve(15);
  PutFixed32BE(k, memory_id);
  k.push_back(static_cast<char>(side));
  PutFixed64BE(k, token_key);
  return k;
}

std::string EncodePostingList(const std::vector<uint64_t>& ids) {
  std::string out;
  PutVarint64(out, ids.size());
  uint64_t prev = 0;
  for (uint64_t id : ids) {
    PutVarint64(out, id - prev);
    prev = id;
  }
  return out;
}

namespace {

// Decodes a stored posting list, checking it, into `append` (called with
// each id, ascending); returns false when the list is malformed.
template <typename Reserve, typename Append>
bool DecodePostingIds(std::string_view in, Reserve&& reserve, Append&& append) {
  ByteReader r(in);
  uint64_t n = 0;
  if (!r.GetVarint64(&n) || n > in.size()) return false;
  reserve(n);
  // The hot loop of a lookup over long lists: bytes read through a pointer,
  // a one-byte delta (most of a long list's) without the general varint
  // loop.
  const uint8_t* p = reinterpret_cast<const uint8_t*>(in.data()) + (in.size() - r.remaining());
  const uint8_t* const end = reinterpret_cast<const uint8_t*>(in.data()) + in.size();
  uint64_t prev = 0;
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t d = 0;
    if (p < end && *p < 0x80) {
      d = *p++;
    } else {
      ByteReader rest(std::string_view(reinterpret_cast<const char*>(p), end - p));
      if (!rest.GetVarint64(&d)) return false;
      p = end - rest.remaining();
    }
    // Strictly ascending ids: a zero delta (after the first id) or one that
    // wraps around would give a list the merge operator and the readers
    // (which search and merge it as sorted) would misread.
    if ((i > 0 && d == 0) || d > UINT64_MAX - prev) return false;
    prev += d;
    append(prev);
  }
  return p == end;
}

}  // namespace

absl::StatusOr<std::vector<uint64_t>> DecodePostingList(std::string_view in) {
  // Filled without zeroing the vector first.
  std::vector<uint64_t> ids;
  if (!DecodePostingIds(
          in, [&](uint64_t n) { ids.reserve(n); }, [&](uint64_t id) { ids.push_back(id); })) {
    return Corrupt("posting list");
  }
  return ids;
}

absl::StatusOr<match::PostingList> DecodeCompactPostingList(std::string_view in) {
  std::optional<match::PostingListBuilder> b;
  if (!DecodePostingIds(
          in, [&](uint64_t n) { b.emplace(n, in.size() / 8 + n / match::PostingList::kBlock + 2); },
          [&](uint64_t id) { b->Append(id); })) {
    return Corrupt("posting list");
  }
  return std::move(*b).Build();
}

void AppendPostingOp(std::string& operand, uint64_t id, bool remove) {
  PutVarint64(operand, (id << 1) | (remove ? 1 : 0));
}

bool ApplyPostingOps(std::string_view operand, std::vector<uint64_t>& ids) {
  ByteReader r(operand);
  while (!r.empty()) {
    uint64_t v = 0;
    if (!r.GetVarint64(&v)) return false;
    const uint64_t id = v >> 1;
    if (!(v & 1) && (ids.empty() || ids.back() < id)) {
      ids.push_back(id);  // the common case: adds in ascending id order
      continue;
    }
    auto it = std::lower_bound(ids.begin(), ids.end(), id);
    if (v & 1) {
      if (it != ids.end() && *it == id) ids.erase(it);
    } else if (it == ids.end() || *it != id) {
      ids.insert(it, id);
    }
  }
  return true;
}

std::string ExactPrefix(uint32_t memory_id, match::Side side, uint64_t hash) {
  std::string k;
  k.reserve(21);
  PutFixed32BE(k, memory_id);
  k.push_back(static_cast<char>(side));
  PutFixed64BE(k, hash);
  return k;
}

std::string ExactKey(uint32_t memory_id, match::Side side, uint64_t hash, uint64_t unit_id) {
  std::string k = ExactPrefix(memory_id, side, hash);
  PutFixed64BE(k, unit_id);
  return k;
}

namespace {
constexpr int64_t kSecond = 1000000;
uint64_t ExactSeconds(int64_t changed_at_us) {
  return changed_at_us <= 0 ? 0
                            : static_cast<uint64_t>(changed_at_us / kSecond + (changed_at_us % kSecond != 0));
}
}  // namespace

std::string ExactValue(int64_t changed_at_us) {
  std::string v;
  PutVarint64(v, ExactSeconds(changed_at_us));
  return v;
}

int64_t ExactBound(int64_t changed_at_us) {
  // ExactSeconds of an int64 is at most INT64_MAX / kSecond + 1: times
  // kSecond it may pass INT64_MAX (a date within a second of the end of
  // int64): then the bound is unknown, which is the largest.
  const uint64_t seconds = ExactSeconds(changed_at_us);
  if (seconds > static_cast<uint64_t>(INT64_MAX / kSecond)) return match::ExactList::kUnknownChange;
  return static_cast<int64_t>(seconds) * kSecond;
}

absl::StatusOr<int64_t> DecodeExactValue(std::string_view value) {
  if (value.empty()) return match::ExactList::kUnknownChange;
  ByteReader r(value);
  uint64_t seconds = 0;
  if (!r.GetVarint64(&seconds) || !r.empty()) return absl::DataLossError("exact index: a malformed value");
  // A date in the last second of int64 (ExactBound): unknown.
  if (seconds > static_cast<uint64_t>(INT64_MAX / kSecond)) return match::ExactList::kUnknownChange;
  return static_cast<int64_t>(seconds) * kSecond;
}

}  // namespace qantara::storage
