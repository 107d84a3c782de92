// `qantara concordance`: a word or phrase in a memory's sources or targets.
#include "clients/cli/call.h"
#include "clients/cli/commands.h"
#include "clients/cli/render_memory.h"
#include "qantara/v1/memory.grpc.pb.h"

namespace qantara::cli {

absl::StatusOr<v1::ConcordanceResponse> RunConcordance(const GlobalOptions& options,
                                                       const ConcordanceArgs& args) {
  v1::ConcordanceRequest req;
  req.set_memory(args.memory);
  req.set_text(args.text);
  req.set_in_target(args.target);
  req.set_page_size(args.page_size);
  req.set_page_token(args.page_token);
  return Call(options, &v1::MemoryService::Stub::Concordance, req);
}

int RunConcordanceCommand(const GlobalOptions& options, const ConcordanceArgs& args) {
  absl::StatusOr<v1::ConcordanceResponse> resp = RunConcordance(options, args);
  if (!resp.ok()) return ReportRpcError(options, "concordance", resp.status());
  return PrintOutput(RenderConcordance(*resp, args));
}

}  // namespace qantara::cli
