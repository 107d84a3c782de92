// Rendering the text commands' results as text or JSON (see render_text.h).
#include "clients/cli/render_text.h"

#include <cctype>
#include <string_view>
#include <utility>

#include "nlohmann/json.hpp"

namespace qantara::cli {
namespace {

namespace v1 = qantara::v1;

// "TOKEN_CLASS_PLACEHOLDER" -> "placeholder".
std::string ClassName(v1::TokenClass c) {
  std::string name = v1::TokenClass_Name(c);
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

std::string RenderSegment(const v1::SegmentResponse& resp) {
  std::string out;
  for (const auto& s : resp.sentences()) {
    out += s.text();
    out += '\n';
  }
  return out;
}

std::string RenderTokenize(const v1::TokenizeResponse& resp, const TokenizeArgs& args) {
  std::string out;
  if (args.json) {
    nlohmann::ordered_json doc;
    doc["language"] = args.lang;
    doc["rules"] = nlohmann::ordered_json::array();
    for (const std::string& r : resp.rules_applied()) doc["rules"].push_back(r);
    nlohmann::ordered_json tokens = nlohmann::ordered_json::array();
    for (const v1::Token& t : resp.tokens()) {
      nlohmann::ordered_json j;
      j["text"] = t.text();
      j["class"] = ClassName(t.token_class());
      j["byte_begin"] = t.byte_begin();
      j["byte_end"] = t.byte_end();
      j["char_begin"] = t.char_begin();
      j["char_end"] = t.char_end();
      j["norm"] = t.norm();
      if (args.stem) j["stem"] = t.stem();
      if (args.clitics) {
        j["proclitics"] = nlohmann::ordered_json::array();
        for (const std::string& p : t.proclitics()) j["proclitics"].push_back(p);
        j["base"] = t.base();
      }
      tokens.push_back(std::move(j));
    }
    doc["tokens"] = std::move(tokens);
    return doc.dump(2, ' ', false) + "\n";
  }
  for (const v1::Token& t : resp.tokens()) {
    out += Escape(t.text());
    out += '\t';
    out += ClassName(t.token_class());
    out += '\t';
    out += Escape(t.norm());
    if (args.stem) {
      out += '\t';
      out += t.stem().empty() ? "-" : Escape(t.stem());
    }
    if (args.clitics) {
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
  return out;
}

}  // namespace qantara::cli
