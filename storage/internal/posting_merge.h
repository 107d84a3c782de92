// The RocksDB merge operator of the postings CF (storage/FORMAT.md): operands
// add or remove unit ids; the merged value is the ascending id list. PRIVATE
// to storage/'s .cc files.
#ifndef QANTARA_STORAGE_INTERNAL_POSTING_MERGE_H_
#define QANTARA_STORAGE_INTERNAL_POSTING_MERGE_H_

#include <memory>

#include "rocksdb/merge_operator.h"

namespace qantara::storage {

// Name "qantara.postings.v1" (recorded by RocksDB in the OPTIONS file).
std::shared_ptr<rocksdb::MergeOperator> NewPostingMergeOperator();

}  // namespace qantara::storage

#endif  // QANTARA_STORAGE_INTERNAL_POSTING_MERGE_H_
