// The storage encoding: key order (memory then id), memory, unit and unit-key
// records round-tripped, posting lists and posting ops, exact values.
#include "storage/internal/encoding.h"

#include <deque>
#include <memory>

#include "gtest/gtest.h"
#include "rocksdb/merge_operator.h"
#include "storage/internal/posting_merge.h"

namespace qantara::storage {
namespace {

TEST(Encoding, KeysAreBigEndianAndOrderedByMemoryThenId) {
  EXPECT_EQ(UnitKey(1, 2), std::string("\0\0\0\1\0\0\0\0\0\0\0\2", 12));
  EXPECT_LT(UnitKey(1, 255), UnitKey(1, 256));
  EXPECT_LT(UnitKey(1, UINT64_MAX), MemoryPrefix(2));
  EXPECT_GE(UnitKey(1, 0), MemoryPrefix(1));
  EXPECT_EQ(UnitIdOfKey(UnitKey(7, 123456789)), 123456789u);
  EXPECT_EQ(PostingKey(1, match::Side::kTarget, 0x0102030405060708ull, 3),
            std::string("\0\0\0\1\1\1\2\3\4\5\6\7\x08\0\3", 15));
  EXPECT_EQ(ExactKey(1, match::Side::kSource, 9, 10).size(), 21u);
  EXPECT_EQ(ExactKey(1, match::Side::kSource, 9, 10).substr(0, 13), ExactPrefix(1, match::Side::kSource, 9));
}

TEST(Encoding, MemoryRecordRoundTrips) {
  MemoryRecord r;
  r.id = 3;
  r.name = "ذاكرة";
  r.source_lang = "ar-SA";
  r.target_lang = "en";
  r.description = "d";
  r.created_at_us = 1700000000000000;
  r.unit_count = 5;
  r.next_unit_id = 6;
  r.max_length[0] = 10;
  r.max_length[1] = 12;
  auto back = DecodeMemoryRecord(EncodeMemoryRecord(r));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, r);
  EXPECT_EQ(DecodeMemoryRecord("\x01\x03").status().code(), absl::StatusCode::kDataLoss);
}

TEST(Encoding, UnitRoundTrips) {
  match::Unit u;
  u.source = "مرحبا <b>1</b>";
  u.target = "Hello";
  u.created_at_us = 1;
  u.changed_at_us = 2;
  u.created_by = "a";
  u.changed_by = "b";
  u.attributes.project = "p";
  u.attributes.domain = "d";
  u.attributes.client = "c";
  u.attributes.extra = {{"k", "v"}, {"x", ""}};
  u.context = {"prev", "next", "id"};
  u.origin = match::Origin::kAlignment;
  u.alignment_confidence = 0.75;
  u.usage_count = 9;
  std::string enc = EncodeUnit(u);
  auto back = DecodeUnit(0, enc);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->source, u.source);
  EXPECT_EQ(back->attributes.extra, u.attributes.extra);
  EXPECT_EQ(back->context.id, "id");
  EXPECT_EQ(back->origin, match::Origin::kAlignment);
  EXPECT_DOUBLE_EQ(back->alignment_confidence, 0.75);
  EXPECT_EQ(back->usage_count, 9u);
  EXPECT_EQ(back->revision, 1u);
  // Every cut fails but the one before the revision (what a version-4 record
  // is: read as revision 1).
  for (size_t cut = 0; cut + 1 < enc.size(); ++cut) {
    EXPECT_FALSE(DecodeUnit(0, enc.substr(0, cut)).ok()) << cut;
  }
}

TEST(Encoding, UnitKeysRoundTrip) {
  match::UnitKeys k;
  k.source.tokens = {{1, 2, 3}, {0xffffffffffffffffull, 5, 6}};
  k.source.punctuation = ".";
  k.target.whitespace = "  ";
  k.changed_at_us = 42;
  auto back = DecodeUnitKeys(EncodeUnitKeys(k));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, k);
}

TEST(Encoding, PostingListsAndOps) {
  std::vector<uint64_t> ids = {1, 5, 300, 1ull << 40};
  auto back = DecodePostingList(EncodePostingList(ids));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, ids);
  std::string op;
  AppendPostingOp(op, 7, false);
  AppendPostingOp(op, 5, true);
  AppendPostingOp(op, 7, false);  // idempotent
  AppendPostingOp(op, 2, false);
  ASSERT_TRUE(ApplyPostingOps(op, ids));
  EXPECT_EQ(ids, (std::vector<uint64_t>{1, 2, 7, 300, 1ull << 40}));
  EXPECT_FALSE(ApplyPostingOps("\x80", ids));
  // A long list of one- to five-byte deltas round-trips.
  std::vector<uint64_t> many;
  uint64_t id = 0;
  for (int i = 0; i < 10000; ++i)
    many.push_back(id += 1 + (i % 7 == 0 ? (uint64_t{1} << (7 * (i % 5))) : i % 100));
  auto many_back = DecodePostingList(EncodePostingList(many));
  ASSERT_TRUE(many_back.ok());
  EXPECT_EQ(*many_back, many);
  // The compact form the caches hold.
  auto compact = DecodeCompactPostingList(EncodePostingList(many));
  ASSERT_TRUE(compact.ok());
  EXPECT_EQ(compact->ToVector(), many);
  // A non-canonical varint (zero padded: 0x85 0x00 is 5) is read as its value.
  auto padded = DecodeCompactPostingList(std::string("\x02\x85\x00\x03", 4));
  ASSERT_TRUE(padded.ok());
  EXPECT_EQ(padded->ToVector(), (std::vector<uint64_t>{5, 8}));
  // Ids far above the others (the encoding takes any), beside small ones.
  for (const std::vector<uint64_t>& far :
       {std::vector<uint64_t>{1, 5, (uint64_t{1} << 61) + 5}, std::vector<uint64_t>{(uint64_t{1} << 62) - 1},
        std::vector<uint64_t>{3, (uint64_t{1} << 40), (uint64_t{1} << 61), (uint64_t{1} << 62) - 10}}) {
    auto c = DecodeCompactPostingList(EncodePostingList(far));
    ASSERT_TRUE(c.ok()) << c.status();
    EXPECT_EQ(c->ToVector(), far);
    for (uint64_t id : far) EXPECT_TRUE(match::PostingList::Cursor(*c).Contains(id)) << id;
  }
}

// Found by tests/fuzz/fuzz_storage_decoders and fuzz_merge: a posting list
// whose ids are not strictly ascending (a repeated id, a delta that wraps
// around) or that has bytes after its last id is corrupt, not a list the
// merge operator and the readers would then search as sorted.
TEST(Encoding, PostingListsNotAscendingOrWithTrailingBytesAreCorrupt) {
  EXPECT_TRUE(DecodePostingList(std::string("\x02\x00\x05", 3)).ok());  // ids 0 and 5
  for (const std::string& bad : {std::string("\x02\x05\x00", 3),        // 5, 5
                                 std::string("\x01\x05\x00", 3),        // a byte after the last id
                                 std::string("\x02\x05\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 12),
                                 std::string("\x02\x05\x80", 3),     // cut inside the second id's varint
                                 std::string("\x03\x05\x01", 3)}) {  // fewer ids than counted
    absl::StatusOr<std::vector<uint64_t>> ids = DecodePostingList(bad);
    EXPECT_EQ(ids.status().code(), absl::StatusCode::kDataLoss) << ::testing::PrintToString(bad);
    // The caches' compact form is read by the same checks.
    EXPECT_EQ(DecodeCompactPostingList(bad).status().code(), absl::StatusCode::kDataLoss)
        << ::testing::PrintToString(bad);
  }
}

// Found by tests/fuzz/fuzz_merge: an operand cut inside a varint, partially
// merged (concatenated) with the next one, made one well-formed but wrong op
// ("\x80" + "\x02": add 128 instead of a corrupt operand and add 1). Such
// operands are left unmerged, so the full merge still reports them.
TEST(Encoding, PartialMergeLeavesACutOperandUnmerged) {
  std::shared_ptr<rocksdb::MergeOperator> op = NewPostingMergeOperator();
  const std::deque<rocksdb::Slice> operands = {rocksdb::Slice("\x80", 1), rocksdb::Slice("\x02", 1)};
  std::string merged;
  EXPECT_FALSE(op->PartialMergeMulti(rocksdb::Slice("k"), operands, &merged, nullptr));
  const std::vector<rocksdb::Slice> full(operands.begin(), operands.end());
  std::string value;
  rocksdb::Slice existing_operand;
  rocksdb::MergeOperator::MergeOperationInput in(rocksdb::Slice("k"), nullptr, full, nullptr);
  rocksdb::MergeOperator::MergeOperationOutput out(value, existing_operand);
  EXPECT_FALSE(op->FullMergeV2(in, &out));
  // Whole operands still merge into one.
  const std::deque<rocksdb::Slice> whole = {rocksdb::Slice("\x02", 1), rocksdb::Slice("\x05\x04", 2)};
  ASSERT_TRUE(op->PartialMergeMulti(rocksdb::Slice("k"), whole, &merged, nullptr));
  EXPECT_EQ(merged, std::string("\x02\x05\x04", 3));
}

TEST(Encoding, PostingOpsAppendedInOrderAndOutOfOrder) {
  std::vector<uint64_t> ids;
  std::string op;
  for (uint64_t id : {3, 9, 9, 12}) AppendPostingOp(op, id, false);  // ascending, one repeated
  AppendPostingOp(op, 12, true);
  AppendPostingOp(op, 4, false);  // before the tail
  AppendPostingOp(op, 20, false);
  ASSERT_TRUE(ApplyPostingOps(op, ids));
  EXPECT_EQ(ids, (std::vector<uint64_t>{3, 4, 9, 20}));
}

// An exact value holds its unit's date to the second, rounded up (never
// below the date); empty: unknown; anything but one whole varint: corrupt.
TEST(Encoding, ExactValuesHoldADateBound) {
  EXPECT_EQ(ExactBound(5'500'001), 6'000'000);
  EXPECT_EQ(ExactBound(6'000'000), 6'000'000);
  EXPECT_EQ(ExactBound(1), 1'000'000);
  EXPECT_EQ(ExactBound(0), 0);
  EXPECT_EQ(ExactBound(-7'000'000), 0);  // before the epoch: still a bound
  EXPECT_EQ(ExactBound(INT64_MAX), match::ExactList::kUnknownChange);
  for (int64_t date : {int64_t{0}, int64_t{5'500'001}, int64_t{1'733'468'400'123'456}, int64_t{-3}}) {
    auto bound = DecodeExactValue(ExactValue(date));
    ASSERT_TRUE(bound.ok()) << bound.status();
    EXPECT_EQ(*bound, ExactBound(date)) << date;
  }
  EXPECT_EQ(ExactValue(1'733'468'400'123'456).size(), 5u);  // seconds of 2024: a 5-byte varint
  EXPECT_EQ(*DecodeExactValue(""), match::ExactList::kUnknownChange);
  for (std::string bad : {std::string("\x80"), std::string("\x05\x00", 2), std::string(11, '\xff')}) {
    EXPECT_EQ(DecodeExactValue(bad).status().code(), absl::StatusCode::kDataLoss) << bad.size();
  }
}

}  // namespace
}  // namespace qantara::storage
