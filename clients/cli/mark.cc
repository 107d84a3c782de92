// Marking byte spans of a text with brackets for the CLI's human output.
#include "clients/cli/mark.h"

#include <algorithm>

namespace qantara::cli {

std::string Mark(const std::string& text, std::vector<std::pair<uint32_t, uint32_t>> spans) {
  std::sort(spans.begin(), spans.end());
  std::string out;
  size_t pos = 0;
  for (auto [b, e] : spans) {
    if (b < pos || e > text.size()) continue;
    out.append(text, pos, b - pos);
    if (b == e) {
      out += "[-]";
    } else {
      out += "[";
      out.append(text, b, e - b);
      out += "]";
    }
    pos = e;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

}  // namespace qantara::cli
