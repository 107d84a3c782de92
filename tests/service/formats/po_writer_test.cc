// PoWriter: the header entry, escaping, multi-line strings, comments and
// references, unique (msgctxt, msgid) for duplicates, what it refuses, its
// blocks; and the round trip through gettext: what it writes, read back with
// PoReader (libgettextpo), gives the same units, and msgfmt --check accepts it.
#include "service/formats/po_writer.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "service/formats/po_reader.h"
#include "tests/service/formats/test_util.h"

namespace qantara::formats {
namespace {

using testing::ReadAll;
using testing::ReadResult;

PoWriterOptions Options(std::string language = "ar") {
  PoWriterOptions o;
  o.header.project_id_version = "legal \"2024\"";
  o.header.revision_date = "2026-12-05 03:40+0000";
  o.header.language = std::move(language);
  o.header.comments = {"Translation memory legal (en -> ar), exported by qantara."};
  return o;
}

PoMessage M(std::string msgid, std::string msgstr, std::string msgctxt = "", std::string tag = "") {
  PoMessage m;
  m.msgid = std::move(msgid);
  m.msgstr = std::move(msgstr);
  m.msgctxt = std::move(msgctxt);
  m.duplicate_tag = std::move(tag);
  return m;
}

// Writes the messages (each must be accepted) and returns the file.
std::string Write(const std::vector<PoMessage>& messages, PoWriterOptions options = Options()) {
  std::string out;
  PoWriter w(std::move(options), [&](std::string_view b) {
    out.append(b);
    return absl::OkStatus();
  });
  for (const PoMessage& m : messages) EXPECT_TRUE(w.Write(m).ok()) << m.msgid;
  EXPECT_TRUE(w.Finish().ok());
  return out;
}

// 0 when msgfmt --check accepts `po`; -1 when msgfmt is not installed.
int MsgfmtCheck(const std::string& po) {
  if (std::system("command -v msgfmt >/dev/null 2>&1") != 0) return -1;
  char path[] = "/tmp/qantara-po-writer-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return -2;
  FILE* f = fdopen(fd, "w");
  std::fwrite(po.data(), 1, po.size(), f);
  std::fclose(f);
  const int rc = std::system((std::string("msgfmt --check -o /dev/null ") + path).c_str());
  std::remove(path);
  return rc;
}

void ExpectMsgfmtAccepts(const std::string& po) {
  const int rc = MsgfmtCheck(po);
  if (rc != -1) {
    EXPECT_EQ(rc, 0) << po.substr(0, 2000);
  }
}

TEST(PoWriterTest, HeaderEntry) {
  const std::string po = Write({});
  EXPECT_EQ(po,
            "# Translation memory legal (en -> ar), exported by qantara.\n"
            "msgid \"\"\n"
            "msgstr \"\"\n"
            "\"Project-Id-Version: legal \\\"2024\\\"\\n\"\n"
            "\"PO-Revision-Date: 2026-12-05 03:40+0000\\n\"\n"
            "\"Last-Translator: \\n\"\n"
            "\"Language-Team: \\n\"\n"
            "\"Language: ar\\n\"\n"
            "\"MIME-Version: 1.0\\n\"\n"
            "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
            "\"Content-Transfer-Encoding: 8bit\\n\"\n"
            "\"X-Generator: qantara\\n\"\n");
  ReadResult r = ReadAll(FileFormat::kPo, po);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_TRUE(r.units.empty());
  EXPECT_TRUE(r.problems.empty());
  ExpectMsgfmtAccepts(po);
}

TEST(PoWriterTest, HeaderFieldsStayOnOneLine) {
  PoWriterOptions o = Options();
  o.header.project_id_version = "a\nb";
  const std::string po = Write({}, o);
  EXPECT_NE(po.find("\"Project-Id-Version: a b\\n\"\n"), std::string::npos) << po;
}

TEST(PoWriterTest, EscapesAndMultiLineStrings) {
  PoMessage m = M("Say \"hi\"\tto C:\\dir\r", "قل \"مرحبا\"\tإلى C:\\dir\r");
  PoMessage multi = M("First line\nSecond line\n", "السطر الأول\nالسطر الثاني\n");
  PoMessage last = M("Ends with a newline\n", "ينتهي بسطر جديد\n");
  PoMessage inner = M("a\nb", "أ\nب");
  const std::string po = Write({m, multi, last, inner});
  EXPECT_NE(po.find("\nmsgid \"Say \\\"hi\\\"\\tto C:\\\\dir\\r\"\n"
                    "msgstr \"قل \\\"مرحبا\\\"\\tإلى C:\\\\dir\\r\"\n"),
            std::string::npos)
      << po;
  EXPECT_NE(po.find("\nmsgid \"\"\n\"First line\\n\"\n\"Second line\\n\"\n"
                    "msgstr \"\"\n\"السطر الأول\\n\"\n\"السطر الثاني\\n\"\n"),
            std::string::npos)
      << po;
  EXPECT_NE(po.find("\nmsgid \"Ends with a newline\\n\"\nmsgstr \"ينتهي بسطر جديد\\n\"\n"), std::string::npos)
      << po;
  EXPECT_NE(po.find("\nmsgid \"\"\n\"a\\n\"\n\"b\"\nmsgstr \"\"\n\"أ\\n\"\n\"ب\"\n"), std::string::npos)
      << po;
  ReadResult r = ReadAll(FileFormat::kPo, po);
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.units.size(), 4u);
  EXPECT_EQ(r.units[0].source.text, m.msgid);
  EXPECT_EQ(r.units[0].target.text, m.msgstr);
  EXPECT_EQ(r.units[1].source.text, multi.msgid);
  EXPECT_EQ(r.units[1].target.text, multi.msgstr);
  EXPECT_EQ(r.units[3].target.text, "أ\nب");
  ExpectMsgfmtAccepts(po);
}

TEST(PoWriterTest, CommentsAndReferences) {
  PoMessage m = M("Open", "فتح", "menu");
  m.comments = {"Shown on the toolbar\nkeep it short", ", not a flag"};
  m.references = "src/main.c:42 src/menu.c:7";
  const std::string po = Write({m});
  EXPECT_NE(po.find("\n\n# Shown on the toolbar\n# keep it short\n# , not a flag\n"
                    "#: src/main.c:42 src/menu.c:7\nmsgctxt \"menu\"\nmsgid \"Open\"\nmsgstr \"فتح\"\n"),
            std::string::npos)
      << po;
  ReadResult r = ReadAll(FileFormat::kPo, po);
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.units.size(), 1u);
  EXPECT_EQ(r.units[0].id, "menu");
  ASSERT_EQ(r.units[0].notes.size(), 1u);
  EXPECT_EQ(r.units[0].notes[0], "Shown on the toolbar\nkeep it short\n, not a flag");
  ASSERT_EQ(r.units[0].props.size(), 1u);
  EXPECT_EQ(r.units[0].props[0].type, "x-po-references");
  EXPECT_EQ(r.units[0].props[0].value, "src/main.c:42 src/menu.c:7");
}

TEST(PoWriterTest, DuplicateKeysGetUniqueContexts) {
  std::string po;
  PoWriter w(Options(), [&](std::string_view b) {
    po.append(b);
    return absl::OkStatus();
  });
  ASSERT_TRUE(w.Write(M("File", "ملف", "", "qantara:1")).ok());
  ASSERT_TRUE(w.Write(M("File", "الملف", "", "qantara:2")).ok());
  ASSERT_TRUE(w.Write(M("File", "ملف", "menu", "qantara:3")).ok());
  ASSERT_TRUE(w.Write(M("File", "ملفّ", "menu", "qantara:4")).ok());
  // Its own context is what an earlier duplicate was renamed to: renamed again.
  ASSERT_TRUE(w.Write(M("File", "م", "menu|qantara:4", "qantara:5")).ok());
  ASSERT_TRUE(w.Write(M("File", "ملفات", "", "qantara:6")).ok());
  ASSERT_TRUE(w.Finish().ok());
  EXPECT_EQ(w.messages_written(), 6u);
  EXPECT_EQ(w.messages_renamed(), 4u);
  EXPECT_NE(po.find("\nmsgctxt \"qantara:2\"\nmsgid \"File\"\nmsgstr \"الملف\"\n"), std::string::npos) << po;
  EXPECT_NE(po.find("\nmsgctxt \"menu|qantara:4\"\nmsgid \"File\"\nmsgstr \"ملفّ\"\n"), std::string::npos)
      << po;
  EXPECT_NE(po.find("\nmsgctxt \"menu|qantara:4|qantara:5\"\n"), std::string::npos) << po;
  EXPECT_NE(po.find("\nmsgctxt \"qantara:6\"\n"), std::string::npos) << po;
  // gettext takes every message (a duplicate would be a syntax error).
  ReadResult r = ReadAll(FileFormat::kPo, po);
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.units.size(), 6u);
  const std::vector<std::string> ids = {
      "", "qantara:2", "menu", "menu|qantara:4", "menu|qantara:4|qantara:5", "qantara:6"};
  for (size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(r.units[i].id, ids[i]) << i;
  ExpectMsgfmtAccepts(po);
}

TEST(PoWriterTest, RefusesWhatPoCannotHoldAndWritesNothingOfIt) {
  std::string po;
  PoWriter w(Options(), [&](std::string_view b) {
    po.append(b);
    return absl::OkStatus();
  });
  for (const PoMessage& m : {M("a\x01", "b"), M("a", "b\x7F"), M("a", "b", "c\x02"), M("\xC3", "b"),
                             M("", "b"), M("a", ""), M("a\n", "b"), M("\na", "b"), M("a", "b\n")}) {
    absl::Status s = w.Write(m);
    EXPECT_TRUE(absl::IsInvalidArgument(s)) << m.msgid << " " << s;
  }
  PoMessage bad_comment = M("a", "b");
  bad_comment.comments = {"x\ry"};
  EXPECT_TRUE(absl::IsInvalidArgument(w.Write(bad_comment)));
  PoMessage bad_refs = M("a", "b");
  bad_refs.references = "a.c:1\nb.c:2";
  EXPECT_TRUE(absl::IsInvalidArgument(w.Write(bad_refs)));
  ASSERT_TRUE(w.Write(M("ok", "حسنا")).ok());
  ASSERT_TRUE(w.Finish().ok());
  EXPECT_EQ(w.messages_written(), 1u);
  EXPECT_EQ(po, Write({M("ok", "حسنا")}));
}

TEST(PoWriterTest, FlushesInBlocksAndStopsOnAnOutputError) {
  PoWriterOptions o = Options();
  o.flush_bytes = 100;
  std::vector<std::string> blocks;
  PoWriter w(o, [&](std::string_view b) {
    blocks.emplace_back(b);
    return absl::OkStatus();
  });
  std::vector<PoMessage> all;
  for (int i = 0; i < 50; ++i) all.push_back(M("Unit " + std::to_string(i), "وحدة " + std::to_string(i)));
  for (const PoMessage& m : all) ASSERT_TRUE(w.Write(m).ok());
  ASSERT_TRUE(w.Finish().ok());
  EXPECT_GT(blocks.size(), 10u);
  std::string joined;
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (i + 1 < blocks.size()) {
      EXPECT_GE(blocks[i].size(), 100u);
    }
    joined += blocks[i];
  }
  EXPECT_EQ(joined, Write(all));
  EXPECT_EQ(w.bytes_written(), joined.size());

  PoWriter failing(o, [](std::string_view) { return absl::UnavailableError("disk full"); });
  absl::Status s;
  for (int i = 0; i < 50 && s.ok(); ++i) s = failing.Write(all[i]);
  EXPECT_TRUE(absl::IsUnavailable(s)) << s;
  EXPECT_TRUE(absl::IsUnavailable(failing.Write(all[0])));
  EXPECT_TRUE(absl::IsUnavailable(failing.Finish()));
}

// The round trip through gettext: many messages (Arabic, contexts,
// duplicates, comments, newlines, quotes) in both memory directions.
TEST(PoWriterTest, RoundTripThroughGettext) {
  for (const bool arabic_source : {false, true}) {
    SCOPED_TRACE(arabic_source ? "ar->en" : "en->ar");
    std::vector<PoMessage> in;
    for (int i = 0; i < 300; ++i) {
      std::string en =
          "Sentence " + std::to_string(i % 120) + (i % 7 == 0 ? " with \"quotes\"\nand a line" : "");
      std::string ar = "جملة رقم " + std::to_string(i) + (i % 7 == 0 ? " مع \"علامات\"\nوسطر" : "");
      PoMessage m = arabic_source ? M(ar, en) : M(en, ar);
      if (i % 3 == 0) m.msgctxt = "ctx " + std::to_string(i % 30);
      m.duplicate_tag = "qantara:" + std::to_string(i + 1);
      if (i % 5 == 0) m.comments = {"ملاحظة " + std::to_string(i)};
      if (i % 11 == 0) m.references = "src/f" + std::to_string(i) + ".c:" + std::to_string(i + 1);
      in.push_back(m);
    }
    const std::string po = Write(in, Options(arabic_source ? "en" : "ar"));
    ReaderOptions ro;
    if (arabic_source) {
      ro.source_language = text::Language::kArabic;
      ro.target_language = text::Language::kEnglish;
    }
    ReadResult r = ReadAll(FileFormat::kPo, po, 1000, ro);
    ASSERT_TRUE(r.status.ok()) << r.status;
    EXPECT_TRUE(r.problems.empty()) << r.problems[0].reason;
    ASSERT_EQ(r.units.size(), in.size());
    for (size_t i = 0; i < in.size(); ++i) {
      const TranslationUnit& u = r.units[i];
      EXPECT_EQ(u.source.text, in[i].msgid) << i;
      EXPECT_EQ(u.target.text, in[i].msgstr) << i;
      EXPECT_EQ(u.source.language, arabic_source ? text::Language::kArabic : text::Language::kEnglish);
      // The context, unless a duplicate's was renamed.
      if (u.id != in[i].msgctxt) {
        EXPECT_EQ(u.id,
                  in[i].msgctxt.empty() ? in[i].duplicate_tag : in[i].msgctxt + "|" + in[i].duplicate_tag)
            << i;
      }
      EXPECT_EQ(u.notes, in[i].comments) << i;
      if (!in[i].references.empty()) {
        ASSERT_EQ(u.props.size(), 1u) << i;
        EXPECT_EQ(u.props[0].value, in[i].references) << i;
      }
    }
    ExpectMsgfmtAccepts(po);
  }
}

}  // namespace
}  // namespace qantara::formats
