// SRX parsing on expat. Namespace processing is on, so element names arrive
// as "URI\x01local" (or "local" without a namespace).

#include "service/text/srx.h"

#include <expat.h>

#include <climits>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace qantara::text {
namespace {

constexpr char kNsSep = '\x01';

bool IsSrxNamespace(std::string_view uri) {
  return uri == "http://www.lisa.org/srx20" || uri == "http://www.lisa.org/srx10" ||
         uri == "http://www.gala-global.org/srx20";
}

// The SRX-relevant states of the parser: which element we are in.
enum class Elem {
  kNone,
  kSrx,
  kHeader,
  kFormatHandle,
  kBody,
  kLanguageRules,
  kLanguageRule,
  kRule,
  kBeforeBreak,
  kAfterBreak,
  kMapRules,
  kMapRule,
  kLanguageMap,
};

struct ParseState {
  XML_Parser parser = nullptr;
  SrxDocument doc;
  std::vector<Elem> stack;
  int foreign_depth = 0;  // > 0 while inside an element of another namespace
  std::string text;       // character data of the current beforebreak/afterbreak
  std::string error;      // first error; parsing stops at it
  int error_line = 0;
  bool seen_root = false;

  int Line() const { return static_cast<int>(XML_GetCurrentLineNumber(parser)); }

  void Fail(std::string message) {
    if (!error.empty()) return;
    error = std::move(message);
    error_line = Line();
    XML_StopParser(parser, XML_FALSE);
  }
};

const char* Attr(const XML_Char** attrs, std::string_view name) {
  for (int i = 0; attrs[i] != nullptr; i += 2) {
    std::string_view key = attrs[i];
    // Attributes are unqualified in SRX; tolerate a namespace on them too.
    size_t sep = key.rfind(kNsSep);
    if (sep != std::string_view::npos) key = key.substr(sep + 1);
    if (key == name) return attrs[i + 1];
  }
  return nullptr;
}

std::string_view ElemName(Elem e) {
  switch (e) {
    case Elem::kNone: return "(document)";
    case Elem::kSrx: return "srx";
    case Elem::kHeader: return "header";
    case Elem::kFormatHandle: return "formathandle";
    case Elem::kBody: return "body";
    case Elem::kLanguageRules: return "languagerules";
    case Elem::kLanguageRule: return "languagerule";
    case Elem::kRule: return "rule";
    case Elem::kBeforeBreak: return "beforebreak";
    case Elem::kAfterBreak: return "afterbreak";
    case Elem::kMapRules: return "maprules";
    case Elem::kMapRule: return "maprule";
    case Elem::kLanguageMap: return "languagemap";
  }
  return "?";
}

bool ParseYesNo(const char* v, bool* out) {
  if (v == nullptr) return true;
  std::string_view s = v;
  if (s == "yes" || s == "true") {
    *out = true;
    return true;
  }
  if (s == "no" || s == "false") {
    *out = false;
    return true;
  }
  return false;
}

void XMLCALL OnStart(void* data, const XML_Char* qname, const XML_Char** attrs) {
  auto* st = static_cast<ParseState*>(data);
  if (!st->error.empty()) return;
  std::string_view name = qname;
  std::string_view local = name;
  size_t sep = name.find(kNsSep);
  if (st->foreign_depth > 0) {
    ++st->foreign_depth;
    return;
  }
  if (sep != std::string_view::npos) {
    local = name.substr(sep + 1);
    if (!IsSrxNamespace(name.substr(0, sep))) {
      if (st->stack.empty()) {
        st->Fail(absl::StrCat("root element is <", std::string(local), "> in namespace ",
                              std::string(name.substr(0, sep)), ", not an SRX <srx>"));
        return;
      }
      st->foreign_depth = 1;  // tool extension: skip it and its content
      return;
    }
  }
  Elem parent = st->stack.empty() ? Elem::kNone : st->stack.back();
  Elem e = Elem::kNone;
  auto misplaced = [&] {
    st->Fail(absl::StrCat("unexpected element <", std::string(local), "> inside <",
                          std::string(ElemName(parent)), ">"));
  };
  if (local == "srx") {
    if (parent != Elem::kNone || st->seen_root) return misplaced();
    st->seen_root = true;
    e = Elem::kSrx;
  } else if (parent == Elem::kNone) {
    st->Fail(absl::StrCat("root element is <", std::string(local), ">, not an SRX <srx>"));
    return;
  } else if (local == "header") {
    if (parent != Elem::kSrx) return misplaced();
    e = Elem::kHeader;
    if (!ParseYesNo(Attr(attrs, "cascade"), &st->doc.cascade)) {
      st->Fail(absl::StrCat("header cascade=\"", Attr(attrs, "cascade"), "\" must be \"yes\" or \"no\""));
      return;
    }
  } else if (local == "formathandle") {
    if (parent != Elem::kHeader) return misplaced();
    e = Elem::kFormatHandle;
  } else if (local == "body") {
    if (parent != Elem::kSrx) return misplaced();
    e = Elem::kBody;
  } else if (local == "languagerules") {
    if (parent != Elem::kBody) return misplaced();
    e = Elem::kLanguageRules;
  } else if (local == "languagerule") {
    if (parent != Elem::kLanguageRules) return misplaced();
    e = Elem::kLanguageRule;
    const char* n = Attr(attrs, "languagerulename");
    if (n == nullptr || *n == '\0') {
      st->Fail("<languagerule> needs a languagerulename attribute");
      return;
    }
    if (st->doc.FindLanguageRule(n) != nullptr) {
      st->Fail(absl::StrCat("duplicate languagerulename \"", n, "\""));
      return;
    }
    st->doc.language_rules.push_back(SrxLanguageRule{n, {}, st->Line()});
  } else if (local == "rule") {
    if (parent != Elem::kLanguageRule) return misplaced();
    e = Elem::kRule;
    SrxRule rule;
    rule.line = st->Line();
    if (!ParseYesNo(Attr(attrs, "break"), &rule.is_break)) {
      st->Fail(absl::StrCat("rule break=\"", Attr(attrs, "break"), "\" must be \"yes\" or \"no\""));
      return;
    }
    st->doc.language_rules.back().rules.push_back(std::move(rule));
  } else if (local == "beforebreak" || local == "afterbreak") {
    if (parent != Elem::kRule) return misplaced();
    e = local == "beforebreak" ? Elem::kBeforeBreak : Elem::kAfterBreak;
    st->text.clear();
  } else if (local == "maprules") {
    if (parent != Elem::kBody) return misplaced();
    e = Elem::kMapRules;
  } else if (local == "maprule") {  // SRX 1.0 wraps the maps in <maprule>
    if (parent != Elem::kMapRules) return misplaced();
    e = Elem::kMapRule;
  } else if (local == "languagemap") {
    if (parent != Elem::kMapRules && parent != Elem::kMapRule) return misplaced();
    e = Elem::kLanguageMap;
    const char* pattern = Attr(attrs, "languagepattern");
    const char* rule = Attr(attrs, "languagerulename");
    if (pattern == nullptr || rule == nullptr) {
      st->Fail("<languagemap> needs languagepattern and languagerulename attributes");
      return;
    }
    st->doc.maps.push_back(SrxLanguageMap{pattern, rule, st->Line()});
  } else {
    st->Fail(absl::StrCat("unknown SRX element <", std::string(local), ">"));
    return;
  }
  st->stack.push_back(e);
}

void XMLCALL OnEnd(void* data, const XML_Char* /*qname*/) {
  auto* st = static_cast<ParseState*>(data);
  if (!st->error.empty()) return;
  if (st->foreign_depth > 0) {
    --st->foreign_depth;
    return;
  }
  if (st->stack.empty()) return;
  Elem e = st->stack.back();
  st->stack.pop_back();
  if (e == Elem::kBeforeBreak || e == Elem::kAfterBreak) {
    SrxRule& rule = st->doc.language_rules.back().rules.back();
    (e == Elem::kBeforeBreak ? rule.before_break : rule.after_break) = std::move(st->text);
    st->text.clear();
  }
}

void XMLCALL OnText(void* data, const XML_Char* s, int len) {
  auto* st = static_cast<ParseState*>(data);
  if (!st->error.empty() || st->foreign_depth > 0 || st->stack.empty()) return;
  Elem e = st->stack.back();
  if (e == Elem::kBeforeBreak || e == Elem::kAfterBreak) st->text.append(s, static_cast<size_t>(len));
}

struct ParserFree {
  void operator()(XML_Parser p) const { XML_ParserFree(p); }
};

}  // namespace

const SrxLanguageRule* SrxDocument::FindLanguageRule(std::string_view name) const {
  for (const SrxLanguageRule& r : language_rules) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

absl::StatusOr<SrxDocument> ParseSrx(std::string_view xml) {
  std::unique_ptr<std::remove_pointer_t<XML_Parser>, ParserFree> parser(XML_ParserCreateNS("UTF-8", kNsSep));
  if (!parser) return absl::ResourceExhaustedError("cannot create XML parser");
  ParseState st;
  st.parser = parser.get();
  XML_SetUserData(parser.get(), &st);
  XML_SetElementHandler(parser.get(), OnStart, OnEnd);
  XML_SetCharacterDataHandler(parser.get(), OnText);

  auto xml_error = [&](XML_Parser p) {
    return absl::InvalidArgumentError(absl::StrCat(
        "SRX line ", XML_GetCurrentLineNumber(p), ": malformed XML: ", XML_ErrorString(XML_GetErrorCode(p))));
  };
  size_t pos = 0;
  do {
    const size_t chunk = std::min<size_t>(xml.size() - pos, INT_MAX / 2);
    const bool last = pos + chunk == xml.size();
    if (XML_Parse(parser.get(), xml.data() + pos, static_cast<int>(chunk), last) == XML_STATUS_ERROR) {
      if (!st.error.empty()) {
        return absl::InvalidArgumentError(absl::StrCat("SRX line ", st.error_line, ": ", st.error));
      }
      return xml_error(parser.get());
    }
    pos += chunk;
  } while (pos < xml.size());
  if (!st.error.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("SRX line ", st.error_line, ": ", st.error));
  }
  if (!st.seen_root) return absl::InvalidArgumentError("SRX line 1: no <srx> element");
  for (const SrxLanguageMap& m : st.doc.maps) {
    if (st.doc.FindLanguageRule(m.language_rule_name) == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("SRX line ", m.line, ": <languagemap> names languagerulename \"", m.language_rule_name,
                       "\", which no <languagerule> defines"));
    }
  }
  return std::move(st.doc);
}

}  // namespace qantara::text
