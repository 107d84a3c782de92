// Test inputs shared by the tm and rpc tests: a small TMX file made from
// unit pairs, and the lines of the news document pair in tests/fixtures/.
#ifndef QANTARA_TESTS_SERVICE_TM_TM_FIXTURES_H_
#define QANTARA_TESTS_SERVICE_TM_TM_FIXTURES_H_

#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace qantara::tm::testing {

// A TMX file of en/ar units (en, ar) in order, one <tu> a line: the unit
// at index i starts on line i + 3. An empty `en` leaves that side out.
inline std::string Tmx(const std::vector<std::pair<std::string, std::string>>& units) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\"><header srclang=\"en\" "
      "datatype=\"plaintext\" segtype=\"sentence\" adminlang=\"en\" o-tmf=\"t\" creationtool=\"t\" "
      "creationtoolversion=\"1\"/><body>\n";
  for (const auto& [en, ar] : units) {
    out += "<tu>";
    if (!en.empty()) out += "<tuv xml:lang=\"en\"><seg>" + en + "</seg></tuv>";
    out += "<tuv xml:lang=\"ar\"><seg>" + ar + "</seg></tuv></tu>\n";
  }
  return out + "</body></tmx>\n";
}

// The lines of tests/fixtures/NAME (the news document pair, one sentence a
// line; tests/fixtures/README.md gives its gold beads:
// [0]:[]  [1]:[0]  [2]:[1]  [3]:[2]  [4]:[3, 4]  []:[5]  [5, 6]:[6]).
inline std::vector<std::string> FixtureLines(const std::string& name) {
  const char* src = std::getenv("QANTARA_SOURCE_DIR");
  std::ifstream in(std::string(src != nullptr ? src : ".") + "/tests/fixtures/" + name);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace qantara::tm::testing

#endif  // QANTARA_TESTS_SERVICE_TM_TM_FIXTURES_H_
