// A fresh directory under the system temp dir, removed at the end.
#ifndef QANTARA_TESTS_STORAGE_TEMP_DIR_H_
#define QANTARA_TESTS_STORAGE_TEMP_DIR_H_

#include <filesystem>
#include <random>
#include <string>

namespace qantara::storage::testing {

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("qantara-storage-test-" + std::to_string(rd()) + std::to_string(rd()));
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string path(const std::string& sub = "") const { return (path_ / sub).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace qantara::storage::testing

#endif  // QANTARA_TESTS_STORAGE_TEMP_DIR_H_
