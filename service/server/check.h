// qantara-server's check flags: `--check [--repair]` check (and repair) the
// --data-dir instead of serving it (storage/check.h), print a report on
// stdout and exit with one of the codes below.
#ifndef QANTARA_SERVICE_SERVER_CHECK_H_
#define QANTARA_SERVICE_SERVER_CHECK_H_

#include <string>

#include "CLI/CLI.hpp"

namespace qantara::server {

// Exit codes of `--check`.
inline constexpr int kCheckClean = 0;     // no problem found (with --repair: none left after it)
inline constexpr int kCheckFailed = 1;    // the check could not run (no data dir, locked, ...)
inline constexpr int kCheckProblems = 3;  // problems found (with --repair: some are left)

struct CheckFlags {
  bool check = false;   // check --data-dir and exit
  bool repair = false;  // with check: repair what is found, then check again
};

// Declares the flags on `app`, storing into `*flags`.
void AddCheckFlags(CLI::App& app, CheckFlags* flags);

// Checks (and repairs when asked) `data_dir`, printing the report on stdout
// and errors on stderr; returns the exit code. REQUIRES: flags.check.
int RunCheck(const CheckFlags& flags, const std::string& data_dir);

}  // namespace qantara::server

#endif  // QANTARA_SERVICE_SERVER_CHECK_H_
