// `qantara fragments`: the pieces of a segment a memory knows, with their
// proposed translations (subsegment recall).
#include "clients/cli/call.h"
#include "clients/cli/commands.h"
#include "clients/cli/input.h"
#include "clients/cli/render_memory.h"
#include "qantara/v1/memory.grpc.pb.h"

namespace qantara::cli {

absl::StatusOr<v1::FragmentsResponse> RunFragments(const GlobalOptions& options, const FragmentsArgs& args,
                                                   const std::string& text) {
  v1::FragmentsRequest req;
  req.set_memory(args.memory);
  req.set_text(text);
  req.set_max_fragments(args.max);
  req.set_min_confidence(args.min_confidence);
  return Call(options, &v1::MemoryService::Stub::Fragments, req);
}

int RunFragmentsCommand(const GlobalOptions& options, const FragmentsArgs& args) {
  absl::StatusOr<std::string> text = ReadSegmentArg(args.text);
  if (!text.ok()) return ReportError(std::string(text.status().message()), kExitUsage);
  absl::StatusOr<v1::FragmentsResponse> resp = RunFragments(options, args, *text);
  if (!resp.ok()) return ReportRpcError(options, "fragments", resp.status());
  return PrintOutput(RenderFragments(*resp, args));
}

}  // namespace qantara::cli
