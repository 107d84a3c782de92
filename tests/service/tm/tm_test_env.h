// Test helpers for service/tm: the memory layer on a real RocksDB in a temp
// dir with the real text analyzer. No gRPC.
#ifndef QANTARA_TESTS_SERVICE_TM_TM_TEST_ENV_H_
#define QANTARA_TESTS_SERVICE_TM_TM_TEST_ENV_H_

#include <memory>

#include "service/match/analyzer.h"
#include "service/tm/memories.h"
#include "storage/store.h"
#include "tests/storage/temp_dir.h"

namespace qantara::tm::testing {

// Members in order of construction (destroyed in reverse: the memory store
// before the store).
struct MemoryEnv {
  storage::testing::TempDir tmp;
  std::unique_ptr<storage::Store> store = *storage::Store::Open(tmp.path("data"));
  std::unique_ptr<match::Analyzer> analyzer = *match::CreateTextAnalyzer();
  std::unique_ptr<Memories> memories = *Memories::Open(*store, *analyzer);
};

}  // namespace qantara::tm::testing

#endif  // QANTARA_TESTS_SERVICE_TM_TM_TEST_ENV_H_
