// The CLI's subcommands. Each Add* registers one subcommand on the app; its
// callback stores the exit code in *exit_code.
#ifndef QANTARA_CLIENTS_CLI_COMMANDS_H_
#define QANTARA_CLIENTS_CLI_COMMANDS_H_

#include "CLI/CLI.hpp"
#include "clients/cli/client.h"

namespace qantara::cli {

void AddHealthCommand(CLI::App& app, const GlobalOptions& options, int* exit_code);
void AddAlignCommand(CLI::App& app, const GlobalOptions& options, int* exit_code);
void AddSegmentCommand(CLI::App& app, const GlobalOptions& options, int* exit_code);
void AddMemoryCommand(CLI::App& app, const GlobalOptions& options, int* exit_code);
void AddAddCommand(CLI::App& app, const GlobalOptions& options, int* exit_code);
void AddLookupCommand(CLI::App& app, const GlobalOptions& options, int* exit_code);
void AddConcordanceCommand(CLI::App& app, const GlobalOptions& options, int* exit_code);
void AddNormalizeCommand(CLI::App& app, const GlobalOptions& options, int* exit_code);
void AddTokenizeCommand(CLI::App& app, const GlobalOptions& options, int* exit_code);
void AddImportCommand(CLI::App& app, const GlobalOptions& options, int* exit_code);
void AddExportCommand(CLI::App& app, const GlobalOptions& options, int* exit_code);
void AddImportDocsCommand(CLI::App& app, const GlobalOptions& options, int* exit_code);
void AddAlignToMemoryCommand(CLI::App& app, const GlobalOptions& options, int* exit_code);

}  // namespace qantara::cli

#endif  // QANTARA_CLIENTS_CLI_COMMANDS_H_
