// `qantara segment`: one sentence per line, as the server splits them.
#include "clients/cli/call.h"
#include "clients/cli/commands.h"
#include "clients/cli/input.h"
#include "clients/cli/render_text.h"
#include "qantara/v1/text.grpc.pb.h"

namespace qantara::cli {

absl::StatusOr<v1::SegmentResponse> RunSegment(const GlobalOptions& options, const SegmentArgs& args,
                                               std::string text, std::string srx) {
  v1::SegmentRequest req;
  req.set_text(std::move(text));
  req.set_language(args.lang);
  req.set_srx(std::move(srx));
  req.set_srx_mode(args.srx_mode == "replace" ? v1::SRX_MODE_REPLACE : v1::SRX_MODE_EXTEND);
  req.set_keep_empty(args.keep_empty);
  return Call(options, &v1::TextService::Stub::Segment, req);
}

int RunSegmentCommand(const GlobalOptions& options, const SegmentArgs& args) {
  absl::StatusOr<std::string> text = ReadTextInput(args.file);
  if (!text.ok()) return ReportInputError(text.status());
  std::string srx;
  if (!args.srx.empty()) {
    if (args.srx == "-") {
      return ReportError("--srx needs a file (stdin is the document)", kExitUsage);
    }
    absl::StatusOr<std::string> rules = ReadTextInput(args.srx);
    if (!rules.ok()) return ReportError(std::string(rules.status().message()), kExitUsage);
    srx = *std::move(rules);
  }
  absl::StatusOr<v1::SegmentResponse> resp = RunSegment(options, args, *std::move(text), std::move(srx));
  if (!resp.ok()) return ReportRpcError(options, "segment", resp.status());
  return PrintOutput(RenderSegment(*resp));
}

}  // namespace qantara::cli
