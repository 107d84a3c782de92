// Reading the CLI's text input from a file or stdin (UTF-8 checked), reporting
// input errors, and splitting text into lines.
#include "clients/cli/input.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "clients/cli/client.h"
#include "service/text/utf8.h"

namespace qantara::cli {

absl::StatusOr<std::string> ReadTextInput(const std::string& path) {
  std::string data;
  const bool from_stdin = path.empty() || path == "-";
  if (from_stdin) {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    data = ss.str();
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      return absl::NotFoundError(absl::StrCat("cannot read ", path, ": ", std::strerror(errno)));
    }
    data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad()) return absl::DataLossError(absl::StrCat("error reading ", path));
  }
  if (absl::Status s = text::ValidateUtf8(data); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(from_stdin ? "stdin" : path, ": ", s.message()));
  }
  return data;
}

int ReportInputError(const absl::Status& status) {
  return ReportError(std::string(status.message()),
                     status.code() == absl::StatusCode::kInvalidArgument ? kExitUsage : kExitFailed);
}

absl::StatusOr<std::string> ReadSegmentArg(const std::string& arg) {
  if (arg != "-") return arg;
  absl::StatusOr<std::string> in = ReadTextInput("-");
  if (!in.ok()) return in;
  std::string text = *std::move(in);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    pos = end + 1;
  }
  return lines;
}

}  // namespace qantara::cli
