// dictd dictionaries: base64 numbers, gunzip, entries read from gzip and
// plain files, bad index lines and missing files refused, Debian FreeDict loaded.
#include "service/align/dictd.h"

#include <zlib.h>

#include <cstring>
#include <filesystem>

#include "gtest/gtest.h"

namespace qantara::align {
namespace {

std::string Gzip(const std::string& plain) {
  z_stream zs;
  std::memset(&zs, 0, sizeof(zs));
  EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(plain.size() + 128, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
  zs.avail_in = static_cast<uInt>(plain.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

TEST(DictdNumberTest, DecodesBase64Digits) {
  EXPECT_EQ(*DecodeDictdNumber("A"), 0u);
  EXPECT_EQ(*DecodeDictdNumber("B"), 1u);
  EXPECT_EQ(*DecodeDictdNumber("BA"), 64u);
  EXPECT_EQ(*DecodeDictdNumber("/"), 63u);
  EXPECT_EQ(*DecodeDictdNumber("Dq"), 3u * 64 + 42);
  EXPECT_FALSE(DecodeDictdNumber("").ok());
  EXPECT_FALSE(DecodeDictdNumber("A-").ok());
}

TEST(GunzipTest, InflatesAndRejectsGarbage) {
  const std::string text = "كتاب /kitaab/\n1. book\n";
  absl::StatusOr<std::string> out = Gunzip(Gzip(text));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, text);
  EXPECT_FALSE(Gunzip("plain text, not gzip at all").ok());
  std::string truncated = Gzip(std::string(5000, 'x'));
  truncated.resize(truncated.size() / 2);
  EXPECT_FALSE(Gunzip(truncated).ok());
}

// A two-entry dictionary: entry texts at bytes [0, 26) and [26, 47).
const char kDict[] = "كتاب /kitaab/\n1. book\nbook /bʊk/\nكتاب\n";

TEST(DictdDatabaseTest, ReadsEntriesFromGzipAndPlain) {
  // base64: a = 26, V = 21
  const std::string index = "00databaseinfo\tA\tB\nbook\ta\tV\nكتاب\tA\ta\n";
  for (bool gz : {true, false}) {
    absl::StatusOr<DictdDatabase> db = DictdDatabase::FromBytes(index, gz ? Gzip(kDict) : std::string(kDict));
    ASSERT_TRUE(db.ok()) << db.status();
    ASSERT_EQ(db->entries().size(), 2u);  // metadata skipped
    EXPECT_EQ(db->entries()[0].headword, "book");
    EXPECT_EQ(db->entries()[0].text, "book /bʊk/\nكتاب\n");
    EXPECT_EQ(db->entries()[1].headword, "كتاب");
    EXPECT_EQ(db->entries()[1].text, "كتاب /kitaab/\n1. book\n");
  }
}

TEST(DictdDatabaseTest, EntriesSurviveAMove) {
  absl::StatusOr<DictdDatabase> db = DictdDatabase::FromBytes("a\tA\tD\n", "abcdef");
  ASSERT_TRUE(db.ok());
  DictdDatabase moved = *std::move(db);
  EXPECT_EQ(moved.entries()[0].headword, "a");
  EXPECT_EQ(moved.entries()[0].text, "abc");
}

TEST(DictdDatabaseTest, RejectsBadIndexLines) {
  EXPECT_FALSE(DictdDatabase::FromBytes("word only\n", "abc").ok());
  EXPECT_FALSE(DictdDatabase::FromBytes("w\tA\t!\n", "abc").ok());
  absl::StatusOr<DictdDatabase> outside = DictdDatabase::FromBytes("w\tB\tZ\n", "abc");
  ASSERT_FALSE(outside.ok());
  EXPECT_NE(std::string(outside.status().message()).find("outside"), std::string::npos);
}

TEST(DictdDatabaseTest, MissingFileIsNotFound) {
  absl::StatusOr<DictdDatabase> db = DictdDatabase::Load("/nonexistent/x.index", "/nonexistent/x.dict.dz");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), absl::StatusCode::kNotFound);
}

TEST(DictdDatabaseTest, LoadsDebianFreeDict) {
  const std::string base = "/usr/share/dictd/freedict-ara-eng";
  if (!std::filesystem::exists(base + ".index")) GTEST_SKIP() << "dict-freedict-ara-eng not installed";
  absl::StatusOr<DictdDatabase> db = DictdDatabase::Load(base + ".index", base + ".dict.dz");
  ASSERT_TRUE(db.ok()) << db.status();
  EXPECT_GT(db->entries().size(), 50000u);
  bool found = false;
  for (const DictdEntry& e : db->entries()) {
    ASSERT_FALSE(e.text.empty());
    if (e.headword == "كتاب") {
      found = true;
      EXPECT_NE(e.text.find("book"), std::string_view::npos) << e.text;
    }
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace qantara::align
