// Dispatch: the parsed command line -> the command it names.
#include "clients/cli/commands.h"

namespace qantara::cli {

int RunCommand(const CommandLine& line) {
  GlobalOptions o = line.global;
  if (absl::Status s = ResolveToken(&o); !s.ok()) return ReportError(std::string(s.message()), kExitUsage);
  if (absl::Status tls = LoadTlsFiles(&o.tls); !tls.ok()) {
    return ReportError(std::string(tls.message()), kExitUsage);
  }
  const std::string& c = line.command;
  if (c == "health") return RunHealthCommand(o, line.health);
  if (c == "server-info") return RunServerInfoCommand(o, line.server_info);
  if (c == "segment") return RunSegmentCommand(o, line.segment);
  if (c == "normalize") return RunNormalizeCommand(o, line.normalize);
  if (c == "tokenize") return RunTokenizeCommand(o, line.tokenize);
  if (c == "align") return RunAlignCommand(o, line.align);
  if (c.rfind("memory ", 0) == 0) return RunMemoryCommand(o, c, line.memory);
  if (c == "add") return RunAddCommand(o, line.add);
  if (c == "lookup") return RunLookupCommand(o, line.lookup);
  if (c == "concordance") return RunConcordanceCommand(o, line.concordance);
  if (c == "fragments") return RunFragmentsCommand(o, line.fragments);
  if (c == "import") return RunImportCommand(o, line.import);
  if (c == "export") return RunExportCommand(o, line.export_);
  if (c == "import-docs") return RunImportDocsCommand(o, line.import_docs);
  if (c == "align-to-memory") return RunAlignToMemoryCommand(o, line.align_to_memory);
  if (c.rfind("backup ", 0) == 0) return RunBackupCommand(o, c, line.backup);
  if (c.rfind("token ", 0) == 0) return RunTokenCommand(o, c, line.token);
  if (c == "audit") return RunAuditCommand(o, line.audit);
  if (c == "unit show" || c == "unit update") return RunUnitCommand(o, c, line.unit);
  return ReportError("unknown command '" + c + "' (see --help)", kExitUsage);
}

}  // namespace qantara::cli
