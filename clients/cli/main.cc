// qantara: command-line client of qantara-server.
#include "CLI/CLI.hpp"
#include "clients/cli/client.h"
#include "clients/cli/commands.h"

int main(int argc, char** argv) {
  using namespace qantara::cli;
  CLI::App app{"qantara: client of the qantara translation memory and alignment server"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "qantara 0.1.0");
  GlobalOptions options{DefaultServer(), 30};
  app.add_option("--server", options.server,
                 "server HOST:PORT (default: $QANTARA_SERVER, else 127.0.0.1:50051)")
      ->capture_default_str();
  app.add_option("--timeout", options.timeout_seconds, "seconds to wait for each call")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  int exit_code = kExitOk;
  AddHealthCommand(app, options, &exit_code);
  AddSegmentCommand(app, options, &exit_code);
  AddMemoryCommand(app, options, &exit_code);
  AddAddCommand(app, options, &exit_code);
  AddLookupCommand(app, options, &exit_code);
  AddConcordanceCommand(app, options, &exit_code);
  AddAlignCommand(app, options, &exit_code);
  AddNormalizeCommand(app, options, &exit_code);
  AddTokenizeCommand(app, options, &exit_code);
  AddImportCommand(app, options, &exit_code);
  AddExportCommand(app, options, &exit_code);
  AddImportDocsCommand(app, options, &exit_code);
  AddAlignToMemoryCommand(app, options, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  return exit_code;
}
