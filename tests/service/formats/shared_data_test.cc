// Reads the TMX files Translate Toolkit wrote (../shared/data/tmx-translate-toolkit),
// files no one on the project wrote: zero failures, one unit per <tu>, and a
// read -> write -> read round trip that gives identical units.
#include <cstdlib>
#include <string>

#include "gtest/gtest.h"
#include "service/formats/tmx_reader.h"
#include "service/formats/tmx_writer.h"
#include "tests/service/formats/test_util.h"

namespace qantara::formats {
namespace {

using ::qantara::formats::testing::CollectingSink;
using ::qantara::formats::testing::ReadFileToString;

std::string SharedDir() {
  const char* shared = std::getenv("QANTARA_SHARED");
  if (shared == nullptr) return "";
  const std::string dir = std::string(shared) + "/data/tmx-translate-toolkit";
  return ReadFileToString(dir + "/vlc.tmx").empty() ? "" : dir;
}

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t p = haystack.find(needle); p != std::string::npos; p = haystack.find(needle, p + 1)) ++n;
  return n;
}

size_t CountTu(const std::string& bytes, bool utf16le) {
  if (!utf16le) return Count(bytes, "<tu>") + Count(bytes, "<tu ");
  return Count(bytes, std::string("<\0t\0u\0>\0", 8)) + Count(bytes, std::string("<\0t\0u\0 \0", 8));
}

struct Read {
  std::vector<TranslationUnit> units;
  size_t problems = 0;
  TmxHeader header;
};

Read ReadPath(const std::string& path) {
  CollectingSink sink;
  TmxReader reader(ReaderOptions(), &sink);
  absl::Status s = ReadFileInto(path, &reader);
  EXPECT_TRUE(s.ok()) << path << ": " << s;
  for (const Problem& p : sink.problems) {
    ADD_FAILURE() << path << ":" << p.line << ": " << SeverityName(p.severity) << ": " << p.reason;
  }
  EXPECT_EQ(reader.stats().units_read, sink.units.size());
  return Read{std::move(sink.units), sink.problems.size(), reader.header()};
}

class SharedTmxTest : public ::testing::TestWithParam<const char*> {};

TEST_P(SharedTmxTest, ReadsEveryUnitAndRoundTrips) {
  const std::string dir = SharedDir();
  if (dir.empty()) GTEST_SKIP() << "QANTARA_SHARED/data/tmx-translate-toolkit is absent";
  const std::string path = dir + "/" + GetParam();
  const std::string bytes = ReadFileToString(path);
  const size_t tu_count = CountTu(bytes, std::string(GetParam()).find("utf16") != std::string::npos);
  ASSERT_GT(tu_count, 1000u);

  Read first = ReadPath(path);
  EXPECT_EQ(first.problems, 0u);
  EXPECT_EQ(first.units.size(), tu_count);
  EXPECT_EQ(first.header.srclang, "en");
  EXPECT_EQ(first.header.creation_tool, "Translate Toolkit");
  for (const TranslationUnit& u : first.units) {
    ASSERT_EQ(u.source.language, text::Language::kEnglish);
    ASSERT_EQ(u.target.language, text::Language::kArabic);
  }

  // read -> write -> read: identical units, byte for byte.
  std::string written;
  TmxWriterOptions options;
  options.header = first.header;
  TmxWriter writer(options, [&](std::string_view b) {
    written.append(b);
    return absl::OkStatus();
  });
  for (const TranslationUnit& u : first.units) ASSERT_TRUE(writer.Write(u).ok());
  ASSERT_TRUE(writer.Finish().ok());
  CollectingSink again;
  TmxReader reader(ReaderOptions(), &again);
  ASSERT_TRUE(reader.Feed(written).ok());
  ASSERT_TRUE(reader.Finish().ok());
  EXPECT_TRUE(again.problems.empty());
  ASSERT_EQ(again.units.size(), first.units.size());
  for (size_t i = 0; i < first.units.size(); ++i) {
    ASSERT_TRUE(again.units[i].SameContent(first.units[i])) << "unit " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(TranslateToolkit, SharedTmxTest,
                         ::testing::Values("gnucash.tmx", "vlc.tmx", "vlc-utf16le.tmx"));

TEST(SharedTmxTest, Utf16FileGivesTheSameUnitsAsTheUtf8One) {
  const std::string dir = SharedDir();
  if (dir.empty()) GTEST_SKIP() << "QANTARA_SHARED/data/tmx-translate-toolkit is absent";
  Read utf8 = ReadPath(dir + "/vlc.tmx");
  Read utf16 = ReadPath(dir + "/vlc-utf16le.tmx");
  ASSERT_EQ(utf8.units.size(), utf16.units.size());
  for (size_t i = 0; i < utf8.units.size(); ++i) {
    ASSERT_TRUE(utf8.units[i].SameContent(utf16.units[i])) << i;
  }
  // Leading and trailing newlines of the catalogs are kept.
  EXPECT_EQ(utf8.units[0].source.text.front(), '\n');
}

}  // namespace
}  // namespace qantara::formats
