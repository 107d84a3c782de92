// A test fixture: a real RocksDB in a temp dir with the memory layer on it,
// analysed by the SimpleAnalyzer (words split at spaces).
#ifndef QANTARA_TESTS_STORAGE_MEMORY_STORE_FIXTURE_H_
#define QANTARA_TESTS_STORAGE_MEMORY_STORE_FIXTURE_H_

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "service/tm/memories.h"
#include "storage/store.h"
#include "tests/service/match/simple_analyzer.h"
#include "tests/storage/temp_dir.h"

namespace qantara::storage::testing {

class MemoryStoreFixture : public ::testing::Test {
 protected:
  // Closes what is open and opens the data dir again (with options_).
  void Reopen() {
    memories_.reset();
    store_.reset();
    OpenAt(tmp_.path("data"));
  }

  // Opens the store and the memory store (with options_) on `dir`.
  void OpenAt(const std::string& dir) {
    auto s = Store::Open(dir);
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = *std::move(s);
    auto m = tm::Memories::Open(*store_, analyzer_, options_);
    ASSERT_TRUE(m.ok()) << m.status();
    memories_ = *std::move(m);
  }

  TempDir tmp_;
  match::testing::SimpleAnalyzer analyzer_;
  MemoryStoreOptions options_;
  std::unique_ptr<Store> store_;  // destroyed after memories_ (declared before)
  std::unique_ptr<tm::Memories> memories_;
};

}  // namespace qantara::storage::testing

#endif  // QANTARA_TESTS_STORAGE_MEMORY_STORE_FIXTURE_H_
