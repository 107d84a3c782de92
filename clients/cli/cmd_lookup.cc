// `qantara lookup`: fuzzy matches for one segment.
#include "clients/cli/call.h"
#include "clients/cli/commands.h"
#include "clients/cli/input.h"
#include "clients/cli/render_memory.h"
#include "qantara/v1/memory.grpc.pb.h"

namespace qantara::cli {

absl::StatusOr<v1::LookupResponse> RunLookup(const GlobalOptions& options, const LookupArgs& args,
                                             const std::string& text) {
  v1::LookupRequest req;
  for (const auto& m : args.memories) req.add_memories(m);
  req.set_text(text);
  req.set_threshold(args.threshold);
  req.set_max_results(args.max);
  req.set_reverse(args.reverse);
  req.set_exhaustive(args.exhaustive);
  return Call(options, &v1::MemoryService::Stub::Lookup, req);
}

int RunLookupCommand(const GlobalOptions& options, const LookupArgs& args) {
  absl::StatusOr<std::string> text = ReadSegmentArg(args.text);
  if (!text.ok()) return ReportError(std::string(text.status().message()), kExitUsage);
  absl::StatusOr<v1::LookupResponse> resp = RunLookup(options, args, *text);
  if (!resp.ok()) return ReportRpcError(options, "lookup", resp.status());
  return PrintOutput(RenderLookup(*resp, args));
}

}  // namespace qantara::cli
