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
    std::string srx;
    std::string srx_mode = "extend";
    bool keep_empty = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("--lang,-l", args->lang, "language of the document: ar or en")->required();
  cmd->add_option("--srx", args->srx,
                  "SRX 2.0 rules file (UTF-8) whose rules for the language apply too");
  cmd->add_option("--srx-mode", args->srx_mode,
                  "extend: the file's rules first, then qantara's; replace: the file's only")
      ->check(CLI::IsMember({"extend", "replace"}))
      ->capture_default_str();
  cmd->add_flag("--keep-empty", args->keep_empty,
                "print an empty line for every blank line of the document (keeps paragraphs)");
  cmd->add_option("file", args->file, "document to split; - or nothing reads stdin");
  cmd->callback([&options, exit_code, args] {
    absl::StatusOr<std::string> text = ReadTextInput(args->file);
    if (!text.ok()) {
      *exit_code = ReportInputError(text.status());
      return;
    }
    std::string srx;
    if (!args->srx.empty()) {
      if (args->srx == "-") {
        *exit_code = ReportError("--srx needs a file (stdin is the document)", kExitUsage);
        return;
      }
      absl::StatusOr<std::string> rules = ReadTextInput(args->srx);
      if (!rules.ok()) {
        *exit_code = ReportError(std::string(rules.status().message()), kExitUsage);
        return;
      }
      srx = *std::move(rules);
    }
    qantara::v1::SegmentRequest req;
    req.set_text(*std::move(text));
    req.set_language(args->lang);
    req.set_srx(std::move(srx));
    req.set_srx_mode(args->srx_mode == "replace" ? qantara::v1::SRX_MODE_REPLACE
                                                 : qantara::v1::SRX_MODE_EXTEND);
    req.set_keep_empty(args->keep_empty);
    qantara::v1::SegmentResponse resp;
    if (!UnaryCall(options, "segment", &v1::TextService::Stub::Segment, req, &resp, exit_code)) return;
    for (const auto& s : resp.sentences()) {
      std::fwrite(s.text().data(), 1, s.text().size(), stdout);
      std::fputc('\n', stdout);
    }
    *exit_code = std::fflush(stdout) == 0 ? kExitOk : kExitFailed;
  });
}

}  // namespace qantara::cli
