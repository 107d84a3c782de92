// `qantara memory create|list|show|delete`: managing translation memories.
#include <utility>

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
    req.set_request_id(NewRequestId());
    absl::StatusOr<v1::Memory> m = Call(options, &v1::MemoryService::Stub::CreateMemory, req);
    if (!m.ok()) return ReportRpcError(options, what, m.status());
    return PrintOutput(RenderMemoryCreated(*m));
  }
  if (command == "memory list") {
    // Every page, gathered into one list.
    v1::ListMemoriesResponse all;
    v1::ListMemoriesRequest req;
    req.set_page_size(1000);
    do {
      absl::StatusOr<v1::ListMemoriesResponse> resp =
          Call(options, &v1::MemoryService::Stub::ListMemories, req);
      if (!resp.ok()) return ReportRpcError(options, what, resp.status());
      for (v1::Memory& m : *resp->mutable_memories()) *all.add_memories() = std::move(m);
      req.set_page_token(resp->next_page_token());
    } while (!req.page_token().empty());
    return PrintOutput(RenderMemoryList(all, args.json));
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
    req.set_request_id(NewRequestId());
    absl::StatusOr<v1::DeleteMemoryResponse> resp =
        Call(options, &v1::MemoryService::Stub::DeleteMemory, req);
    if (!resp.ok()) return ReportRpcError(options, what, resp.status());
    return PrintOutput(RenderMemoryDeleted(args.name, *resp));
  }
  return ReportError("memory: unknown command " + command, kExitUsage);
}

}  // namespace qantara::cli
