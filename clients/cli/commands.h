// The CLI's commands: each Run*Command does the work of one parsed command
// through the client (printing its output and errors) and returns the exit
// code; RunCommand dispatches on the command's name. The requests are built
// by the Run* functions beside them, their output by render_*.h.
#ifndef QANTARA_CLIENTS_CLI_COMMANDS_H_
#define QANTARA_CLIENTS_CLI_COMMANDS_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clients/cli/args.h"
#include "clients/cli/client.h"
#include "qantara/v1/memory.pb.h"
#include "qantara/v1/text.pb.h"

namespace qantara::cli {

// The calls behind the commands whose output render_*.h makes: the server's
// answer, or the failure (InvalidArgument for input refused before sending).
absl::StatusOr<qantara::v1::LookupResponse> RunLookup(const GlobalOptions& options, const LookupArgs& args,
                                                      const std::string& text);
absl::StatusOr<qantara::v1::ConcordanceResponse> RunConcordance(const GlobalOptions& options,
                                                                const ConcordanceArgs& args);
absl::StatusOr<qantara::v1::FragmentsResponse> RunFragments(const GlobalOptions& options,
                                                            const FragmentsArgs& args,
                                                            const std::string& text);
absl::StatusOr<qantara::v1::AddUnitResponse> RunAddUnit(const GlobalOptions& options, const AddArgs& args);
absl::StatusOr<qantara::v1::SegmentResponse> RunSegment(const GlobalOptions& options, const SegmentArgs& args,
                                                        std::string text, std::string srx);
absl::StatusOr<qantara::v1::TokenizeResponse> RunTokenize(const GlobalOptions& options,
                                                          const TokenizeArgs& args, std::string text);

int RunHealthCommand(const GlobalOptions& options, const HealthArgs& args);
// `qantara server-info`: ServerService.GetServerInfo.
int RunServerInfoCommand(const GlobalOptions& options, const ServerInfoArgs& args);
int RunSegmentCommand(const GlobalOptions& options, const SegmentArgs& args);
int RunNormalizeCommand(const GlobalOptions& options, const NormalizeArgs& args);
int RunTokenizeCommand(const GlobalOptions& options, const TokenizeArgs& args);
int RunAlignCommand(const GlobalOptions& options, const AlignArgs& args);
// `command` is "memory create", "memory list", "memory show" or "memory delete".
int RunMemoryCommand(const GlobalOptions& options, const std::string& command, const MemoryArgs& args);
int RunAddCommand(const GlobalOptions& options, const AddArgs& args);
int RunLookupCommand(const GlobalOptions& options, const LookupArgs& args);
int RunConcordanceCommand(const GlobalOptions& options, const ConcordanceArgs& args);
// `qantara fragments`: MemoryService.Fragments.
int RunFragmentsCommand(const GlobalOptions& options, const FragmentsArgs& args);
int RunImportCommand(const GlobalOptions& options, const ImportArgs& args);
int RunExportCommand(const GlobalOptions& options, const ExportArgs& args);
int RunImportDocsCommand(const GlobalOptions& options, const ImportDocsArgs& args);
int RunAlignToMemoryCommand(const GlobalOptions& options, const AlignToMemoryArgs& args);
// `qantara unit show|update`: one unit and its revision.
int RunUnitCommand(const GlobalOptions& options, const std::string& command, const UnitArgs& args);
// `qantara audit`: the audit trail, page by page.
int RunAuditCommand(const GlobalOptions& options, const AuditArgs& args);
// --since of `qantara audit`: microseconds since the epoch (0 for "").
absl::StatusOr<int64_t> ParseSince(const std::string& text, absl::Time now);

// `command` is "token create", "token list" or "token revoke".
int RunTokenCommand(const GlobalOptions& options, const std::string& command, const TokenArgs& args);

// `command` is "backup create" or "backup list".
int RunBackupCommand(const GlobalOptions& options, const std::string& command, const BackupArgs& args);

// Runs the command `line` names; its exit code.
int RunCommand(const CommandLine& line);

}  // namespace qantara::cli

#endif  // QANTARA_CLIENTS_CLI_COMMANDS_H_
