// Pairing Arabic and English document files by name: parsing NAME.LANG.EXT
// file names and matching the two sides of each pair (qantara import-docs).
#include "clients/cli/doc_pairs.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <system_error>

#include "absl/status/status.h"

namespace qantara::cli {
namespace {

namespace fs = std::filesystem;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// 1: Arabic, 2: English, 0: not a language code.
int LanguageOf(std::string_view code) {
  const std::string c = Lower(code);
  if (c == "ar" || c == "ara" || c == "arb" || c == "arabic") return 1;
  if (c == "en" || c == "eng" || c == "english") return 2;
  return 0;
}

std::optional<DocFormat> FormatOf(std::string_view ext) {
  const std::string e = Lower(ext);
  if (e == "txt" || e == "text") return DocFormat::kText;
  if (e == "html" || e == "htm") return DocFormat::kHtml;
  return std::nullopt;
}

}  // namespace

std::optional<DocFileName> ParseDocFileName(std::string_view filename) {
  if (filename.empty() || filename[0] == '.') return std::nullopt;
  DocFileName out;
  std::string_view stem = filename;
  if (const size_t dot = stem.rfind('.'); dot != std::string_view::npos) {
    if (std::optional<DocFormat> f = FormatOf(stem.substr(dot + 1))) {
      out.format = *f;
      stem = stem.substr(0, dot);
    }
  }
  if (int lang = LanguageOf(stem); lang != 0) {  // LANG[.EXT]
    out.arabic = lang == 1;
    return out;
  }
  const size_t sep = stem.find_last_of("._-");
  if (sep == std::string_view::npos || sep == 0) return std::nullopt;
  const int lang = LanguageOf(stem.substr(sep + 1));
  if (lang == 0) return std::nullopt;
  out.name = std::string(stem.substr(0, sep));
  out.arabic = lang == 1;
  return out;
}

DocFormat FormatOfPath(std::string_view path) {
  const std::string filename = fs::path(path).filename().string();
  const size_t dot = filename.rfind('.');
  if (dot == std::string::npos) return DocFormat::kText;
  return FormatOf(std::string_view(filename).substr(dot + 1)).value_or(DocFormat::kText);
}

DocPairing PairDocumentFiles(const std::vector<std::string>& files, const std::string& base) {
  struct Sides {
    std::vector<std::pair<std::string, DocFormat>> ar, en;
  };
  std::map<std::string, Sides> groups;  // key: directory + '\0' + NAME
  std::map<std::string, std::string> display;
  DocPairing out;
  for (const std::string& path : files) {
    const fs::path p(path);
    const std::string filename = p.filename().string();
    if (!filename.empty() && filename[0] == '.') continue;
    std::optional<DocFileName> parsed = ParseDocFileName(filename);
    if (!parsed) {
      out.unpaired.push_back({path,
                              "the name does not mark it as an Arabic or English document "
                              "(NAME.ar.txt, NAME_en.html, NAME.ar ...)"});
      continue;
    }
    const std::string dir = p.parent_path().string();
    const std::string key = dir + std::string(1, '\0') + parsed->name;
    Sides& s = groups[key];
    (parsed->arabic ? s.ar : s.en).emplace_back(path, parsed->format);
    // The display name: the directory (relative to `base`), then NAME.
    std::string rel = dir;
    if (!base.empty()) {
      const fs::path r = fs::path(dir).lexically_relative(fs::path(base));
      rel = (r.empty() || r == ".") ? "" : r.string();
    }
    std::string name;
    if (rel.empty()) {
      name = parsed->name.empty() ? fs::path(base.empty() ? dir : base).filename().string() : parsed->name;
    } else {
      name = parsed->name.empty() ? rel : rel + "/" + parsed->name;
    }
    if (name.empty()) name = ".";
    display[key] = name;
  }
  for (auto& [key, s] : groups) {
    if (s.ar.size() == 1 && s.en.size() == 1) {
      out.pairs.push_back({display[key], s.ar[0].first, s.en[0].first, s.ar[0].second, s.en[0].second});
      continue;
    }
    std::string reason;
    if (s.ar.empty())
      reason = "no Arabic counterpart";
    else if (s.en.empty())
      reason = "no English counterpart";
    else if (s.ar.size() > 1)
      reason = "several Arabic files with the same name";
    else
      reason = "several English files with the same name";
    for (const auto* side : {&s.ar, &s.en}) {
      for (const auto& [path, format] : *side) out.unpaired.push_back({path, reason});
    }
  }
  std::sort(out.pairs.begin(), out.pairs.end(),
            [](const DocPair& a, const DocPair& b) { return a.name < b.name; });
  std::sort(out.unpaired.begin(), out.unpaired.end(),
            [](const UnpairedFile& a, const UnpairedFile& b) { return a.path < b.path; });
  return out;
}

absl::StatusOr<DocPairing> CollectDocumentPairs(const std::vector<std::string>& inputs, bool recursive,
                                                const std::string& exclude) {
  std::vector<std::string> files;
  std::string base;
  int dirs = 0;
  std::error_code ec;
  const fs::path excluded = exclude.empty() ? fs::path() : fs::weakly_canonical(exclude, ec);
  auto add = [&](const fs::path& p) {
    std::error_code e;
    if (!excluded.empty() && fs::weakly_canonical(p, e) == excluded) return;
    files.push_back(p.string());
  };
  for (const std::string& in : inputs) {
    const fs::path p(in);
    if (fs::is_directory(p, ec)) {
      ++dirs;
      fs::path b = p.lexically_normal();
      if (b.filename().empty()) b = b.parent_path();
      base = b.string();
      if (recursive) {
        for (auto it = fs::recursive_directory_iterator(p, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
          const std::string fn = it->path().filename().string();
          if (!fn.empty() && fn[0] == '.') {
            if (it->is_directory(ec)) it.disable_recursion_pending();
            continue;
          }
          if (it->is_regular_file(ec)) add(it->path());
        }
      } else {
        for (auto it = fs::directory_iterator(p, ec); !ec && it != fs::directory_iterator();
             it.increment(ec)) {
          if (it->is_regular_file(ec)) add(it->path());
        }
      }
      if (ec) {
        return absl::InvalidArgumentError("cannot list " + in + ": " + ec.message());
      }
    } else if (fs::is_regular_file(p, ec)) {
      add(p);
    } else {
      return absl::InvalidArgumentError(in + ": no such file or directory");
    }
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return PairDocumentFiles(files, dirs == 1 && inputs.size() == 1 ? base : "");
}

}  // namespace qantara::cli
