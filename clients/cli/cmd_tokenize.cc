// `qantara tokenize`: the tokens of a text, one a line or as JSON.
#include <cctype>
#include <cstdio>
#include <memory>
#include <string>

#include "clients/cli/commands.h"
#include "clients/cli/input.h"
#include "clients/cli/rule_options.h"
#include "nlohmann/json.hpp"
#include "qantara/v1/text.grpc.pb.h"

namespace qantara::cli {
namespace {

// "TOKEN_CLASS_PLACEHOLDER" -> "placeholder".
std::string ClassName(qantara::v1::TokenClass c) {
  std::string name = qantara::v1::TokenClass_Name(c);
  constexpr std::string_view kPrefix = "TOKEN_CLASS_";
  if (name.rfind(kPrefix, 0) == 0) name.erase(0, kPrefix.size());
  for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return name;
}

// Tabs and line breaks inside a column would break the line format.
std::string Escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\\': out += "\\\\"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

}  // namespace

void AddTokenizeCommand(CLI::App& app, const GlobalOptions& options, int* exit_code) {
  CLI::App* cmd = app.add_subcommand(
      "tokenize",
      "Print the tokens of a text: one a line (TEXT, CLASS, NORM[, STEM][, CLITICS] "
      "tab-separated) or --json");
  struct Args {
    std::string lang;
    std::string file;
    bool json = false;
    bool clitics = false;
    bool stem = false;
    RuleArgs rules;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("--lang,-l", args->lang, "language of the text: ar or en")->required();
  cmd->add_flag("--json", args->json,
                "print one JSON object: language, rules and tokens with class, byte and "
                "code-point offsets, norm, stem, proclitics, base");
  cmd->add_flag("--clitics", args->clitics,
                "split Arabic proclitics (و ف ب ك ل + ال), conservatively");
  cmd->add_flag("--stem", args->stem, "add each word's Snowball stem");
  AddRuleOptions(cmd, &args->rules);
  cmd->add_option("file", args->file, "text to tokenize; - or nothing reads stdin");
  cmd->callback([&options, exit_code, args] {
    qantara::v1::TokenizeRequest req;
    if (absl::Status s = ToRequestRules(args->rules, req.mutable_rules()); !s.ok()) {
      *exit_code = ReportError(std::string(s.message()), kExitUsage);
      return;
    }
    absl::StatusOr<std::string> text = ReadTextInput(args->file);
    if (!text.ok()) {
      *exit_code = ReportInputError(text.status());
      return;
    }
    req.set_text(*std::move(text));
    req.set_language(args->lang);
    req.set_split_clitics(args->clitics);
    req.set_stem(args->stem);
    qantara::v1::TokenizeResponse resp;
    if (!UnaryCall(options, "tokenize", &v1::TextService::Stub::Tokenize, req, &resp, exit_code)) return;
    std::string out;
    if (args->json) {
      nlohmann::ordered_json doc;
      doc["language"] = args->lang;
      doc["rules"] = nlohmann::ordered_json::array();
      for (const std::string& r : resp.rules_applied()) doc["rules"].push_back(r);
      nlohmann::ordered_json tokens = nlohmann::ordered_json::array();
      for (const qantara::v1::Token& t : resp.tokens()) {
        nlohmann::ordered_json j;
        j["text"] = t.text();
        j["class"] = ClassName(t.token_class());
        j["byte_begin"] = t.byte_begin();
        j["byte_end"] = t.byte_end();
        j["char_begin"] = t.char_begin();
        j["char_end"] = t.char_end();
        j["norm"] = t.norm();
        if (args->stem) j["stem"] = t.stem();
        if (args->clitics) {
          j["proclitics"] = nlohmann::ordered_json::array();
          for (const std::string& p : t.proclitics()) j["proclitics"].push_back(p);
          j["base"] = t.base();
        }
        tokens.push_back(std::move(j));
      }
      doc["tokens"] = std::move(tokens);
      out = doc.dump(2, ' ', false) + "\n";
    } else {
      for (const qantara::v1::Token& t : resp.tokens()) {
        out += Escape(t.text());
        out += '\t';
        out += ClassName(t.token_class());
        out += '\t';
        out += Escape(t.norm());
        if (args->stem) {
          out += '\t';
          out += t.stem().empty() ? "-" : Escape(t.stem());
        }
        if (args->clitics) {
          out += '\t';
          if (t.proclitics_size() == 0) {
            out += "-";
          } else {
            for (const std::string& p : t.proclitics()) out += p + "+";
            out += t.base();
          }
        }
        out += '\n';
      }
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    *exit_code = std::fflush(stdout) == 0 ? kExitOk : kExitFailed;
  });
}

}  // namespace qantara::cli
