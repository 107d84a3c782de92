// CheckEnums (service/rpc/enum_check.h): a walk over the set fields by
// reflection.
#include "service/rpc/enum_check.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "service/base/error_details.h"

namespace qantara::rpc {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

absl::Status Unknown(const std::string& path, const FieldDescriptor& f, int value) {
  return WithMetadata(FieldError(absl::StrCat(path, f.name()),
                                 absl::StrCat(path, f.name(), ": ", value, " is not a value of ",
                                              f.enum_type()->name(), " (unknown enum value)"),
                                 "UNKNOWN_ENUM_VALUE"),
                      "enum", f.enum_type()->full_name());
}

absl::Status Walk(const Message& m, const std::string& path, int depth) {
  if (depth > 32) return absl::InvalidArgumentError(absl::StrCat(path, ": messages nested too deep"));
  const Reflection& r = *m.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r.ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
      if (f->is_repeated()) {
        for (int i = 0; i < r.FieldSize(m, f); ++i) {
          const int v = r.GetRepeatedEnumValue(m, f, i);
          if (f->enum_type()->FindValueByNumber(v) == nullptr) return Unknown(path, *f, v);
        }
      } else {
        const int v = r.GetEnumValue(m, f);
        if (f->enum_type()->FindValueByNumber(v) == nullptr) return Unknown(path, *f, v);
      }
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      const std::string inner = absl::StrCat(path, f->name(), ".");
      if (f->is_map()) {
        // Map values of enum type would need the entry's value field; none
        // of the API's maps holds enums or messages.
        continue;
      }
      if (f->is_repeated()) {
        for (int i = 0; i < r.FieldSize(m, f); ++i) {
          if (absl::Status s = Walk(r.GetRepeatedMessage(m, f, i), inner, depth + 1); !s.ok()) return s;
        }
      } else if (absl::Status s = Walk(r.GetMessage(m, f), inner, depth + 1); !s.ok()) {
        return s;
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckEnums(const Message& message) { return Walk(message, "", 0); }

}  // namespace qantara::rpc
