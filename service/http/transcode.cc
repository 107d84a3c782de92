// Request building, JSON output and error bodies (service/http/transcode.h).
#include "service/http/transcode.h"

#include <optional>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/status.pb.h"

namespace qantara::http {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

namespace {

absl::Status Invalid(const std::string& message) { return absl::InvalidArgumentError(message); }

// The field `name` of `d`: its proto name or its JSON (lowerCamelCase) name.
const FieldDescriptor* FindField(const Descriptor* d, const std::string& name) {
  if (const FieldDescriptor* f = d->FindFieldByName(name)) return f;
  for (int i = 0; i < d->field_count(); ++i) {
    if (d->field(i)->json_name() == name) return d->field(i);
  }
  return nullptr;
}

bool IsWellKnownText(const Descriptor* d) {
  const std::string& n = d->full_name();
  return n == "google.protobuf.Timestamp" || n == "google.protobuf.Duration" ||
         n == "google.protobuf.FieldMask";
}

// A JSON string literal of `s` (for the well-known types' string forms).
std::string Quoted(const std::string& s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// The text of a set (non-default) string or integer field at dotted `path`;
// nullopt when unset or of another kind.
std::optional<std::string> SetValueText(const Message& message, const std::string& path) {
  const Message* m = &message;
  const std::vector<std::string> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* f = FindField(m->GetDescriptor(), parts[i]);
    const Reflection* r = m->GetReflection();
    if (f == nullptr || f->is_repeated() || !r->HasField(*m, f)) return std::nullopt;
    if (i + 1 < parts.size()) {
      if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return std::nullopt;
      m = &r->GetMessage(*m, f);
      continue;
    }
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING: return r->GetString(*m, f);
      case FieldDescriptor::CPPTYPE_UINT64: return absl::StrCat(r->GetUInt64(*m, f));
      case FieldDescriptor::CPPTYPE_UINT32: return absl::StrCat(r->GetUInt32(*m, f));
      default: return std::nullopt;
    }
  }
  return std::nullopt;
}

absl::Status SetScalar(Message* m, const FieldDescriptor* f, const std::string& path, const std::string& v) {
  const Reflection* r = m->GetReflection();
  const bool rep = f->is_repeated();
  auto bad = [&](const char* what) { return Invalid(absl::StrCat("'", path, "': '", v, "' is not ", what)); };
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      if (f->type() == FieldDescriptor::TYPE_BYTES)
        return Invalid(absl::StrCat("'", path, "' goes in the body"));
      rep ? r->AddString(m, f, v) : r->SetString(m, f, v);
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool b;
      if (v == "true" || v == "1") {
        b = true;
      } else if (v == "false" || v == "0") {
        b = false;
      } else {
        return bad("true or false");
      }
      rep ? r->AddBool(m, f, b) : r->SetBool(m, f, b);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t x;
      if (!absl::SimpleAtoi(v, &x)) return bad("a 32-bit integer");
      rep ? r->AddInt32(m, f, x) : r->SetInt32(m, f, x);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t x;
      if (!absl::SimpleAtoi(v, &x)) return bad("a 64-bit integer");
      rep ? r->AddInt64(m, f, x) : r->SetInt64(m, f, x);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t x;
      if (v.empty() || v[0] == '-' || !absl::SimpleAtoi(v, &x)) return bad("an unsigned 32-bit integer");
      rep ? r->AddUInt32(m, f, x) : r->SetUInt32(m, f, x);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t x;
      if (v.empty() || v[0] == '-' || !absl::SimpleAtoi(v, &x)) return bad("an unsigned 64-bit integer");
      rep ? r->AddUInt64(m, f, x) : r->SetUInt64(m, f, x);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      double x;
      if (!absl::SimpleAtod(v, &x)) return bad("a number");
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE) {
        rep ? r->AddDouble(m, f, x) : r->SetDouble(m, f, x);
      } else {
        rep ? r->AddFloat(m, f, static_cast<float>(x)) : r->SetFloat(m, f, static_cast<float>(x));
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* value = f->enum_type()->FindValueByName(v);
      int number;
      if (value == nullptr && absl::SimpleAtoi(v, &number)) value = f->enum_type()->FindValueByNumber(number);
      if (value == nullptr) return bad(absl::StrCat("a value of ", f->enum_type()->full_name()).c_str());
      rep ? r->AddEnum(m, f, value) : r->SetEnum(m, f, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      if (!IsWellKnownText(f->message_type()) || rep) {
        return Invalid(absl::StrCat("'", path, "' is a message: send it in the JSON body"));
      }
      Message* sub = r->MutableMessage(m, f);
      auto s = google::protobuf::util::JsonStringToMessage(Quoted(v), sub);
      if (!s.ok()) return bad(absl::StrCat("a ", f->message_type()->name(), " (", s.ToString(), ")").c_str());
      return absl::OkStatus();
    }
  }
  return Invalid(absl::StrCat("'", path, "' cannot be set from the URL"));
}

}  // namespace

absl::Status SetFieldFromText(Message* message, const std::string& path, const std::string& value) {
  Message* m = message;
  const std::vector<std::string> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* f = FindField(m->GetDescriptor(), parts[i]);
    if (f == nullptr) {
      return Invalid(absl::StrCat("unknown field '", path, "' for ", message->GetDescriptor()->full_name()));
    }
    if (f->is_map()) return Invalid(absl::StrCat("'", path, "' is a map: send it in the JSON body"));
    if (i + 1 == parts.size()) return SetScalar(m, f, path, value);
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || f->is_repeated() ||
        IsWellKnownText(f->message_type())) {
      return Invalid(absl::StrCat("'", path, "': '", parts[i], "' has no fields"));
    }
    m = m->GetReflection()->MutableMessage(m, f);
  }
  return Invalid("empty field path");
}

absl::Status BuildRequest(const Route& route, const std::string& body,
                          const std::vector<std::pair<std::string, std::string>>& path_vars,
                          const std::vector<std::pair<std::string, std::string>>& query, Message* request) {
  google::protobuf::util::JsonParseOptions parse;
  parse.ignore_unknown_fields = false;
  if (!route.body.empty()) {
    Message* target = request;
    if (route.body != "*") {
      const FieldDescriptor* f = request->GetDescriptor()->FindFieldByName(route.body);
      target = request->GetReflection()->MutableMessage(request, f);
    }
    const bool blank = body.find_first_not_of(" \t\r\n") == std::string::npos;
    if (!blank) {
      auto s = google::protobuf::util::JsonStringToMessage(body, target, parse);
      if (!s.ok()) {
        return Invalid(absl::StrCat("request body is not JSON for ", target->GetDescriptor()->full_name(),
                                    ": ", std::string(s.message().data(), s.message().size())));
      }
    }
  } else if (body.find_first_not_of(" \t\r\n") != std::string::npos) {
    return Invalid(
        absl::StrCat(route.verb, " ", route.path, " takes no body: send its fields as query parameters"));
  }
  // Path variables: they name the resource; a body that names another one is
  // a mistake, not something to overwrite silently.
  for (const auto& [field, value] : path_vars) {
    if (std::optional<std::string> in_body = SetValueText(*request, field); in_body && *in_body != value) {
      return Invalid(
          absl::StrCat("'", field, "' is '", value, "' in the path but '", *in_body, "' in the body"));
    }
    if (absl::Status s = SetFieldFromText(request, field, value); !s.ok()) return s;
  }
  if (!query.empty() && route.body == "*") {
    return Invalid(absl::StrCat("unknown query parameter '", query.front().first, "': ", route.verb, " ",
                                route.path, " takes its fields in the JSON body"));
  }
  std::set<std::string> seen;
  for (const auto& [name, value] : query) {
    const FieldDescriptor* leaf = nullptr;
    {
      const Descriptor* d = request->GetDescriptor();
      for (const std::string& part : std::vector<std::string>(absl::StrSplit(name, '.'))) {
        leaf = d == nullptr ? nullptr : FindField(d, part);
        if (leaf == nullptr) break;
        d = leaf->message_type();
      }
    }
    if (leaf == nullptr) {
      return Invalid(
          absl::StrCat("unknown query parameter '", name, "' for ", request->GetDescriptor()->full_name()));
    }
    if (!leaf->is_repeated() && !seen.insert(name).second) {
      return Invalid(absl::StrCat("query parameter '", name, "' given twice"));
    }
    for (const auto& [field, unused] : path_vars) {
      if (field == name)
        return Invalid(absl::StrCat("'", name, "' is in the path: do not repeat it in the query"));
    }
    if (absl::Status s = SetFieldFromText(request, name, value); !s.ok()) return s;
  }
  return absl::OkStatus();
}

std::string ToJson(const Message& message) {
  google::protobuf::util::JsonPrintOptions print;
  print.always_print_primitive_fields = true;
  std::string out;
  if (!google::protobuf::util::MessageToJsonString(message, &out, print).ok()) return "{}";
  return out;
}

int HttpStatusOf(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK: return 200;
    case grpc::StatusCode::CANCELLED: return 499;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE: return 400;
    case grpc::StatusCode::DEADLINE_EXCEEDED: return 504;
    case grpc::StatusCode::NOT_FOUND: return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED: return 409;
    case grpc::StatusCode::PERMISSION_DENIED: return 403;
    case grpc::StatusCode::UNAUTHENTICATED: return 401;
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return 429;
    case grpc::StatusCode::UNIMPLEMENTED: return 501;
    case grpc::StatusCode::UNAVAILABLE: return 503;
    default: return 500;
  }
}

std::string ErrorJson(const grpc::Status& status) {
  google::rpc::Status rich;
  if (status.error_details().empty() || !rich.ParseFromString(status.error_details())) {
    rich.Clear();
    rich.set_code(status.error_code());
    rich.set_message(status.error_message());
  }
  google::protobuf::util::JsonPrintOptions print;
  print.always_print_primitive_fields = true;
  std::string out;
  if (!google::protobuf::util::MessageToJsonString(rich, &out, print).ok()) {
    rich.clear_details();
    (void)google::protobuf::util::MessageToJsonString(rich, &out, print);
  }
  return out;
}

std::string ErrorJson(absl::StatusCode code, const std::string& message) {
  return ErrorJson(grpc::Status(static_cast<grpc::StatusCode>(code), message));
}

}  // namespace qantara::http
