// `qantara align`: aligns an Arabic document with its English counterpart.
//
//   qantara align [--sentences] [--format beads|tsv|tmx] [--memory M] AR_FILE EN_FILE
//
// AR_FILE and EN_FILE are files or - (stdin, for one of them). Without
// --sentences each file is a document the server splits into sentences;
// with it, each line is one sentence (a final newline does not make an
// extra empty line). --memory M also uses the lexicon memory M learned from
// its units (nothing is stored; see `qantara align-to-memory`). Formats:
//   beads  one bead a line, [0]:[0]  [1, 2]:[1]  [3]:[] (0-based sentence
//          numbers; every sentence in exactly one bead, in order)
//   tsv    arabic TAB english TAB confidence, for beads with text on both
//          sides (a side's sentences joined by one space; TAB, CR, LF inside
//          become spaces)
//   tmx    a TMX 1.4b document (srclang ar) with one <tu> per bead with text
//          on both sides; its confidence in <prop type="x-qantara-confidence">
#include <cstdio>
#include <string>
#include <vector>

#include "clients/cli/commands.h"
#include "clients/cli/input.h"
#include "qantara/v1/align.grpc.pb.h"
#include "service/formats/tmx_writer.h"

namespace qantara::cli {
namespace {

std::string Indices(const qantara::v1::BeadSide& side) {
  std::string s = "[";
  for (int k = 0; k < side.sentence_indices_size(); ++k) {
    if (k) s += ", ";
    s += std::to_string(side.sentence_indices(k));
  }
  return s + "]";
}

std::string Field(const std::string& text) {
  std::string out = text;
  for (char& c : out) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

bool Put(const std::string& s) { return std::fwrite(s.data(), 1, s.size(), stdout) == s.size(); }

}  // namespace

int RunAlignCommand(const GlobalOptions& options, const AlignArgs& parsed) {
  // The body returns early on errors; the exit code is where it left it.
  int exit_code_value = kExitOk;
  int* const exit_code = &exit_code_value;
  const AlignArgs* const args = &parsed;
  [&] {
    if ((args->ar_file == "-" || args->ar_file.empty()) && args->en_file == "-") {
      *exit_code = ReportError("align: only one of the two documents can be read from stdin", kExitUsage);
      return;
    }
    qantara::v1::AlignRequest req;
    req.set_memory(args->memory);
    for (int side = 0; side < 2; ++side) {
      const std::string& file = side == 0 ? args->ar_file : args->en_file;
      absl::StatusOr<std::string> text = ReadTextInput(file);
      if (!text.ok()) {
        *exit_code = ReportInputError(text.status());
        return;
      }
      if (args->sentences) {
        qantara::v1::SentenceList* list =
            side == 0 ? req.mutable_arabic_sentences() : req.mutable_english_sentences();
        for (std::string& l : SplitLines(*text)) list->add_sentences(std::move(l));
      } else if (side == 0) {
        req.set_arabic_text(*std::move(text));
      } else {
        req.set_english_text(*std::move(text));
      }
    }
    auto stub = qantara::v1::AlignService::NewStub(Connect(options));
    grpc::ClientContext ctx;
    Prepare(ctx, options);
    std::unique_ptr<grpc::ClientReader<qantara::v1::AlignResponse>> reader = stub->Align(&ctx, req);

    bool ok = true;
    std::unique_ptr<formats::TmxWriter> tmx;
    if (args->format == "tmx") {
      formats::TmxWriterOptions wo;
      wo.header.srclang = "ar";
      tmx = std::make_unique<formats::TmxWriter>(wo, [&ok](std::string_view bytes) {
        ok = ok && std::fwrite(bytes.data(), 1, bytes.size(), stdout) == bytes.size();
        return absl::OkStatus();
      });
    }
    std::string bad_unit;
    qantara::v1::AlignResponse msg;
    while (reader->Read(&msg)) {
      for (const qantara::v1::Bead& b : msg.beads()) {
        const bool both = b.arabic().sentence_indices_size() > 0 && b.english().sentence_indices_size() > 0;
        if (args->format == "beads") {
          ok = ok && Put(Indices(b.arabic()) + ":" + Indices(b.english()) + "\n");
        } else if (args->format == "tsv" && both) {
          char conf[32];
          std::snprintf(conf, sizeof(conf), "%.4f", b.confidence());
          ok = ok && Put(Field(b.arabic().text()) + "\t" + Field(b.english().text()) + "\t" + conf + "\n");
        } else if (args->format == "tmx" && both) {
          formats::TranslationUnit tu;
          absl::Status s =
              formats::MakePlainSegment(text::Language::kArabic, Field(b.arabic().text()), &tu.source);
          if (s.ok()) {
            s = formats::MakePlainSegment(text::Language::kEnglish, Field(b.english().text()), &tu.target);
          }
          tu.source.lang_tag = "ar";
          tu.target.lang_tag = "en";
          char conf[32];
          std::snprintf(conf, sizeof(conf), "%.4f", b.confidence());
          tu.props.push_back({"x-qantara-confidence", conf});
          if (s.ok()) s = tmx->Write(tu);
          if (!s.ok() && bad_unit.empty()) bad_unit = std::string(s.message());
        }
      }
    }
    grpc::Status st = reader->Finish();
    if (!st.ok()) {
      *exit_code = ReportRpcError(options, "align", st);
      return;
    }
    if (tmx) {
      absl::Status s = tmx->Finish();
      if (!s.ok()) ok = false;
    }
    if (!bad_unit.empty()) {
      std::fprintf(stderr, "qantara: align: a pair was left out of the TMX: %s\n", bad_unit.c_str());
    }
    *exit_code = ok && std::fflush(stdout) == 0 ? kExitOk : kExitFailed;
  }();
  return exit_code_value;
}

}  // namespace qantara::cli
