// qantara: command-line client of qantara-server. Parses argv into a
// CommandLine (args.h) and runs the command it names (commands.h).
#include <cstdlib>

#include "CLI/CLI.hpp"
#include "clients/cli/args.h"
#include "clients/cli/client.h"
#include "clients/cli/commands.h"
#include "grpc/support/log.h"

namespace {

// gRPC's own log lines (e.g. "Handshake failed ...") stay off stderr: the
// failed call's status says the same, in the CLI's one error line.
// GRPC_VERBOSITY=... keeps them.
void DropLog(gpr_log_func_args*) {}

}  // namespace

int main(int argc, char** argv) {
  using namespace qantara::cli;
  if (std::getenv("GRPC_VERBOSITY") == nullptr) gpr_set_log_function(DropLog);
  CLI::App app{"qantara: client of the qantara translation memory and alignment server"};
  CommandLine line;
  DeclareCommandLine(app, &line);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return ReportError(std::string(e.what()) + " (see --help)", kExitUsage);  // one line
  }
  line.command = ParsedCommandName(app);
  return RunCommand(line);
}
