// A hardened, chunk-fed expat parser for untrusted XML: entities and DTDs
// refused, unfinished tokens bounded, errors reported with line and column.
#include "service/formats/expat_stream.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace qantara::formats::internal {
namespace {

constexpr size_t kMaxPiece = 1 << 20;  // bytes handed to expat per XML_Parse call

ExpatStream* Self(void* p) { return static_cast<ExpatStream*>(p); }

}  // namespace

ExpatStream::ExpatStream(XmlHandler* handler, bool namespaces, size_t max_token_bytes)
    : parser_(namespaces ? XML_ParserCreateNS(nullptr, '|') : XML_ParserCreate(nullptr)),
      handler_(handler),
      max_token_bytes_(max_token_bytes) {
  XML_SetUserData(parser_, this);
  XML_SetElementHandler(parser_, &ExpatStream::OnStart, &ExpatStream::OnEnd);
  XML_SetCharacterDataHandler(parser_, &ExpatStream::OnText);
  XML_SetEntityDeclHandler(parser_, &ExpatStream::OnEntityDecl);
  XML_SetSkippedEntityHandler(parser_, &ExpatStream::OnSkippedEntity);
  XML_SetExternalEntityRefHandler(parser_, &ExpatStream::OnExternalEntity);
  XML_SetExternalEntityRefHandlerArg(parser_, this);
  XML_SetParamEntityParsing(parser_, XML_PARAM_ENTITY_PARSING_NEVER);
}

ExpatStream::~ExpatStream() { XML_ParserFree(parser_); }

int64_t ExpatStream::line() const { return static_cast<int64_t>(XML_GetCurrentLineNumber(parser_)); }
int64_t ExpatStream::column() const { return static_cast<int64_t>(XML_GetCurrentColumnNumber(parser_)) + 1; }

std::string ExpatStream::AtPosition(std::string_view reason) const {
  return absl::StrCat("line ", line(), ", column ", column(), ": ", std::string(reason));
}

void ExpatStream::Abort(std::string_view reason) {
  if (!status_.ok()) return;
  status_ = absl::InvalidArgumentError(AtPosition(reason));
  XML_StopParser(parser_, XML_FALSE);
}

void ExpatStream::AbortWith(absl::Status status) {
  if (!status_.ok()) return;
  status_ = std::move(status);
  XML_StopParser(parser_, XML_FALSE);
}

void ExpatStream::Mark() {
  // Outside handlers, expat reports the position just past the last parse
  // event: what lies beyond is the unfinished token expat holds.
  const XML_Index index = XML_GetCurrentByteIndex(parser_);
  if (index >= 0) event_end_ = static_cast<uint64_t>(index);
}

absl::Status ExpatStream::Feed(std::string_view chunk) {
  if (!status_.ok()) return status_;
  while (!chunk.empty()) {
    const size_t n = std::min(chunk.size(), kMaxPiece);
    bytes_fed_ += n;
    if (XML_Parse(parser_, chunk.data(), static_cast<int>(n), XML_FALSE) != XML_STATUS_OK) {
      if (status_.ok()) status_ = ParseError(false);
      return status_;
    }
    chunk.remove_prefix(n);
    Mark();
    if (bytes_fed_ - std::min(event_end_, bytes_fed_) > max_token_bytes_) {
      status_ = absl::InvalidArgumentError(
          absl::StrCat("line ", line(),
                       ": a single XML token (a tag with its attributes, a comment, a "
                       "processing instruction or a DOCTYPE) is longer than ",
                       max_token_bytes_, " bytes (max_token_bytes)"));
      XML_StopParser(parser_, XML_FALSE);
      return status_;
    }
  }
  return absl::OkStatus();
}

absl::Status ExpatStream::Finish() {
  if (!status_.ok()) return status_;
  if (finished_) return absl::FailedPreconditionError("Finish() called twice");
  finished_ = true;
  if (XML_Parse(parser_, "", 0, XML_TRUE) != XML_STATUS_OK) {
    if (status_.ok()) status_ = ParseError(true);
    return status_;
  }
  return absl::OkStatus();
}

absl::Status ExpatStream::ParseError(bool at_end) {
  const XML_Error code = XML_GetErrorCode(parser_);
  std::string reason;
  switch (code) {
    case XML_ERROR_NO_ELEMENTS:
      if (root_seen_) {
        reason = "the file is truncated: it ends before the root element is closed";
      } else if (bytes_fed_ == 0) {
        reason = "the file is empty";
      } else {
        reason =
            "no XML element found (the file is empty, or holds only whitespace or an XML "
            "declaration)";
      }
      break;
    case XML_ERROR_UNCLOSED_TOKEN:
    case XML_ERROR_PARTIAL_CHAR:
    case XML_ERROR_UNCLOSED_CDATA_SECTION:
      reason = at_end ? "the file is truncated: it ends inside a tag, character or CDATA section"
                      : XML_ErrorString(code);
      break;
    case XML_ERROR_INVALID_TOKEN:
      reason = root_seen_ ? "not well-formed (invalid token): invalid UTF-8 or UTF-16, or a character "
                            "XML does not allow"
                          : "not an XML file, or not well-formed (invalid token: invalid UTF-8 or "
                            "UTF-16, or a character XML does not allow)";
      break;
    case XML_ERROR_SYNTAX:
      reason = root_seen_ ? "not well-formed (syntax error)"
                          : "not an XML file (syntax error before the root element)";
      break;
    case XML_ERROR_INCORRECT_ENCODING:
      reason =
          "the encoding named in the XML declaration does not match the file's bytes (its "
          "byte-order mark or UTF-16 layout)";
      break;
    case XML_ERROR_UNKNOWN_ENCODING:
      reason =
          "unsupported encoding in the XML declaration (supported: UTF-8, UTF-16, "
          "ISO-8859-1, US-ASCII)";
      break;
    case XML_ERROR_UNDEFINED_ENTITY:
      reason =
          "undefined entity: only &amp; &lt; &gt; &quot; &apos; and character references "
          "are allowed";
      break;
    default: reason = absl::StrCat("not well-formed XML: ", XML_ErrorString(code)); break;
  }
  return absl::InvalidArgumentError(absl::StrCat("line ", XML_GetErrorLineNumber(parser_), ", column ",
                                                 XML_GetErrorColumnNumber(parser_) + 1, ": ", reason));
}

void ExpatStream::OnStart(void* p, const XML_Char* name, const XML_Char** attrs) {
  ExpatStream* self = Self(p);
  if (!self->status_.ok()) return;  // expat may report the rest of a token after a stop
  self->root_seen_ = true;
  if (++self->depth_ > kMaxDepth) {
    self->Abort(absl::StrCat("elements are nested more than ", kMaxDepth, " levels deep"));
    return;
  }
  self->handler_->StartElement(name, attrs);
}

void ExpatStream::OnEnd(void* p, const XML_Char* name) {
  ExpatStream* self = Self(p);
  if (!self->status_.ok()) return;
  --self->depth_;
  self->handler_->EndElement(name);
}

void ExpatStream::OnText(void* p, const XML_Char* s, int len) {
  ExpatStream* self = Self(p);
  if (!self->status_.ok()) return;
  self->handler_->Text(std::string_view(s, static_cast<size_t>(len)));
}

void ExpatStream::OnEntityDecl(void* p, const XML_Char* name, int is_parameter, const XML_Char* value,
                               int value_length, const XML_Char* base, const XML_Char* system_id,
                               const XML_Char* public_id, const XML_Char* notation) {
  ExpatStream* self = Self(p);
  if (system_id != nullptr) {
    self->Abort(absl::StrCat("the DOCTYPE declares the external entity '", name, "' (SYSTEM \"", system_id,
                             "\"): entity declarations are refused (no external entities)"));
  } else {
    self->Abort(absl::StrCat("the DOCTYPE declares the ", is_parameter ? "parameter " : "", "entity '", name,
                             "': entity declarations are refused (no entity expansion)"));
  }
}

void ExpatStream::OnSkippedEntity(void* p, const XML_Char* name, int is_parameter) {
  Self(p)->Abort(absl::StrCat("undefined entity '", name,
                              "': only &amp; &lt; &gt; &quot; &apos; and character references "
                              "are allowed"));
}

int ExpatStream::OnExternalEntity(XML_Parser parser, const XML_Char* context, const XML_Char* base,
                                  const XML_Char* system_id, const XML_Char* public_id) {
  // Never reached while entity declarations are refused; refuse anyway.
  return XML_STATUS_ERROR;
}

}  // namespace qantara::formats::internal
