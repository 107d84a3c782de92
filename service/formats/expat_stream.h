// Internal to qantara_formats: a hardened, chunk-fed expat parser.
//
// Owns one expat parser set up for untrusted input: any entity declaration
// in a DOCTYPE, any reference to an undefined entity, and any external
// entity are fatal errors; no DTD is ever read. It also bounds the bytes
// expat holds for a single unfinished token. Errors come back as
// InvalidArgument("line L, column C: reason").
#ifndef QANTARA_SERVICE_FORMATS_EXPAT_STREAM_H_
#define QANTARA_SERVICE_FORMATS_EXPAT_STREAM_H_

#include <expat.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace qantara::formats::internal {

// Receives parse events. `attrs` is expat's NULL-terminated name/value array.
class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual void StartElement(const char* name, const char** attrs) = 0;
  virtual void EndElement(const char* name) = 0;
  virtual void Text(std::string_view text) = 0;
};

class ExpatStream {
 public:
  // With `namespaces`, element and attribute names are "URI|local" when
  // they have a namespace (separator '|'), else plain "local".
  ExpatStream(XmlHandler* handler, bool namespaces, size_t max_token_bytes);
  ~ExpatStream();
  ExpatStream(const ExpatStream&) = delete;
  ExpatStream& operator=(const ExpatStream&) = delete;

  // Parses a chunk / the end of input. Returns the first fatal error (also
  // one set by Abort()); after an error every call returns it again.
  absl::Status Feed(std::string_view chunk);
  absl::Status Finish();

  // From inside a handler: stop parsing; Feed()/Finish() return `status`.
  // The message is prefixed with the current position.
  void Abort(std::string_view reason);
  // From inside a handler: stop parsing; Feed()/Finish() return `status` as is.
  // REQUIRES: !status.ok()
  void AbortWith(absl::Status status);
  bool aborted() const { return !status_.ok(); }

  // Current position (valid inside handlers).
  int64_t line() const;
  int64_t column() const;
  uint64_t bytes_fed() const { return bytes_fed_; }
  // Elements may nest this deep at most (a deeper document is a fatal error:
  // expat keeps every open element in memory).
  static constexpr int kMaxDepth = 1000;
  bool root_seen() const { return root_seen_; }

  // Prefixes `reason` with "line L, column C: " at the current position.
  std::string AtPosition(std::string_view reason) const;

 private:
  static void OnStart(void* self, const XML_Char* name, const XML_Char** attrs);
  static void OnEnd(void* self, const XML_Char* name);
  static void OnText(void* self, const XML_Char* s, int len);
  static void OnEntityDecl(void* self, const XML_Char* name, int is_parameter, const XML_Char* value,
                           int value_length, const XML_Char* base, const XML_Char* system_id,
                           const XML_Char* public_id, const XML_Char* notation);
  static void OnSkippedEntity(void* self, const XML_Char* name, int is_parameter);
  static int OnExternalEntity(XML_Parser parser, const XML_Char* context, const XML_Char* base,
                              const XML_Char* system_id, const XML_Char* public_id);

  void Mark();
  absl::Status ParseError(bool at_end);

  XML_Parser parser_;
  XmlHandler* handler_;
  size_t max_token_bytes_;
  uint64_t bytes_fed_ = 0;
  uint64_t event_end_ = 0;  // input byte offset just after the last parse event
  bool root_seen_ = false;
  int depth_ = 0;
  bool finished_ = false;
  absl::Status status_;
};

}  // namespace qantara::formats::internal

#endif  // QANTARA_SERVICE_FORMATS_EXPAT_STREAM_H_
