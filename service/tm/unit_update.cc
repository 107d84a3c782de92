// Update masks over units: which fields a partial update changes.
#include "service/tm/unit_update.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace qantara::tm {
namespace {

constexpr size_t kMaxMaskPaths = 64;
constexpr absl::string_view kExtraPrefix = "attributes.extra.";

bool Known(const std::string& path) {
  for (const char* p : kUnitMaskPaths) {
    if (path == p) return true;
  }
  return absl::StartsWith(path, kExtraPrefix) && path.size() > kExtraPrefix.size() && path.size() <= 256;
}

}  // namespace

absl::Status ValidateUnitMask(const std::vector<std::string>& mask) {
  if (mask.size() > kMaxMaskPaths) {
    return absl::InvalidArgumentError(
        absl::StrCat("update_mask: at most ", kMaxMaskPaths, " paths, not ", mask.size()));
  }
  absl::flat_hash_set<std::string> seen;
  for (const std::string& path : mask) {
    if (!Known(path)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "update_mask: unknown path '", absl::CHexEscape(path.substr(0, 128)),
          "' (paths: source, target, attributes, attributes.project, attributes.domain, attributes.client, "
          "attributes.extra, attributes.extra.<key>, context, context.prev, context.next, context.id, "
          "origin, "
          "alignment_confidence, usage_count)"));
    }
    if (!seen.insert(path).second) {
      return absl::InvalidArgumentError(absl::StrCat("update_mask: path '", path, "' given twice"));
    }
  }
  return absl::OkStatus();
}

match::Unit ApplyUnitMask(const match::Unit& stored, const match::Unit& patch,
                          const std::vector<std::string>& mask) {
  match::Unit out = stored;
  out.changed_at_us = patch.changed_at_us;
  if (!patch.changed_by.empty()) out.changed_by = patch.changed_by;
  if (mask.empty()) {
    out.source = patch.source;
    out.target = patch.target;
    out.attributes = patch.attributes;
    out.context = patch.context;
    out.origin = patch.origin;
    out.alignment_confidence = patch.alignment_confidence;
    if (patch.usage_count != 0) out.usage_count = patch.usage_count;
    return out;
  }
  for (const std::string& path : mask) {
    if (path == "source") {
      out.source = patch.source;
    } else if (path == "target") {
      out.target = patch.target;
    } else if (path == "attributes") {
      out.attributes = patch.attributes;
    } else if (path == "attributes.project") {
      out.attributes.project = patch.attributes.project;
    } else if (path == "attributes.domain") {
      out.attributes.domain = patch.attributes.domain;
    } else if (path == "attributes.client") {
      out.attributes.client = patch.attributes.client;
    } else if (path == "attributes.extra") {
      out.attributes.extra = patch.attributes.extra;
    } else if (absl::StartsWith(path, kExtraPrefix)) {
      const std::string key = path.substr(kExtraPrefix.size());
      auto it = patch.attributes.extra.find(key);
      if (it == patch.attributes.extra.end()) {
        out.attributes.extra.erase(key);
      } else {
        out.attributes.extra[key] = it->second;
      }
    } else if (path == "context") {
      out.context = patch.context;
    } else if (path == "context.prev") {
      out.context.prev = patch.context.prev;
    } else if (path == "context.next") {
      out.context.next = patch.context.next;
    } else if (path == "context.id") {
      out.context.id = patch.context.id;
    } else if (path == "origin") {
      out.origin = patch.origin;
    } else if (path == "alignment_confidence") {
      out.alignment_confidence = patch.alignment_confidence;
    } else if (path == "usage_count") {
      out.usage_count = patch.usage_count;
    }
  }
  return out;
}

}  // namespace qantara::tm
