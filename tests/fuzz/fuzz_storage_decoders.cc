// libFuzzer target: storage's byte formats (storage/FORMAT.md) on arbitrary
// bytes. Byte 0 picks a decoder (memory record, progress mark, unit, unit
// keys, posting list, learned lexicon, posting ops, keys, exact dates); the rest is its
// input. Checks, beyond "no crash, no read past the end, no UB": a decoder
// returns a value or DataLoss; a decoded value re-encodes and decodes to the
// same value; a posting list decodes to ascending ids; and keys built from
// the bytes have the documented layout and sort like their numbers.
//
//   tests/fuzz/run_fuzzers.sh   (build-fuzz/fuzz/fuzz_storage_decoders, seeds in
//   tests/fuzz/corpus/fuzz_storage_decoders)
#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "storage/internal/encoding.h"
#include "storage/lexicon_store.h"
#include "tests/fuzz/fuzz_check.h"

namespace qantara::storage {
namespace {

using fuzz::Check;

template <typename T>
void CheckDataLoss(const absl::StatusOr<T>& v) {
  Check(v.ok() || v.status().code() == absl::StatusCode::kDataLoss, "a decoder fails with DataLoss only");
}

uint64_t Bits(double d) {
  uint64_t b;
  std::memcpy(&b, &d, 8);
  return b;
}

// Unit equality with the confidence compared bit for bit (NaN included).
bool SameUnit(const match::Unit& a, const match::Unit& b) {
  return a.id == b.id && a.source == b.source && a.target == b.target && a.created_at_us == b.created_at_us &&
         a.changed_at_us == b.changed_at_us && a.created_by == b.created_by && a.changed_by == b.changed_by &&
         a.attributes.project == b.attributes.project && a.attributes.domain == b.attributes.domain &&
         a.attributes.client == b.attributes.client && a.attributes.extra == b.attributes.extra &&
         a.context.prev == b.context.prev && a.context.next == b.context.next &&
         a.context.id == b.context.id && a.origin == b.origin &&
         Bits(a.alignment_confidence) == Bits(b.alignment_confidence) && a.usage_count == b.usage_count;
}

bool SameMark(const ProgressMark& a, const ProgressMark& b) {
  return a.job == b.job && a.position == b.position && a.complete == b.complete &&
         a.updated_at_us == b.updated_at_us;
}

void Progress(std::string_view in) {
  const std::string job = "import:sha256:00";
  absl::StatusOr<ProgressMark> m = DecodeProgress(job, in);
  CheckDataLoss(m);
  if (!m.ok()) return;
  const std::string again = EncodeProgress(*m);
  absl::StatusOr<ProgressMark> m2 = DecodeProgress(job, again);
  Check(m2.ok() && SameMark(*m, *m2), "progress mark round trip");
  Check(EncodeProgress(*m2) == again, "progress mark encoding is stable");
}

void Record(std::string_view in) {
  absl::StatusOr<MemoryRecord> r = DecodeMemoryRecord(in);
  CheckDataLoss(r);
  if (!r.ok()) return;
  const std::string again = EncodeMemoryRecord(*r);
  absl::StatusOr<MemoryRecord> r2 = DecodeMemoryRecord(again);
  Check(r2.ok() && *r2 == *r, "memory record round trip");
  Check(EncodeMemoryRecord(*r2) == again, "memory record encoding is stable");
}

void UnitValue(std::string_view in, uint64_t id) {
  absl::StatusOr<match::Unit> u = DecodeUnit(id, in);
  CheckDataLoss(u);
  if (!u.ok()) return;
  Check(u->id == id, "unit id from the key");
  Check(static_cast<uint8_t>(u->origin) <= 2, "unit origin in range");
  const std::string again = EncodeUnit(*u);
  absl::StatusOr<match::Unit> u2 = DecodeUnit(id, again);
  Check(u2.ok() && SameUnit(*u, *u2), "unit round trip");
  Check(EncodeUnit(*u2) == again, "unit encoding is stable");
}

void KeysValue(std::string_view in) {
  absl::StatusOr<match::UnitKeys> k = DecodeUnitKeys(in);
  CheckDataLoss(k);
  if (!k.ok()) return;
  const std::string again = EncodeUnitKeys(*k);
  absl::StatusOr<match::UnitKeys> k2 = DecodeUnitKeys(again);
  Check(k2.ok() && *k2 == *k, "unit keys round trip");
  Check(EncodeUnitKeys(*k2) == again, "unit keys encoding is stable");
}

void List(std::string_view in) {
  absl::StatusOr<std::vector<uint64_t>> ids = DecodePostingList(in);
  CheckDataLoss(ids);
  if (!ids.ok()) return;
  for (size_t i = 1; i < ids->size(); ++i) Check((*ids)[i - 1] < (*ids)[i], "posting list ids ascending");
  const std::string again = EncodePostingList(*ids);
  absl::StatusOr<std::vector<uint64_t>> ids2 = DecodePostingList(again);
  Check(ids2.ok() && *ids2 == *ids, "posting list round trip");
  Check(EncodePostingList(*ids2) == again, "posting list encoding is stable");
}

void Lexicon(std::string_view in) {
  absl::StatusOr<StoredLexicon> l = DecodeStoredLexicon(in);
  CheckDataLoss(l);
  if (!l.ok()) return;
  const std::string again = EncodeStoredLexicon(*l);
  absl::StatusOr<StoredLexicon> l2 = DecodeStoredLexicon(again);
  Check(l2.ok() && *l2 == *l, "lexicon round trip");
  Check(EncodeStoredLexicon(*l2) == again, "lexicon encoding is stable");
}

// Posting ops on a list: ApplyPostingOps succeeds exactly on a whole sequence
// of varints, keeps the ids ascending, and never loses an id it did not remove.
void Ops(std::string_view in) {
  std::vector<uint64_t> ids = {1, 5, 9};
  std::vector<uint64_t> before = ids;
  const bool ok = ApplyPostingOps(in, ids);
  ByteReader r(in);
  bool whole = true;
  while (!r.empty() && whole) {
    uint64_t v;
    whole = r.GetVarint64(&v);
  }
  Check(ok == whole, "ApplyPostingOps fails exactly on a cut varint");
  for (size_t i = 1; i < ids.size(); ++i) Check(ids[i - 1] < ids[i], "ops keep the ids ascending");
}

// Exact values: decode to a date bound (whole seconds) or DataLoss; the
// bound of any date is at least the date, and is what its value decodes to.
void ExactDates(std::string_view in) {
  absl::StatusOr<int64_t> bound = DecodeExactValue(in);
  CheckDataLoss(bound);
  if (bound.ok() && *bound != match::ExactList::kUnknownChange) {
    Check(*bound >= 0 && *bound % 1'000'000 == 0, "an exact value holds whole seconds");
    absl::StatusOr<int64_t> again = DecodeExactValue(ExactValue(*bound));
    Check(again.ok() && *again == *bound, "exact value round trip");
  }
  if (in.size() >= 8) {
    int64_t date;
    std::memcpy(&date, in.data(), 8);
    const int64_t b = ExactBound(date);
    Check(b >= date, "the bound of a date is not below it");
    absl::StatusOr<int64_t> stored = DecodeExactValue(ExactValue(date));
    Check(stored.ok() && *stored == b, "a date's value decodes to its bound");
  }
}

// The primitives on arbitrary bytes: every Get* stays inside the input.
void Reader(std::string_view in) {
  ByteReader r(in);
  size_t op = 0;
  while (!r.empty()) {
    uint8_t b;
    uint32_t u32;
    uint64_t u64;
    std::string s;
    bool got = false;
    switch (op++ % 5) {
      case 0: got = r.GetVarint64(&u64); break;
      case 1: got = r.GetString(&s); break;
      case 2: got = r.GetFixed32BE(&u32); break;
      case 3: got = r.GetFixed64BE(&u64); break;
      case 4: got = r.GetByte(&b); break;
    }
    if (!got && !r.GetByte(&b)) break;
  }
}

// Keys built from the input's numbers: the layout of FORMAT.md, and
// bytewise order = numeric order.
void KeyLayout(FuzzedDataProvider& fdp) {
  const uint32_t m1 = fdp.ConsumeIntegral<uint32_t>(), m2 = fdp.ConsumeIntegral<uint32_t>();
  const uint64_t u1 = fdp.ConsumeIntegral<uint64_t>(), u2 = fdp.ConsumeIntegral<uint64_t>();
  const uint64_t t1 = fdp.ConsumeIntegral<uint64_t>();
  const uint32_t len = fdp.ConsumeIntegral<uint32_t>();
  const match::Side side = fdp.ConsumeBool() ? match::Side::kTarget : match::Side::kSource;
  const std::string job = fdp.ConsumeRandomLengthString(128);

  const std::string k1 = UnitKey(m1, u1), k2 = UnitKey(m2, u2);
  Check(k1.size() == 12 && UnitIdOfKey(k1) == u1 && DecodeFixed32BE(k1.data()) == m1, "unit key layout");
  Check(k1.compare(0, 4, MemoryPrefix(m1)) == 0, "unit key starts with the memory prefix");
  const int by_bytes = k1.compare(k2);
  const auto a = std::make_tuple(m1, u1), b = std::make_tuple(m2, u2);
  Check((by_bytes < 0) == (a < b) && (by_bytes == 0) == (a == b), "unit keys sort like their numbers");

  const std::string pk = PostingKey(m1, side, t1, len);
  Check(pk.size() == 15 && pk.compare(0, 13, PostingTokenPrefix(m1, side, t1)) == 0, "posting key layout");
  Check(DecodeFixed64BE(pk.data() + 5) == t1 && static_cast<uint8_t>(pk[4]) == static_cast<uint8_t>(side),
        "posting key token and side");
  const uint32_t stored = (static_cast<uint8_t>(pk[13]) << 8) | static_cast<uint8_t>(pk[14]);
  Check(stored == std::min<uint32_t>(len, 0xffff), "posting key length capped at 65535");

  const std::string ek = ExactKey(m1, side, t1, u1);
  Check(ek.size() == 21 && ek.compare(0, 13, ExactPrefix(m1, side, t1)) == 0 &&
            DecodeFixed64BE(ek.data() + 13) == u1,
        "exact key layout");

  const std::string r1 = MemoryRecordKey(m1), i1 = IndexedUptoKey(m1), d1 = TombstoneKey(m1);
  Check(r1.size() == 5 && r1[0] == 'm' && DecodeFixed32BE(r1.data() + 1) == m1, "record key layout");
  Check(i1.size() == 5 && i1[0] == 'i' && d1.size() == 5 && d1[0] == 'd', "watermark and tombstone keys");
  Check(MemoryNameKey(job) == "n" + job, "name key");
  if (m1 != UINT32_MAX) {
    const std::string p = ProgressKey(m1, job);
    Check(p >= ProgressKey(m1, "") && p < ProgressKey(m1 + 1, ""),
          "a progress mark inside its memory's range");
  }
}

// Values built from the input: encode then decode gives them back.
void Structured(FuzzedDataProvider& fdp) {
  match::Unit u;
  u.id = fdp.ConsumeIntegral<uint64_t>();
  u.source = fdp.ConsumeRandomLengthString(64);
  u.target = fdp.ConsumeRandomLengthString(64);
  u.created_at_us = fdp.ConsumeIntegral<int64_t>();
  u.changed_at_us = fdp.ConsumeIntegral<int64_t>();
  u.created_by = fdp.ConsumeRandomLengthString(16);
  u.attributes.project = fdp.ConsumeRandomLengthString(16);
  for (int n = fdp.ConsumeIntegralInRange(0, 4); n > 0; --n) {
    u.attributes.extra[fdp.ConsumeRandomLengthString(8)] = fdp.ConsumeRandomLengthString(8);
  }
  u.context.id = fdp.ConsumeRandomLengthString(16);
  u.origin = static_cast<match::Origin>(fdp.ConsumeIntegralInRange(0, 2));
  u.alignment_confidence = fdp.ConsumeFloatingPoint<double>();
  if (fdp.ConsumeBool()) u.alignment_confidence = std::nan("");
  u.usage_count = fdp.ConsumeIntegral<uint64_t>();
  absl::StatusOr<match::Unit> u2 = DecodeUnit(u.id, EncodeUnit(u));
  Check(u2.ok() && SameUnit(u, *u2), "unit encode/decode");

  match::UnitKeys keys;
  keys.changed_at_us = fdp.ConsumeIntegral<int64_t>();
  for (match::SideKey* side : {&keys.source, &keys.target}) {
    for (int n = fdp.ConsumeIntegralInRange(0, 8); n > 0; --n) {
      side->tokens.push_back({fdp.ConsumeIntegral<uint64_t>(), fdp.ConsumeIntegral<uint32_t>(),
                              fdp.ConsumeIntegral<uint32_t>()});
    }
    side->punctuation = fdp.ConsumeRandomLengthString(8);
    side->whitespace = fdp.ConsumeRandomLengthString(8);
  }
  absl::StatusOr<match::UnitKeys> k2 = DecodeUnitKeys(EncodeUnitKeys(keys));
  Check(k2.ok() && *k2 == keys, "unit keys encode/decode");

  std::vector<uint64_t> ids;
  uint64_t id = fdp.ConsumeIntegralInRange<uint64_t>(0, 3);
  for (int n = fdp.ConsumeIntegralInRange(0, 16); n > 0 && id < (uint64_t{1} << 62); --n) {
    ids.push_back(id);
    id += 1 + fdp.ConsumeIntegralInRange<uint64_t>(0, fdp.ConsumeBool() ? 3 : uint64_t{1} << 40);
  }
  absl::StatusOr<std::vector<uint64_t>> ids2 = DecodePostingList(EncodePostingList(ids));
  Check(ids2.ok() && *ids2 == ids, "posting list encode/decode");

  MemoryRecord rec;
  rec.id = fdp.ConsumeIntegral<uint32_t>();
  rec.name = fdp.ConsumeRandomLengthString(16);
  rec.source_lang = "ar";
  rec.description = fdp.ConsumeRandomLengthString(32);
  rec.created_at_us = fdp.ConsumeIntegral<int64_t>();
  rec.unit_count = fdp.ConsumeIntegral<uint64_t>();
  rec.next_unit_id = fdp.ConsumeIntegral<uint64_t>();
  rec.max_length[0] = fdp.ConsumeIntegral<uint32_t>();
  rec.max_length[1] = fdp.ConsumeIntegral<uint32_t>();
  absl::StatusOr<MemoryRecord> rec2 = DecodeMemoryRecord(EncodeMemoryRecord(rec));
  Check(rec2.ok() && *rec2 == rec, "memory record encode/decode");

  ProgressMark mark;
  mark.job = "j";
  mark.position = fdp.ConsumeIntegral<uint64_t>();
  mark.complete = fdp.ConsumeBool();
  mark.updated_at_us = fdp.ConsumeIntegral<int64_t>();
  absl::StatusOr<ProgressMark> mark2 = DecodeProgress("j", EncodeProgress(mark));
  Check(mark2.ok() && SameMark(mark, *mark2), "progress mark encode/decode");

  StoredLexicon lex;
  lex.analysis_version = fdp.ConsumeIntegral<uint32_t>();
  lex.trained_units = fdp.ConsumeIntegral<uint64_t>();
  lex.trained_at_us = fdp.ConsumeIntegral<int64_t>();
  for (int n = fdp.ConsumeIntegralInRange(0, 4); n > 0; --n) {
    std::vector<std::string> concepts;
    for (int m = fdp.ConsumeIntegralInRange(0, 3); m > 0; --m)
      concepts.push_back(fdp.ConsumeRandomLengthString(8));
    lex.entries.emplace_back(fdp.ConsumeRandomLengthString(8), std::move(concepts));
  }
  absl::StatusOr<StoredLexicon> lex2 = DecodeStoredLexicon(EncodeStoredLexicon(lex));
  Check(lex2.ok() && *lex2 == lex, "lexicon encode/decode");
}

}  // namespace
}  // namespace qantara::storage

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace qantara::storage;
  if (size == 0) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  FuzzedDataProvider fdp(data + 1, size - 1);
  switch (data[0] % 11) {
    case 0: Record(in); break;
    case 1: Progress(in); break;
    case 2: UnitValue(in, data[0]); break;
    case 3: KeysValue(in); break;
    case 4: List(in); break;
    case 5: Lexicon(in); break;
    case 6: Ops(in); break;
    case 7: Reader(in); break;
    case 8: KeyLayout(fdp); break;
    case 9: Structured(fdp); break;
    case 10: ExactDates(in); break;
  }
  return 0;
}
