// HTML to running text on libxml2's HTML parser: block elements break lines,
// the head, scripts and styles are dropped, so HTML document pairs can be aligned.
#include "clients/cli/html_text.h"

#include <cctype>
#include <cstdint>
#include <cstring>
#include <memory>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "libxml/HTMLparser.h"
#include "libxml/tree.h"

namespace qantara::cli {
namespace {

bool IsBlock(const char* name) {
  static const absl::flat_hash_set<std::string> kBlocks = {
      "address", "article", "aside",   "blockquote", "body",  "caption",  "center",     "dd",
      "details", "dialog",  "div",     "dl",         "dt",    "fieldset", "figcaption", "figure",
      "footer",  "form",    "h1",      "h2",         "h3",    "h4",       "h5",         "h6",
      "header",  "hgroup",  "hr",      "li",         "main",  "nav",      "ol",         "p",
      "pre",     "section", "summary", "table",      "tbody", "td",       "tfoot",      "th",
      "thead",   "tr",      "ul",      "br",         "html",  "option",   "legend"};
  return kBlocks.contains(name);
}

bool IsSkipped(const char* name) {
  return std::strcmp(name, "script") == 0 || std::strcmp(name, "style") == 0 ||
         std::strcmp(name, "noscript") == 0 || std::strcmp(name, "template") == 0 ||
         std::strcmp(name, "head") == 0 || std::strcmp(name, "title") == 0;
}

class TextCollector {
 public:
  void Walk(const xmlNode* node) {
    for (const xmlNode* n = node; n != nullptr; n = n->next) {
      if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        AddText(reinterpret_cast<const char*>(n->content));
      } else if (n->type == XML_ELEMENT_NODE) {
        const char* name = reinterpret_cast<const char*>(n->name);
        if (IsSkipped(name)) continue;
        const bool block = IsBlock(name);
        if (block) Flush();
        Walk(n->children);
        if (block) Flush();
      }
    }
  }

  std::string Finish() {
    Flush();
    return out_;
  }

 private:
  void AddText(const char* s) {
    if (s == nullptr) return;
    for (const char* p = s; *p; ++p) {
      const unsigned char c = static_cast<unsigned char>(*p);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        space_ = true;
        continue;
      }
      // U+00A0 no-break space counts as a space too.
      if (c == 0xC2 && static_cast<unsigned char>(p[1]) == 0xA0) {
        space_ = true;
        ++p;
        continue;
      }
      if (space_ && !para_.empty()) para_.push_back(' ');
      space_ = false;
      para_.push_back(*p);
    }
  }

  void Flush() {
    if (!para_.empty()) {
      if (!out_.empty()) out_ += "\n\n";
      out_ += para_;
      para_.clear();
    }
    space_ = false;
  }

  std::string out_, para_;
  bool space_ = false;
};

// True when the first bytes of `html` declare a charset (<meta charset=...>
// or http-equiv content="...; charset=...").
bool DeclaresCharset(std::string_view html) {
  std::string head(html.substr(0, 4096));
  for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return head.find("charset") != std::string::npos && head.find("<meta") != std::string::npos;
}

}  // namespace

absl::StatusOr<std::string> HtmlToText(std::string_view html) {
  if (html.size() >= 3 && html.substr(0, 3) == "\xEF\xBB\xBF") html.remove_prefix(3);
  if (html.empty()) return std::string();
  if (html.size() > static_cast<size_t>(INT32_MAX)) {
    return absl::InvalidArgumentError("HTML document larger than 2 GB");
  }
  const int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET;
  std::unique_ptr<xmlDoc, void (*)(xmlDocPtr)> doc(
      htmlReadMemory(html.data(), static_cast<int>(html.size()), nullptr,
                     DeclaresCharset(html) ? nullptr : "UTF-8", options),
      xmlFreeDoc);
  if (!doc) return absl::InvalidArgumentError("not readable as HTML");
  TextCollector collector;
  collector.Walk(xmlDocGetRootElement(doc.get()));
  return collector.Finish();
}

}  // namespace qantara::cli
