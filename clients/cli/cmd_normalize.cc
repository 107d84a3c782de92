// `qantara normalize`: the matching key the server makes of a text.
#include <cstdio>
#include <memory>
#include <string>

#include "clients/cli/commands.h"
#include "clients/cli/input.h"
#include "clients/cli/rule_options.h"
#include "qantara/v1/text.grpc.pb.h"
#include "service/text/utf8.h"

namespace qantara::cli {

int RunNormalizeCommand(const GlobalOptions& options, const NormalizeArgs& parsed) {
  // The body returns early on errors; the exit code is where it left it.
  int exit_code_value = kExitOk;
  int* const exit_code = &exit_code_value;
  const NormalizeArgs* const args = &parsed;
  [&] {
    std::string text;
    if (args->text.empty() || args->text == "-") {
      absl::StatusOr<std::string> in = ReadTextInput("-");
      if (!in.ok()) {
        *exit_code = ReportError(std::string(in.status().message()), kExitUsage);
        return;
      }
      text = *std::move(in);
    } else {
      if (absl::Status s = text::ValidateUtf8(args->text); !s.ok()) {
        *exit_code = ReportError("text: " + std::string(s.message()), kExitUsage);
        return;
      }
      text = args->text;
    }
    qantara::v1::NormalizeRequest req;
    if (absl::Status s = ToRequestRules(args->rules, req.mutable_rules()); !s.ok()) {
      *exit_code = ReportError(std::string(s.message()), kExitUsage);
      return;
    }
    req.set_text(std::move(text));
    req.set_language(args->lang);
    req.set_include_offsets(args->offsets);
    qantara::v1::NormalizeResponse resp;
    if (!UnaryCall(options, "normalize", &v1::TextService::Stub::Normalize, req, &resp, exit_code)) return;
    std::string out = resp.key();
    if (out.empty() || out.back() != '\n') out.push_back('\n');
    if (args->offsets) {
      out += "offsets:";
      for (uint32_t o : resp.source_offsets()) out += " " + std::to_string(o);
      out += "\n";
    }
    if (args->show_rules) {
      out += "rules: ";
      for (int i = 0; i < resp.rules_applied_size(); ++i) {
        if (i) out += ",";
        out += resp.rules_applied(i);
      }
      if (resp.rules_applied_size() == 0) out += "none";
      out += "\n";
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    *exit_code = std::fflush(stdout) == 0 ? kExitOk : kExitFailed;
  }();
  return exit_code_value;
}

}  // namespace qantara::cli
