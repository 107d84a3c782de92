// `qantara tokenize`: the tokens of a text, one a line or as JSON.
#include "clients/cli/call.h"
#include "clients/cli/commands.h"
#include "clients/cli/input.h"
#include "clients/cli/render_text.h"
#include "qantara/v1/text.grpc.pb.h"

namespace qantara::cli {

absl::StatusOr<v1::TokenizeResponse> RunTokenize(const GlobalOptions& options, const TokenizeArgs& args,
                                                 std::string text) {
  v1::TokenizeRequest req;
  if (absl::Status s = ToRequestRules(args.rules, req.mutable_rules()); !s.ok()) {
    return absl::InvalidArgumentError(s.message());
  }
  req.set_text(std::move(text));
  req.set_language(args.lang);
  req.set_split_clitics(args.clitics);
  req.set_stem(args.stem);
  return Call(options, &v1::TextService::Stub::Tokenize, req);
}

int RunTokenizeCommand(const GlobalOptions& options, const TokenizeArgs& args) {
  // Unknown rule names are a usage error, before the input is read.
  v1::NormalizationRules rules;
  if (absl::Status s = ToRequestRules(args.rules, &rules); !s.ok()) {
    return ReportError(std::string(s.message()), kExitUsage);
  }
  absl::StatusOr<std::string> text = ReadTextInput(args.file);
  if (!text.ok()) return ReportInputError(text.status());
  absl::StatusOr<v1::TokenizeResponse> resp = RunTokenize(options, args, *std::move(text));
  if (!resp.ok()) return ReportRpcError(options, "tokenize", resp.status());
  return PrintOutput(RenderTokenize(*resp, args));
}

}  // namespace qantara::cli
