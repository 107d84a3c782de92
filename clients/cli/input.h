// Reading the CLI's text input from a file or stdin.
#ifndef QANTARA_CLIENTS_CLI_INPUT_H_
#define QANTARA_CLIENTS_CLI_INPUT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace qantara::cli {

// Reads all of `path`, or stdin when `path` is empty or "-". The text must be
// valid UTF-8: InvalidArgument names the file and byte offset otherwise.
// A UTF-8 byte order mark is kept (offsets stay those of the file).
absl::StatusOr<std::string> ReadTextInput(const std::string& path);

// A one-segment argument (lookup, fragments): `arg` itself, or stdin when it
// is "-", without its final line breaks.
absl::StatusOr<std::string> ReadSegmentArg(const std::string& arg);

// The lines of `text` (split at '\n', a '\r' before it dropped; a final
// newline makes no extra line): one sentence a line for --sentences input.
std::vector<std::string> SplitLines(const std::string& text);

// Prints an error of ReadTextInput on stderr (see ReportError) and returns the
// exit code: kExitUsage for input that is not UTF-8 (InvalidArgument),
// kExitFailed for a file that cannot be read.
// REQUIRES: !status.ok()
int ReportInputError(const absl::Status& status);

}  // namespace qantara::cli

#endif  // QANTARA_CLIENTS_CLI_INPUT_H_
