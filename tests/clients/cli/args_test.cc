// Parsing argv into the CLI's argument structs (clients/cli/args.h), above
// all `--`: in every command that takes free text or file names, what follows
// it is positional even when it starts with '-'.
#include "clients/cli/args.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace qantara::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::unique_ptr<CommandLine> Parse(const std::vector<std::string>& args) {
  absl::StatusOr<std::unique_ptr<CommandLine>> line = ParseCommandLine(args);
  EXPECT_TRUE(line.ok()) << line.status();
  return line.ok() ? *std::move(line) : std::make_unique<CommandLine>();
}

TEST(ArgsTest, Segment) {
  auto line = Parse({"segment", "--lang", "ar", "--", "-doc.txt"});
  EXPECT_EQ(line->command, "segment");
  EXPECT_EQ(line->segment.lang, "ar");
  EXPECT_EQ(line->segment.file, "-doc.txt");
}

TEST(ArgsTest, Normalize) {
  auto line = Parse({"normalize", "-l", "ar", "--no-alef", "--", "-نص"});
  EXPECT_EQ(line->command, "normalize");
  EXPECT_EQ(line->normalize.text, "-نص");
  EXPECT_EQ(line->normalize.lang, "ar");
}

TEST(ArgsTest, Tokenize) {
  auto line = Parse({"tokenize", "--lang", "en", "--json", "--", "-file.txt"});
  EXPECT_EQ(line->command, "tokenize");
  EXPECT_EQ(line->tokenize.file, "-file.txt");
  EXPECT_TRUE(line->tokenize.json);
}

TEST(ArgsTest, Align) {
  auto line = Parse({"align", "--format", "tsv", "--", "-ar.txt", "-en.txt"});
  EXPECT_EQ(line->command, "align");
  EXPECT_EQ(line->align.ar_file, "-ar.txt");
  EXPECT_EQ(line->align.en_file, "-en.txt");
  EXPECT_EQ(line->align.format, "tsv");
}

TEST(ArgsTest, Add) {
  auto line = Parse({"add", "--memory", "M", "--", "-نص", "-text"});
  EXPECT_EQ(line->command, "add");
  EXPECT_EQ(line->add.memory, "M");
  EXPECT_THAT(line->add.texts, ElementsAre("-نص", "-text"));
}

TEST(ArgsTest, AddDashDashAfterTheSource) {
  auto line = Parse({"add", "-m", "M", "نص", "--", "-text"});
  EXPECT_THAT(line->add.texts, ElementsAre("نص", "-text"));
}

TEST(ArgsTest, AddTakesTwoTextsOrNone) {
  EXPECT_TRUE(Parse({"add", "-m", "M", "--tsv", "units.tsv"})->add.texts.empty());
  absl::StatusOr<std::unique_ptr<CommandLine>> one = ParseCommandLine({"add", "-m", "M", "a"});
  EXPECT_EQ(one.status().code(), absl::StatusCode::kInvalidArgument);
  absl::StatusOr<std::unique_ptr<CommandLine>> three = ParseCommandLine({"add", "-m", "M", "a", "b", "c"});
  EXPECT_EQ(three.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ArgsTest, Lookup) {
  auto line = Parse({"lookup", "--memory", "M", "--", "-نص"});
  EXPECT_EQ(line->command, "lookup");
  EXPECT_THAT(line->lookup.memories, ElementsAre("M"));
  EXPECT_EQ(line->lookup.text, "-نص");
}

TEST(ArgsTest, LookupSeveralMemoriesThenDashDash) {
  // A repeatable option must not swallow the `--` after its value.
  auto line = Parse({"lookup", "-m", "A", "-m", "B", "--threshold", "80", "--", "-x"});
  EXPECT_THAT(line->lookup.memories, ElementsAre("A", "B"));
  EXPECT_EQ(line->lookup.text, "-x");
  EXPECT_EQ(line->lookup.threshold, 80);
}

TEST(ArgsTest, WithoutDashDashATextStartingWithDashIsAnOption) {
  absl::StatusOr<std::unique_ptr<CommandLine>> line = ParseCommandLine({"lookup", "--memory", "M", "-x"});
  EXPECT_EQ(line.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ArgsTest, AfterDashDashOptionsAreText) {
  // `--json` after `--` is not the flag: lookup takes one text, so it is extra.
  absl::StatusOr<std::unique_ptr<CommandLine>> line =
      ParseCommandLine({"lookup", "-m", "M", "--", "-x", "--json"});
  EXPECT_EQ(line.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(line.status().message(), HasSubstr("--json"));
}

TEST(ArgsTest, Concordance) {
  auto line = Parse({"concordance", "-m", "M", "--target", "--", "-phrase"});
  EXPECT_EQ(line->command, "concordance");
  EXPECT_EQ(line->concordance.text, "-phrase");
  EXPECT_TRUE(line->concordance.target);
}

TEST(ArgsTest, Import) {
  auto line = Parse({"import", "--memory", "M", "--dry-run", "--", "-units.tmx"});
  EXPECT_EQ(line->command, "import");
  EXPECT_EQ(line->import.file, "-units.tmx");
  EXPECT_TRUE(line->import.dry_run);
}

TEST(ArgsTest, ImportDocs) {
  auto line = Parse({"import-docs", "-m", "M", "-r", "--", "-docs", "more"});
  EXPECT_EQ(line->command, "import-docs");
  EXPECT_THAT(line->import_docs.inputs, ElementsAre("-docs", "more"));
  EXPECT_EQ(line->import_docs.store.memory, "M");
  EXPECT_TRUE(line->import_docs.recursive);
}

TEST(ArgsTest, AlignToMemory) {
  auto line = Parse({"align-to-memory", "-m", "M", "--", "-a.ar.txt", "-a.en.txt"});
  EXPECT_EQ(line->command, "align-to-memory");
  EXPECT_EQ(line->align_to_memory.ar_file, "-a.ar.txt");
  EXPECT_EQ(line->align_to_memory.en_file, "-a.en.txt");
}

TEST(ArgsTest, MemoryCreate) {
  auto line = Parse({"memory", "create", "--source", "ar", "--target", "en", "--", "-tm"});
  EXPECT_EQ(line->command, "memory create");
  EXPECT_EQ(line->memory.name, "-tm");
  EXPECT_EQ(line->memory.source, "ar");
  EXPECT_EQ(line->memory.target, "en");
}

TEST(ArgsTest, MemoryShow) {
  auto line = Parse({"memory", "show", "--json", "--", "-tm"});
  EXPECT_EQ(line->command, "memory show");
  EXPECT_EQ(line->memory.name, "-tm");
  EXPECT_TRUE(line->memory.json);
}

TEST(ArgsTest, MemoryDelete) {
  auto line = Parse({"memory", "delete", "--", "-tm"});
  EXPECT_EQ(line->command, "memory delete");
  EXPECT_EQ(line->memory.name, "-tm");
}

TEST(ArgsTest, ExportFileNameStartingWithDash) {
  // A file name starting with '-' goes after '=' (or after --).
  auto line = Parse({"export", "-m", "M", "--output=-tm.tmx"});
  EXPECT_EQ(line->command, "export");
  EXPECT_EQ(line->export_.output, "-tm.tmx");
}

TEST(ArgsTest, ExportFormatAndPositionalFile) {
  auto line = Parse({"export", "--memory", "M", "--format", "po", "out.po"});
  EXPECT_EQ(line->command, "export");
  EXPECT_EQ(line->export_.output, "out.po");
  EXPECT_EQ(line->export_.format, "po");
  line = Parse({"export", "-m", "M", "-o", "out.tmx"});
  EXPECT_EQ(line->export_.output, "out.tmx");
  EXPECT_EQ(line->export_.format, "");
  line = Parse({"export", "-m", "M"});
  EXPECT_EQ(line->export_.output, "-");  // stdout
}

TEST(ArgsTest, GlobalOptionsBeforeTheCommand) {
  auto line = Parse({"--server", "host:1", "--timeout", "2", "memory", "list"});
  EXPECT_EQ(line->command, "memory list");
  EXPECT_EQ(line->global.server, "host:1");
  EXPECT_EQ(line->global.timeout_seconds, 2);
}

TEST(ArgsTest, UnknownOptionIsAUsageError) {
  absl::StatusOr<std::unique_ptr<CommandLine>> line = ParseCommandLine({"segment", "--lang", "ar", "--nope"});
  EXPECT_EQ(line.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ArgsTest, HelpIsNotACommand) {
  EXPECT_EQ(ParseCommandLine({"lookup", "--help"}).status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace qantara::cli
