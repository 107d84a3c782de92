// ImportExportService.Import over a real in-process gRPC server and a real
// RocksDB: the handler's conversions (ImportStart to tm::ImportOptions, the
// report and its problems back, the CSV format both ways) and status codes.
// The import itself (batches, policies, stops) is tested without gRPC in
// tests/service/tm/importer_test.cc.
#include "service/rpc/import_service.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/service/rpc/rpc_test_env.h"
#include "tests/service/tm/tm_fixtures.h"

namespace qantara::rpc {
namespace {

namespace v1 = qantara::v1;

using tm::testing::Tmx;

class ImportServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(env_.memories->CreateMemory(tm::NewMemory{"m", "en", "ar", ""}).ok()); }

  // Imports `file` in chunks of 1,000 bytes; returns the report.
  v1::ImportReport Import(const std::string& file, uint32_t batch_size, bool stop_on_error = false,
                          v1::FileFormat format = v1::FILE_FORMAT_UNSPECIFIED) {
    grpc::ClientContext ctx;
    auto stream = stub_->Import(&ctx);
    v1::ImportRequest start;
    start.mutable_start()->set_memory("m");
    start.mutable_start()->set_file_name("t.tmx");
    start.mutable_start()->set_batch_size(batch_size);
    start.mutable_start()->set_stop_on_error(stop_on_error);
    start.mutable_start()->set_format(format);
    EXPECT_TRUE(stream->Write(start));
    for (size_t at = 0; at < file.size(); at += 1000) {
      v1::ImportRequest chunk;
      chunk.set_chunk(file.substr(at, 1000));
      EXPECT_TRUE(stream->Write(chunk));
    }
    stream->WritesDone();
    v1::ImportResponse resp;
    v1::ImportReport report;
    while (stream->Read(&resp)) {
      if (resp.has_report()) report = resp.report();
    }
    EXPECT_TRUE(stream->Finish().ok());
    return report;
  }

  // The stored English sides, in unit id order.
  std::vector<std::string> Stored() {
    std::vector<std::string> out;
    EXPECT_TRUE(env_.memories
                    ->ScanUnits("m", 0,
                                [&](const storage::Unit& u) {
                                  out.push_back(u.source);
                                  return absl::OkStatus();
                                })
                    .ok());
    return out;
  }

  testing::MemoryEnv env_;
  ImportExportServiceImpl service_{*env_.memories};
  testing::TestServer server_{{&service_}};
  std::unique_ptr<v1::ImportExportService::Stub> stub_ = v1::ImportExportService::NewStub(server_.channel());
};

TEST_F(ImportServiceTest, BatchesAreStoredInFileOrderWithDuplicatesAcrossThem) {
  std::vector<std::pair<std::string, std::string>> units;
  std::vector<std::string> want;  // the English sides stored, in file order
  for (int i = 0; i < 600; ++i) {
    if (i >= 20 && i % 7 == 3) {
      units.push_back(units[i - 13]);  // a duplicate of a unit one or two batches back
      continue;
    }
    units.emplace_back("sentence number " + std::to_string(i) + " of the file",
                       "الجملة رقم " + std::to_string(i));
    want.push_back(units.back().first);
  }
  const v1::ImportReport report = Import(Tmx(units), /*batch_size=*/10);
  EXPECT_EQ(report.fatal_error(), "");
  EXPECT_EQ(report.counts().units_added(), want.size());
  EXPECT_EQ(report.counts().duplicates(), units.size() - want.size());
  EXPECT_EQ(report.counts().units_failed(), 0u);
  EXPECT_EQ(Stored(), want);
  // The report's problems are in file order too (lines ascending).
  for (int i = 1; i < report.problems_size(); ++i) {
    EXPECT_LT(report.problems(i - 1).line(), report.problems(i).line());
  }
  // Importing again adds nothing: every unit is a duplicate.
  const v1::ImportReport again = Import(Tmx(units), 10);
  EXPECT_EQ(again.counts().units_added(), 0u);
  EXPECT_EQ(again.counts().duplicates(), units.size());
  EXPECT_EQ(Stored(), want);
}

TEST_F(ImportServiceTest, StopOnErrorEndsWithAReportWhoseFatalErrorSaysWhere) {
  std::vector<std::pair<std::string, std::string>> units;
  for (int i = 0; i < 100; ++i) {
    units.emplace_back(i == 45 ? "" : "sentence " + std::to_string(i), "جملة " + std::to_string(i));
  }
  const v1::ImportReport report = Import(Tmx(units), /*batch_size=*/10, /*stop_on_error=*/true);
  EXPECT_NE(report.fatal_error().find("(line 48)"), std::string::npos) << report.fatal_error();
  EXPECT_EQ(report.counts().units_failed(), 1u);
  ASSERT_EQ(report.problems_size(), 1);
  EXPECT_EQ(report.problems(0).severity(), "error");
  EXPECT_EQ(report.problems(0).line(), 48);
  EXPECT_EQ(report.format(), v1::FILE_FORMAT_TMX);
  EXPECT_EQ(Stored().size(), 45u);
}

TEST_F(ImportServiceTest, CsvFormatGivenAndReported) {
  // The given format wins over the name (t.tmx); the report says CSV.
  const std::string csv = "en\tar\nOpen\tافتح\n\"Save\"\t\nClose\tأغلق\n";
  const v1::ImportReport report = Import(csv, 10, false, v1::FILE_FORMAT_CSV);
  EXPECT_EQ(report.fatal_error(), "");
  EXPECT_EQ(report.format(), v1::FILE_FORMAT_CSV);
  EXPECT_EQ(report.counts().units_read(), 3u);
  EXPECT_EQ(report.counts().units_added(), 2u);
  ASSERT_EQ(report.problems_size(), 1);
  EXPECT_EQ(report.problems(0).severity(), "error");
  EXPECT_EQ(report.problems(0).line(), 3);
  EXPECT_EQ(report.problems(0).reason(), "the target is empty");
  EXPECT_EQ(Stored(), (std::vector<std::string>{"Open", "Close"}));
}

TEST_F(ImportServiceTest, BadStartsMapToStatusCodes) {
  auto call = [&](const v1::ImportRequest& first) {
    grpc::ClientContext ctx;
    auto stream = stub_->Import(&ctx);
    EXPECT_TRUE(stream->Write(first));
    stream->WritesDone();
    v1::ImportResponse resp;
    while (stream->Read(&resp)) {
    }
    return stream->Finish();
  };
  v1::ImportRequest chunk;
  chunk.set_chunk("<tmx/>");
  EXPECT_EQ(call(chunk).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  v1::ImportRequest big;
  big.mutable_start()->set_memory("m");
  big.mutable_start()->set_batch_size(10001);
  const grpc::Status s = call(big);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "batch_size must be 1 to 10000");
  v1::ImportRequest missing;
  missing.mutable_start()->set_memory("nope");
  EXPECT_EQ(call(missing).error_code(), grpc::StatusCode::NOT_FOUND);
}

// preserve_ids reaches the importer: a file's x-qantara-id props become the
// units' ids, and a memory that holds units is refused with
// FAILED_PRECONDITION before anything is read.
TEST_F(ImportServiceTest, PreserveIdsKeepsTheFilesIdsIntoAnEmptyMemoryOnly) {
  const std::string file =
      "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header srclang=\"en\" datatype=\"plaintext\" "
      "segtype=\"sentence\" adminlang=\"en\" o-tmf=\"t\" creationtool=\"t\" creationtoolversion=\"1\"/>"
      "<body><tu><prop type=\"x-qantara-id\">12</prop><tuv xml:lang=\"en\"><seg>twelve</seg></tuv>"
      "<tuv xml:lang=\"ar\"><seg>اثنا عشر</seg></tuv></tu></body></tmx>\n";
  auto run = [&](grpc::Status* status) {
    grpc::ClientContext ctx;
    auto stream = stub_->Import(&ctx);
    v1::ImportRequest start;
    start.mutable_start()->set_memory("m");
    start.mutable_start()->set_file_name("t.tmx");
    start.mutable_start()->set_preserve_ids(true);
    start.mutable_start()->set_on_duplicate(v1::DUPLICATE_POLICY_SKIP_IDENTICAL);  // ignored
    stream->Write(start);
    v1::ImportRequest chunk;
    chunk.set_chunk(file);
    stream->Write(chunk);
    stream->WritesDone();
    v1::ImportResponse resp;
    v1::ImportReport report;
    while (stream->Read(&resp)) {
      if (resp.has_report()) report = resp.report();
    }
    *status = stream->Finish();
    return report;
  };
  grpc::Status status;
  const v1::ImportReport report = run(&status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(report.counts().units_added(), 1u);
  auto unit = env_.memories->GetUnit("m", 12);
  ASSERT_TRUE(unit.ok()) << unit.status();
  EXPECT_EQ(unit->source, "twelve");
  run(&status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("empty memory"), std::string::npos);
}

}  // namespace
}  // namespace qantara::rpc
