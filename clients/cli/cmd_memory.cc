// `qantara memory create|list|show|delete`: managing translation memories.
#include "clients/cli/call.h"
#include "clients/cli/commands.h"
#include "clients/cli/render_memory.h"
#include "qantara/v1/memory.grpc.pb.h"

namespace qantara::cli {

int RunMemoryCommand(const GlobalOptions& options, const std::string& command, const MemoryArgs& args) {
  const char* what = command.c_str();
  if (command == "memory create") {
    v1::CreateMemoryRequest req;
    req.set_name(args.name);
    req.set_source_lang(args.source);
    req.set_target_lang(args.target);
    req.set_description(args.description);
    absl::StatusOr<v1::Memory> m = Call(options, &v1::MemoryService::Stub::CreateMemory, req);
    if (!m.ok()) return ReportRpcError(options, what, m.status());
    return PrintOutput(RenderMemoryCreated(*m));
  }
  if (command == "memory list") {
    absl::StatusOr<v1::ListMemoriesResponse> resp =
        Call(options, &v1::MemoryService::Stub::ListMemories, v1::ListMemoriesRequest());
    if (!resp.ok()) return ReportRpcError(options, what, resp.status());
    return PrintOutput(RenderMemoryList(*resp, args.json));
  }
  if (command == "memory show") {
    v1::GetMemoryRequest req;
    req.set_name(args.name);
    absl::StatusOr<v1::Memory> m = Call(options, &v1::MemoryService::Stub::GetMemory, req);
    if (!m.ok()) return ReportRpcError(options, what, m.status());
    return PrintOutput(RenderMemory(*m, args.json));
  }
  if (command == "memory delete") {
    v1::DeleteMemoryRequest req;
    req.set_name(args.name);
    absl::StatusOr<v1::DeleteMemoryResponse> resp =
        Call(options, &v1::MemoryService::Stub::DeleteMemory, req);
    if (!resp.ok()) return ReportRpcError(options, what, resp.status());
    return PrintOutput(RenderMemoryDeleted(args.name, *resp));
  }
  return ReportError("memory: unknown command " + command, kExitUsage);
}

}  // namespace qantara::cli
