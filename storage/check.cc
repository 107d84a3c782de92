// Checking and repairing a data dir (storage/check.h): SST checksums, the
// catalog of memories, entries of memories that have no record, and per
// memory its units, unit keys and index entries.
#include "storage/check.h"

#include <algorithm>
#include <compare>
#include <memory>
#include <optional>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/sst_file_reader.h"
#include "rocksdb/write_batch.h"
#include "service/base/status_macros.h"
#include "storage/internal/encoding.h"
#include "storage/internal/index_entries.h"
#include "storage/internal/keys.h"
#include "storage/internal/memory_state.h"
#include "storage/internal/rocks.h"
#include "storage/internal/scan.h"
#include "storage/internal/status.h"

namespace qantara::storage {

const char* CheckProblemName(CheckProblem p) {
  switch (p) {
    case CheckProblem::kUnitUndecodable: return "unit record does not decode";
    case CheckProblem::kUnitKeysMissing: return "unit keys missing";
    case CheckProblem::kUnitKeysUndecodable: return "unit keys do not decode";
    case CheckProblem::kUnitKeysOrphan: return "unit keys of no unit";
    case CheckProblem::kUnitIdAboveNext: return "unit id not below the memory's next id";
    case CheckProblem::kUnitCount: return "wrong unit count in the memory record";
    case CheckProblem::kMaxLength: return "unit longer than the memory record's longest";
    case CheckProblem::kPostingMissing: return "posting entry missing";
    case CheckProblem::kPostingOrphan: return "posting entry of no unit's keys";
    case CheckProblem::kPostingUndecodable: return "posting list does not decode";
    case CheckProblem::kExactMissing: return "exact entry missing";
    case CheckProblem::kExactOrphan: return "exact entry of no unit's keys";
    case CheckProblem::kMalformedKey: return "malformed key";
    case CheckProblem::kReadError: return "read error";
    case CheckProblem::kExactDate: return "exact entry with a wrong date";
  }
  return "unknown problem";
}

uint64_t MemoryCheck::problem_count() const {
  uint64_t n = 0;
  for (const ProblemTally& t : problems) n += t.count;
  return n;
}

uint64_t CheckReport::problem_count() const {
  uint64_t n = store_problems.size();
  for (const MemoryCheck& m : memories) n += m.problem_count();
  return n;
}

std::string CheckReport::ToText() const {
  std::string out = absl::StrCat("SST files verified: ", sst_files, "\n");
  uint64_t units = 0;
  for (const MemoryCheck& m : memories) {
    units += m.units;
    absl::StrAppend(&out, "memory '", m.name, "' (id ", m.id, "): ", m.units, " units, ", m.posting_entries,
                    " posting entries, ", m.exact_entries, " exact entries: ");
    const uint64_t n = m.problem_count();
    absl::StrAppend(&out, n == 0 ? "clean" : absl::StrCat(n, " problems"), "\n");
    if (m.pending_units > 0) {
      absl::StrAppend(&out, "  ", m.pending_units,
                      " units above the index watermark (their index entries are rebuilt at open)\n");
    }
    for (int k = 0; k < kCheckProblemKinds; ++k) {
      const ProblemTally& t = m.problems[k];
      if (t.count == 0) continue;
      absl::StrAppend(&out, "  ", CheckProblemName(static_cast<CheckProblem>(k)), ": ", t.count);
      if (!t.examples.empty()) {
        absl::StrAppend(&out, " (unit", t.examples.size() > 1 ? "s " : " ", absl::StrJoin(t.examples, ", "),
                        t.count > t.examples.size() ? ", ..." : "", ")");
      }
      absl::StrAppend(&out, "\n");
      for (const std::string& note : t.notes) absl::StrAppend(&out, "    ", note, "\n");
    }
    for (const std::string& r : m.repairs) absl::StrAppend(&out, "  repaired: ", r, "\n");
  }
  for (const std::string& p : store_problems) absl::StrAppend(&out, "store: ", p, "\n");
  for (const std::string& r : store_repairs) absl::StrAppend(&out, "store repaired: ", r, "\n");
  for (const std::string& u : unrepaired) absl::StrAppend(&out, "NOT repaired: ", u, "\n");
  absl::StrAppend(&out, "total: ", memories.size(), " memories, ", units, " units, ", problem_count(),
                  " problems\n");
  return out;
}

namespace internal {
namespace {

// Repair writes, in batches of up to kBatchOps operations, in order.
class Fixer {
 public:
  Fixer(RocksHandles& rocks, bool enabled) : rocks_(rocks), enabled_(enabled) {}

  bool enabled() const { return enabled_; }
  void Put(Cf cf, std::string_view key, std::string_view value) {
    if (enabled_) Add(batch_.Put(rocks_.cf(cf), AsSlice(key), AsSlice(value)));
  }
  void Delete(Cf cf, std::string_view key) {
    if (enabled_) Add(batch_.Delete(rocks_.cf(cf), AsSlice(key)));
  }
  void Merge(Cf cf, std::string_view key, std::string_view operand) {
    if (enabled_) Add(batch_.Merge(rocks_.cf(cf), AsSlice(key), AsSlice(operand)));
  }
  void DeleteRange(Cf cf, std::string_view lo, std::string_view hi) {
    if (enabled_) Add(batch_.DeleteRange(rocks_.cf(cf), AsSlice(lo), AsSlice(hi)));
  }
  // Writes what is batched; the first error of any write.
  absl::Status Flush() {
    if (batch_.Count() > 0 && status_.ok()) {
      rocksdb::Status s = rocks_.db->Write(rocks_.write, &batch_);
      if (!s.ok()) status_ = FromRocks(s, "write repairs");
    }
    batch_.Clear();
    return status_;
  }

 private:
  static constexpr int kBatchOps = 10000;
  void Add(const rocksdb::Status& s) {
    if (!s.ok() && status_.ok()) status_ = FromRocks(s, "batch repairs");
    if (batch_.Count() >= kBatchOps) Flush().IgnoreError();  // kept in status_
  }

  RocksHandles& rocks_;
  const bool enabled_;
  rocksdb::WriteBatch batch_;
  absl::Status status_;
};

// Scans see every key (the prefix extractors of postings and exact would
// otherwise let a seek skip files) and leave the block cache alone.
rocksdb::ReadOptions CheckRead() {
  rocksdb::ReadOptions ro;
  ro.fill_cache = false;
  ro.total_order_seek = true;
  return ro;
}

// One (posting list, unit) pair: ordered as the postings column family
// orders its keys, then by unit id.
struct PostingEntry {
  uint8_t side;
  uint64_t token;
  uint16_t length;  // capped as in the key
  uint64_t id;
  auto operator<=>(const PostingEntry&) const = default;
};
struct ExactEntry {
  uint8_t side;
  uint64_t hash;
  uint64_t id;
  // The date bound (ExactBound) the unit's keys imply, or the stored value
  // holds; not part of the order (an entry is its key).
  int64_t bound = match::ExactList::kUnknownChange;
  friend bool operator<(const ExactEntry& a, const ExactEntry& b) {
    return std::tie(a.side, a.hash, a.id) < std::tie(b.side, b.hash, b.id);
  }
  friend bool operator==(const ExactEntry& a, const ExactEntry& b) {
    return a.side == b.side && a.hash == b.hash && a.id == b.id;
  }
};

// Compares a sorted list of the entries units imply with the stored
// entries, which arrive in the same order.
template <typename E, typename Missing, typename Orphan>
class EntryMerge {
 public:
  EntryMerge(const std::vector<E>& implied, Missing missing, Orphan orphan)
      : implied_(implied), missing_(std::move(missing)), orphan_(std::move(orphan)) {}
  // The implied entry equal to `s`, or nullptr (then `s` is an orphan).
  const E* Stored(const E& s) {
    while (next_ < implied_.size() && implied_[next_] < s) missing_(implied_[next_++]);
    if (next_ < implied_.size() && implied_[next_] == s) return &implied_[next_++];
    orphan_(s);
    return nullptr;
  }
  void Finish() {
    while (next_ < implied_.size()) missing_(implied_[next_++]);
  }

 private:
  const std::vector<E>& implied_;
  size_t next_ = 0;
  Missing missing_;
  Orphan orphan_;
};

class MemoryChecker {
 public:
  MemoryChecker(RocksHandles& rocks, const MemoryRecord& rec, const CheckOptions& options, MemoryCheck& out,
                std::vector<std::string>& unrepaired)
      : rocks_(rocks),
        rec_(rec),
        options_(options),
        out_(out),
        unrepaired_(unrepaired),
        fix_(rocks, options.repair) {
    out_.id = rec.id;
    out_.name = rec.name;
  }

  void Run() {
    if (absl::Status s = ReadWatermark(); !s.ok()) return ReadError(s);
    if (absl::Status s = CheckUnits(); !s.ok()) return ReadError(s);
    if (absl::Status s = CheckIndex(); !s.ok()) return ReadError(s);
    if (fix_.enabled() && has_watermark_ && watermark_ + 1 < fixed_.next_unit_id) {
      // Every unit's entries are written now.
      std::string upto;
      PutFixed64BE(upto, fixed_.next_unit_id - 1);
      fix_.Put(Cf::kMemories, IndexedUptoKey(rec_.id), upto);
    }
    if (absl::Status s = fix_.Flush(); !s.ok()) {
      unrepaired_.push_back(absl::StrCat("memory '", rec_.name, "': ", s.message()));
    }
  }

 private:
  void Note(CheckProblem p, uint64_t id) {
    ProblemTally& t = out_.problems[static_cast<int>(p)];
    ++t.count;
    if (id != 0 && t.examples.size() < options_.examples) t.examples.push_back(id);
  }
  void Repaired(CheckProblem p, uint64_t n, const char* how) {
    if (fix_.enabled() && n > 0) {
      out_.repairs.push_back(absl::StrCat(n, " × ", CheckProblemName(p), ": ", how));
    }
  }
  void ReadError(const absl::Status& s) {
    ProblemTally& t = out_.problems[static_cast<int>(CheckProblem::kReadError)];
    ++t.count;
    t.notes.emplace_back(s.message());
    if (fix_.enabled()) {
      fix_.Flush().IgnoreError();  // whole repairs made before the error stay
      unrepaired_.push_back(absl::StrCat("memory '", rec_.name, "': could not be read whole (", s.message(),
                                         "); restore it from a backup"));
    }
  }

  absl::Status ReadWatermark() {
    std::string v;
    rocksdb::Status s =
        rocks_.db->Get(CheckRead(), rocks_.cf(Cf::kMemories), AsSlice(IndexedUptoKey(rec_.id)), &v);
    if (s.IsNotFound()) return absl::OkStatus();  // every unit is indexed
    if (!s.ok()) return FromRocks(s, "read the index watermark");
    has_watermark_ = true;
    // A malformed watermark: every unit's entries are rebuilt at open.
    watermark_ = v.size() == 8 ? DecodeFixed64BE(v.data()) : 0;
    return absl::OkStatus();
  }

  // Walks `units` and `unit_keys` of the memory together (both in id order).
  absl::Status CheckUnits() {
    const std::string lo = MemoryPrefix(rec_.id), hi = MemoryPrefix(rec_.id + 1);
    rocksdb::Slice upper = AsSlice(hi);
    rocksdb::ReadOptions ro = CheckRead();
    ro.iterate_upper_bound = &upper;
    std::unique_ptr<rocksdb::Iterator> u(rocks_.db->NewIterator(ro, rocks_.cf(Cf::kUnits)));
    std::unique_ptr<rocksdb::Iterator> k(rocks_.db->NewIterator(ro, rocks_.cf(Cf::kUnitKeys)));
    u->Seek(AsSlice(lo));
    k->Seek(AsSlice(lo));
    uint64_t max_id = 0, deleted = 0, rekeyed = 0, dropped_keys = 0, malformed = 0;
    uint32_t longest[2] = {rec_.max_length[0], rec_.max_length[1]};
    const MemoryInfo info = InfoOf(rec_);
    while (u->Valid() || k->Valid()) {
      bool skipped = false;
      for (const auto& [it, cf] : {std::pair{u.get(), Cf::kUnits}, std::pair{k.get(), Cf::kUnitKeys}}) {
        if (it->Valid() && it->key().size() != 12) {
          Note(CheckProblem::kMalformedKey, 0);
          fix_.Delete(cf, AsView(it->key()));
          ++malformed;
          it->Next();
          skipped = true;
        }
      }
      if (skipped) continue;
      const uint64_t uid = u->Valid() ? UnitIdOfKey(AsView(u->key())) : 0;
      const uint64_t kid = k->Valid() ? UnitIdOfKey(AsView(k->key())) : 0;
      const bool has_unit = u->Valid() && (!k->Valid() || uid <= kid);
      const bool has_keys = k->Valid() && (!u->Valid() || kid <= uid);
      const uint64_t id = has_unit ? uid : kid;
      max_id = std::max(max_id, id);
      if (id >= rec_.next_unit_id) Note(CheckProblem::kUnitIdAboveNext, id);
      std::optional<Unit> unit;
      bool unit_bad = false;
      if (has_unit) {
        ++out_.units;
        auto decoded = DecodeUnit(id, AsView(u->value()));
        if (decoded.ok()) {
          unit = *std::move(decoded);
        } else {
          unit_bad = true;
          Note(CheckProblem::kUnitUndecodable, id);
        }
      }
      std::optional<match::UnitKeys> keys;
      if (has_keys) {
        auto decoded = DecodeUnitKeys(AsView(k->value()));
        if (decoded.ok()) {
          keys = *std::move(decoded);
        } else {
          Note(CheckProblem::kUnitKeysUndecodable, id);
        }
        if (!has_unit) Note(CheckProblem::kUnitKeysOrphan, id);
      } else {
        Note(CheckProblem::kUnitKeysMissing, id);
      }
      if (keys.has_value()) {
        const IndexEntries e = EntriesOf(*keys);
        implied_ += e.postings.size() + 2;
        for (int side = 0; side < 2; ++side) {
          if (e.length[side] > rec_.max_length[side]) Note(CheckProblem::kMaxLength, id);
          longest[side] = std::max(longest[side], e.length[side]);
        }
        if (has_watermark_ && id > watermark_) ++out_.pending_units;
      } else if (has_unit) {
        unknown_.insert(id);  // its index entries are not known
      }
      if (fix_.enabled()) {
        const std::string key = UnitKey(rec_.id, id);
        if (unit_bad) {
          fix_.Delete(Cf::kUnits, key);
          if (has_keys) fix_.Delete(Cf::kUnitKeys, key);
          ++deleted;
          unknown_.erase(id);
        } else if (has_unit && !keys.has_value()) {
          absl::Status made = absl::FailedPreconditionError("no analyzer to make keys with");
          if (options_.rekey) {
            auto fresh = options_.rekey(info, *unit);
            if (fresh.ok()) {
              fix_.Put(Cf::kUnitKeys, key, EncodeUnitKeys(**fresh));
              const IndexEntries e = EntriesOf(**fresh);
              for (int side = 0; side < 2; ++side) longest[side] = std::max(longest[side], e.length[side]);
              unknown_.erase(id);
              ++rekeyed;
            }
            made = fresh.status();
          }
          if (!made.ok()) {
            unrepaired_.push_back(absl::StrCat("memory '", rec_.name, "' unit ", id,
                                               ": keys not made again: ", made.message()));
          }
        } else if (!has_unit && has_keys) {
          fix_.Delete(Cf::kUnitKeys, key);
          ++dropped_keys;
        }
      }
      if (has_unit) u->Next();
      if (has_keys) k->Next();
    }
    if (!u->status().ok()) return FromRocks(u->status(), "read units");
    if (!k->status().ok()) return FromRocks(k->status(), "read unit keys");

    fixed_ = rec_;
    fixed_.unit_count = out_.units - deleted;
    fixed_.next_unit_id = std::max(rec_.next_unit_id, max_id + 1);
    fixed_.max_length[0] = longest[0];
    fixed_.max_length[1] = longest[1];
    if (rec_.unit_count != out_.units) {
      Note(CheckProblem::kUnitCount, 0);
      out_.problems[static_cast<int>(CheckProblem::kUnitCount)].notes.push_back(
          absl::StrCat("the record says ", rec_.unit_count, ", found ", out_.units));
    }
    Repaired(CheckProblem::kMalformedKey, malformed, "deleted");
    Repaired(CheckProblem::kUnitUndecodable, deleted, "unit deleted (its texts are lost)");
    Repaired(CheckProblem::kUnitKeysMissing, rekeyed, "keys made again from the unit");
    Repaired(CheckProblem::kUnitKeysOrphan, dropped_keys, "deleted");
    if (fix_.enabled() && !(fixed_ == rec_)) {
      fix_.Put(Cf::kMemories, MemoryRecordKey(rec_.id), EncodeMemoryRecord(fixed_));
      out_.repairs.push_back(absl::StrCat("memory record: unit_count ", fixed_.unit_count, ", next_unit_id ",
                                          fixed_.next_unit_id, ", longest sides ", fixed_.max_length[0], "/",
                                          fixed_.max_length[1]));
    }
    // The index is compared with the keys as repaired.
    return fix_.Flush();
  }

  // Compares the stored postings and exact entries with those the unit
  // keys imply, in token (hash) ranges of at most about
  // max_entries_in_memory implied entries each.
  absl::Status CheckIndex() {
    const uint64_t budget = std::max<uint64_t>(options_.max_entries_in_memory, 1);
    const uint64_t parts = std::max<uint64_t>(1, (implied_ + budget - 1) / budget);
    uint64_t added[2] = {0, 0}, removed[2] = {0, 0}, dropped = 0, redated = 0, dated = 0;
    for (uint64_t p = 0; p < parts; ++p) {
      const unsigned __int128 lo = (static_cast<unsigned __int128>(p) << 64) / parts;
      const unsigned __int128 hi = (static_cast<unsigned __int128>(p + 1) << 64) / parts;
      auto in_range = [&](uint64_t t) { return t >= lo && t < hi; };
      std::vector<PostingEntry> postings;
      std::vector<ExactEntry> exact;
      QANTARA_RETURN_IF_ERROR(ScanAll(
          rocks_, Cf::kUnitKeys, CheckRead(), MemoryPrefix(rec_.id), MemoryPrefix(rec_.id + 1),
          [&](std::string_view key, std::string_view value) -> absl::Status {
            if (key.size() != 12) return absl::OkStatus();
            auto keys = DecodeUnitKeys(value);
            if (!keys.ok()) return absl::OkStatus();
            const uint64_t id = UnitIdOfKey(key);
            ForEachIndexEntry(
                *keys,
                [&](const PostingId& pid) {
                  if (in_range(pid.key)) {
                    postings.push_back(
                        {pid.side, pid.key, static_cast<uint16_t>(std::min(pid.length, 65535u)), id});
                  }
                },
                [&](const ExactId& eid, uint32_t) {
                  if (in_range(eid.hash))
                    exact.push_back({eid.side, eid.hash, id, ExactBound(keys->changed_at_us)});
                });
            return absl::OkStatus();
          },
          "read unit keys"));
      std::sort(postings.begin(), postings.end());
      postings.erase(std::unique(postings.begin(), postings.end()), postings.end());
      std::sort(exact.begin(), exact.end());
      exact.erase(std::unique(exact.begin(), exact.end()), exact.end());

      // Missing entries of units above the watermark are not damage (the
      // open rebuilds them); repair writes them anyway.
      auto pending = [&](uint64_t id) { return has_watermark_ && id > watermark_; };
      auto skip_orphan = [&](uint64_t id) { return unknown_.contains(id); };
      EntryMerge posting_merge(
          postings,
          [&](const PostingEntry& e) {
            if (!pending(e.id)) Note(CheckProblem::kPostingMissing, e.id);
            std::string op;
            AppendPostingOp(op, e.id, /*remove=*/false);
            fix_.Merge(Cf::kPostings,
                       PostingKey(rec_.id, static_cast<match::Side>(e.side), e.token, e.length), op);
            ++added[0];
          },
          [&](const PostingEntry& e) {
            if (skip_orphan(e.id)) return;
            Note(CheckProblem::kPostingOrphan, e.id);
            std::string op;
            AppendPostingOp(op, e.id, /*remove=*/true);
            fix_.Merge(Cf::kPostings,
                       PostingKey(rec_.id, static_cast<match::Side>(e.side), e.token, e.length), op);
            ++removed[0];
          });
      EntryMerge exact_merge(
          exact,
          [&](const ExactEntry& e) {
            if (!pending(e.id)) Note(CheckProblem::kExactMissing, e.id);
            fix_.Put(Cf::kExact, ExactKey(rec_.id, static_cast<match::Side>(e.side), e.hash, e.id),
                     ExactValue(e.bound));
            ++added[1];
          },
          [&](const ExactEntry& e) {
            if (skip_orphan(e.id)) return;
            Note(CheckProblem::kExactOrphan, e.id);
            fix_.Delete(Cf::kExact, ExactKey(rec_.id, static_cast<match::Side>(e.side), e.hash, e.id));
            ++removed[1];
          });
      for (uint8_t side = 0; side < 2; ++side) {
        std::string from = MemoryPrefix(rec_.id), to;
        from.push_back(static_cast<char>(side));
        to = from;
        PutFixed64BE(from, static_cast<uint64_t>(lo));
        if (p + 1 < parts) {
          PutFixed64BE(to, static_cast<uint64_t>(hi));
        } else {
          to = PrefixEnd(to);
        }
        QANTARA_RETURN_IF_ERROR(ScanAll(
            rocks_, Cf::kPostings, CheckRead(), from, to,
            [&](std::string_view key, std::string_view value) -> absl::Status {
              if (key.size() != 15) {
                Note(CheckProblem::kMalformedKey, 0);
                fix_.Delete(Cf::kPostings, key);
                ++dropped;
                return absl::OkStatus();
              }
              const uint64_t token = DecodeFixed64BE(key.data() + 5);
              const uint16_t length =
                  static_cast<uint16_t>((static_cast<uint8_t>(key[13]) << 8) | static_cast<uint8_t>(key[14]));
              auto ids = DecodePostingList(value);
              if (!ids.ok()) {
                // Its entries count as missing, and repair writes them
                // after this delete.
                Note(CheckProblem::kPostingUndecodable, 0);
                fix_.Delete(Cf::kPostings, key);
                ++dropped;
                return absl::OkStatus();
              }
              for (uint64_t id : *ids) {
                ++out_.posting_entries;
                posting_merge.Stored({side, token, length, id});
              }
              return absl::OkStatus();
            },
            "read postings"));
        QANTARA_RETURN_IF_ERROR(ScanAll(
            rocks_, Cf::kExact, CheckRead(), from, to,
            [&](std::string_view key, std::string_view value) -> absl::Status {
              if (key.size() != 21) {
                Note(CheckProblem::kMalformedKey, 0);
                fix_.Delete(Cf::kExact, key);
                ++dropped;
                return absl::OkStatus();
              }
              ++out_.exact_entries;
              const absl::StatusOr<int64_t> stored = DecodeExactValue(value);
              const ExactEntry* implied = exact_merge.Stored(
                  {side, DecodeFixed64BE(key.data() + 5), DecodeFixed64BE(key.data() + 13)});
              if (implied == nullptr) return absl::OkStatus();
              if (stored.ok() && *stored == match::ExactList::kUnknownChange) {
                // No date (written before format 6): not damage; repair adds it.
                if (implied->bound != match::ExactList::kUnknownChange) {
                  fix_.Put(Cf::kExact, key, ExactValue(implied->bound));
                  ++dated;
                }
              } else if (!stored.ok() || *stored != implied->bound) {
                // A bound below the date would let lookups skip a unit that
                // ranks (matcher_candidates.cc, ExactPath).
                Note(CheckProblem::kExactDate, implied->id);
                fix_.Put(
                    Cf::kExact, key,
                    implied->bound == match::ExactList::kUnknownChange ? "" : ExactValue(implied->bound));
                ++redated;
              }
              return absl::OkStatus();
            },
            "read exact entries"));
      }
      posting_merge.Finish();
      exact_merge.Finish();
    }
    Repaired(CheckProblem::kPostingMissing, added[0], "written");
    Repaired(CheckProblem::kPostingOrphan, removed[0], "removed");
    Repaired(CheckProblem::kExactMissing, added[1], "written");
    Repaired(CheckProblem::kExactOrphan, removed[1], "removed");
    Repaired(CheckProblem::kExactDate, redated, "rewritten");
    if (fix_.enabled() && dated > 0) {
      out_.repairs.push_back(absl::StrCat(dated,
                                          " × exact entry without its unit's date (written before format 6): "
                                          "dated"));
    }
    Repaired(CheckProblem::kMalformedKey, dropped, "deleted (index keys)");
    return absl::OkStatus();
  }

  RocksHandles& rocks_;
  const MemoryRecord rec_;
  const CheckOptions& options_;
  MemoryCheck& out_;
  std::vector<std::string>& unrepaired_;
  Fixer fix_;
  MemoryRecord fixed_;
  bool has_watermark_ = false;
  uint64_t watermark_ = 0;
  uint64_t implied_ = 0;  // index entries the unit keys imply
  // Units whose keys are missing or do not decode: the entries they were
  // indexed under are not known, so stored entries of theirs are no orphans.
  absl::flat_hash_set<uint64_t> unknown_;
};

// Verifies the block checksums of every live SST file, naming each bad one.
void VerifyFiles(RocksHandles& rocks, CheckReport& report) {
  std::vector<rocksdb::LiveFileMetaData> files;
  rocks.db->GetLiveFilesMetaData(&files);
  for (const rocksdb::LiveFileMetaData& f : files) {
    const std::string path = f.directory + "/" + f.relative_filename;
    rocksdb::Options options;
    rocksdb::SstFileReader reader(options);
    rocksdb::Status s = reader.Open(path);
    if (s.ok()) s = reader.VerifyChecksum();
    ++report.sst_files;
    if (!s.ok()) {
      report.store_problems.push_back(absl::StrCat("corrupt SST file ", path, " (column family ",
                                                   f.column_family_name, ", level ", f.level,
                                                   "): ", s.ToString()));
      report.unrepaired.push_back(absl::StrCat("corrupt SST file ", path,
                                               ": restore the data dir from a backup (repair does not "
                                               "rewrite RocksDB files)"));
    }
  }
}

// The catalog: memory records, the name map, watermarks, tombstones and the
// memory id counter. Fills `live` (records that decode) and `known` (ids
// whose entries are not orphans: live ones and records that do not decode).
absl::Status CheckCatalog(RocksHandles& rocks, Fixer& fix, CheckReport& report,
                          std::vector<MemoryRecord>& live, absl::flat_hash_set<uint32_t>& known) {
  std::vector<std::pair<std::string, uint32_t>> names;
  std::vector<uint32_t> watermarks;
  uint32_t max_id = 0;
  QANTARA_RETURN_IF_ERROR(ScanAll(
      rocks, Cf::kMemories, CheckRead(), "", "",
      [&](std::string_view key, std::string_view value) -> absl::Status {
        const char kind = key.empty() ? '\0' : key[0];
        if (kind == 'n' && value.size() == 4) {
          names.emplace_back(std::string(key.substr(1)), DecodeFixed32BE(value.data()));
        } else if ((kind == 'm' || kind == 'i' || kind == 'd') && key.size() == 5) {
          const uint32_t id = DecodeFixed32BE(key.data() + 1);
          max_id = std::max(max_id, id);
          if (kind == 'i') watermarks.push_back(id);
          if (kind != 'm') return absl::OkStatus();
          known.insert(id);
          auto rec = DecodeMemoryRecord(value);
          if (rec.ok() && rec->id == id) {
            live.push_back(*std::move(rec));
          } else {
            const std::string why =
                rec.ok() ? absl::StrCat("it holds id ", rec->id) : std::string(rec.status().message());
            report.store_problems.push_back(absl::StrCat("memory record id ", id, " does not decode: ", why,
                                                         " (the memory is not served)"));
            report.unrepaired.push_back(absl::StrCat("memory record id ", id,
                                                     ": restore the memory from a backup (its units are "
                                                     "kept)"));
          }
        } else {
          report.store_problems.push_back(
              absl::StrCat("memories: a key of no known kind (", key.size(), " bytes)"));
          fix.Delete(Cf::kMemories, key);
          report.store_repairs.push_back("memories: a key of no known kind deleted");
        }
        return absl::OkStatus();
      },
      "read the memory catalog"));
  absl::flat_hash_map<uint32_t, const MemoryRecord*> by_id;
  absl::flat_hash_map<std::string, uint32_t> name_of;
  for (const MemoryRecord& r : live) by_id[r.id] = &r;
  for (const auto& [name, id] : names) {
    name_of[name] = id;
    auto it = by_id.find(id);
    if (it != by_id.end() && it->second->name == name) continue;
    if (it == by_id.end() && known.contains(id)) continue;  // its record does not decode: left as is
    report.store_problems.push_back(
        absl::StrCat("the name '", name, "' leads to memory id ", id, ", which has no record of that name"));
    fix.Delete(Cf::kMemories, MemoryNameKey(name));
    report.store_repairs.push_back(absl::StrCat("name '", name, "' deleted"));
  }
  for (const MemoryRecord& r : live) {
    auto it = name_of.find(r.name);
    if (it != name_of.end() && it->second == r.id) continue;
    report.store_problems.push_back(
        absl::StrCat("memory '", r.name, "' (id ", r.id, "): its name does not lead to it"));
    if (it == name_of.end()) {
      std::string id;
      PutFixed32BE(id, r.id);
      fix.Put(Cf::kMemories, MemoryNameKey(r.name), id);
      name_of[r.name] = r.id;
      report.store_repairs.push_back(absl::StrCat("name '", r.name, "' leads to id ", r.id, " again"));
    } else if (fix.enabled()) {
      report.unrepaired.push_back(
          absl::StrCat("memory '", r.name, "' (id ", r.id, "): its name is another memory's (rename one)"));
    }
  }
  for (uint32_t id : watermarks) {
    if (by_id.contains(id) || known.contains(id)) continue;
    report.store_problems.push_back(
        absl::StrCat("an index watermark of memory id ", id, ", which has no record"));
    fix.Delete(Cf::kMemories, IndexedUptoKey(id));
    report.store_repairs.push_back(absl::StrCat("the index watermark of memory id ", id, " deleted"));
  }
  std::string next;
  rocksdb::Status s = rocks.db->Get(CheckRead(), rocks.cf(Cf::kMeta), AsSlice(kMetaNextMemoryIdKey), &next);
  if (!s.ok() && !s.IsNotFound()) return FromRocks(s, "read the next memory id");
  const uint32_t next_id = s.ok() && next.size() == 4 ? DecodeFixed32BE(next.data()) : 1;
  if (max_id >= next_id) {
    report.store_problems.push_back(
        absl::StrCat("the next memory id ", next_id, " is not above memory id ", max_id));
    std::string v;
    PutFixed32BE(v, max_id + 1);
    fix.Put(Cf::kMeta, kMetaNextMemoryIdKey, v);
    report.store_repairs.push_back(absl::StrCat("next memory id set to ", max_id + 1));
  }
  return fix.Flush();
}

// Entries, in the per-memory column families, of memory ids that are not
// `known`: orphans (a deleted memory's are hidden by its range delete).
absl::Status CheckOrphanRanges(RocksHandles& rocks, Fixer& fix, CheckReport& report,
                               const absl::flat_hash_set<uint32_t>& known) {
  for (Cf cf : {Cf::kUnits, Cf::kUnitKeys, Cf::kPostings, Cf::kExact, Cf::kLexicons}) {
    std::unique_ptr<rocksdb::Iterator> it(rocks.db->NewIterator(CheckRead(), rocks.cf(cf)));
    it->SeekToFirst();
    while (it->Valid()) {
      const std::string_view key = AsView(it->key());
      if (key.size() < 4) {
        report.store_problems.push_back(
            absl::StrCat(std::string(CfName(cf)), ": a key of ", key.size(), " bytes"));
        fix.Delete(cf, key);
        report.store_repairs.push_back(
            absl::StrCat(std::string(CfName(cf)), ": a key of ", key.size(), " bytes deleted"));
        it->Next();
        continue;
      }
      const uint32_t id = DecodeFixed32BE(key.data());
      const std::string lo = MemoryPrefix(id);
      const std::string hi = PrefixEnd(lo);
      if (!known.contains(id)) {
        uint64_t n = 0;
        for (; it->Valid() && it->key().starts_with(AsSlice(lo)); it->Next()) ++n;
        report.store_problems.push_back(absl::StrCat(std::string(CfName(cf)), ": ", n,
                                                     " entries of memory id ", id, ", which has no record"));
        if (hi.empty()) {
          fix.Delete(cf, lo);  // not reached: ids stop below 0xffffffff
        } else {
          fix.DeleteRange(cf, lo, hi);
        }
        report.store_repairs.push_back(
            absl::StrCat(std::string(CfName(cf)), ": the entries of memory id ", id, " deleted"));
        continue;
      }
      if (hi.empty()) break;
      it->Seek(AsSlice(hi));
    }
    if (!it->status().ok()) return FromRocks(it->status(), absl::StrCat("read ", std::string(CfName(cf))));
  }
  return fix.Flush();
}

}  // namespace
}  // namespace internal

absl::StatusOr<CheckReport> CheckStore(Store& store, const CheckOptions& options) {
  internal::RocksHandles& rocks = internal::Rocks(store);
  if (rocks.db == nullptr) return absl::FailedPreconditionError("store is closed");
  CheckReport report;
  {
    // Opening the memory layer rebuilds what a crash left buffered, and
    // closing it writes that: then everything is on disk.
    auto memories = MemoryStore::Open(store);
    if (!memories.ok()) {
      report.store_problems.push_back(
          absl::StrCat("the memories do not open: ", memories.status().message()));
    }
  }
  internal::VerifyFiles(rocks, report);
  internal::Fixer fix(rocks, options.repair);
  std::vector<MemoryRecord> live;
  absl::flat_hash_set<uint32_t> known;
  if (absl::Status s = internal::CheckCatalog(rocks, fix, report, live, known); !s.ok()) {
    report.store_problems.push_back(absl::StrCat("the memory catalog: ", s.message()));
    if (options.repair) report.unrepaired.push_back(absl::StrCat("the memory catalog: ", s.message()));
    return report;  // which memories exist is not known: nothing more is checked
  }
  if (absl::Status s = internal::CheckOrphanRanges(rocks, fix, report, known); !s.ok()) {
    report.store_problems.push_back(absl::StrCat("entries of memories with no record: ", s.message()));
    if (options.repair) report.unrepaired.push_back(absl::StrCat("orphan entries: ", s.message()));
  }
  std::sort(live.begin(), live.end(),
            [](const MemoryRecord& a, const MemoryRecord& b) { return a.id < b.id; });
  for (const MemoryRecord& rec : live) {
    report.memories.emplace_back();
    internal::MemoryChecker(rocks, rec, options, report.memories.back(), report.unrepaired).Run();
  }
  return report;
}

}  // namespace qantara::storage
