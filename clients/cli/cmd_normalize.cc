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

void AddNormalizeCommand(CLI::App& app, const GlobalOptions& options, int* exit_code) {
  CLI::App* cmd = app.add_subcommand(
      "normalize", "Print the normalised matching key of a text (as the server compares it)");
  struct Args {
    std::string lang;
    std::string text;
    RuleArgs rules;
    bool show_rules = false;
    bool offsets = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("--lang,-l", args->lang, "language of the text: ar or en (optional)");
  cmd->add_flag("--show-rules", args->show_rules,
                "also print the rules applied, as a second line 'rules: a,b,...'");
  cmd->add_flag("--offsets", args->offsets,
                "also print, as a line 'offsets: N N ...', the byte offset in the input of "
                "every key byte, plus the input length");
  AddRuleOptions(cmd, &args->rules);
  cmd->add_option("text", args->text, "the text; - or nothing reads stdin");
  cmd->callback([&options, exit_code, args] {
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
  });
}

}  // namespace qantara::cli
