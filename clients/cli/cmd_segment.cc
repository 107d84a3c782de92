// `qantara segment`: one sentence per line, as the server splits them.
#include <cstdio>

#include "clients/cli/commands.h"
#include "clients/cli/input.h"
#include "qantara/v1/text.grpc.pb.h"

namespace qantara::cli {

void AddSegmentCommand(CLI::App& app, const GlobalOptions& options, int* exit_code) {
  CLI::App* cmd = app.add_subcommand(
      "segment", "Split a document into sentences, one per line on stdout");
  struct Args {
    std::string lang;
    std::string file;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("--lang,-l", args->lang, "language of the document: ar or en")->required();
  cmd->add_option("file", args->file, "document to split; - or nothing reads stdin");
  cmd->callback([&options, exit_code, args] {
    absl::StatusOr<std::string> text = ReadTextInput(args->file);
    if (!text.ok()) {
      *exit_code = ReportError(std::string(text.status().message()),
                               text.status().code() == absl::StatusCode::kInvalidArgument
                                   ? kExitUsage
                                   : kExitFailed);
      return;
    }
    auto stub = qantara::v1::TextService::NewStub(Connect(options));
    grpc::ClientContext ctx;
    Prepare(ctx, options);
    qantara::v1::SegmentRequest req;
    req.set_text(*std::move(text));
    req.set_language(args->lang);
    qantara::v1::SegmentResponse resp;
    grpc::Status st = stub->Segment(&ctx, req, &resp);
    if (!st.ok()) {
      *exit_code = ReportRpcError(options, "segment", st);
      return;
    }
    for (const auto& s : resp.sentences()) {
      std::fwrite(s.text().data(), 1, s.text().size(), stdout);
      std::fputc('\n', stdout);
    }
    *exit_code = std::fflush(stdout) == 0 ? kExitOk : kExitFailed;
  });
}

}  // namespace qantara::cli
