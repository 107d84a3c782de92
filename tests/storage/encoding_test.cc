// The storage encoding: key order (memory then id), memory, unit and unit-key
// records round-tripped, posting lists and posting ops.
#include "storage/internal/encoding.h"

#include "gtest/gtest.h"

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
  for (size_t cut = 0; cut < enc.size(); ++cut) {
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

}  // namespace
}  // namespace qantara::storage
