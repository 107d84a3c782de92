// The RocksDB merge operator of the postings column family: add and remove
// operands applied in order to a unit id list.
#include "storage/internal/posting_merge.h"

#include <string>
#include <vector>

#include "storage/internal/encoding.h"

namespace qantara::storage {
namespace {

// True when `operand` is a sequence of whole varints.
bool WholeOps(std::string_view operand) {
  ByteReader r(operand);
  uint64_t v = 0;
  while (!r.empty()) {
    if (!r.GetVarint64(&v)) return false;
  }
  return true;
}

class PostingMergeOperator final : public rocksdb::MergeOperator {
 public:
  bool FullMergeV2(const MergeOperationInput& in, MergeOperationOutput* out) const override {
    std::vector<uint64_t> ids;
    if (in.existing_value != nullptr) {
      auto decoded =
          DecodePostingList(std::string_view(in.existing_value->data(), in.existing_value->size()));
      if (!decoded.ok()) return false;
      ids = *std::move(decoded);
    }
    for (const rocksdb::Slice& op : in.operand_list) {
      if (!ApplyPostingOps(std::string_view(op.data(), op.size()), ids)) return false;
    }
    out->new_value = EncodePostingList(ids);
    return true;
  }

  // Operands are op sequences applied in order, so concatenation merges them,
  // when each is whole: an operand cut inside a varint would join the next
  // one's first byte into one well-formed but different op, hiding the
  // corruption (the full merge fails on it). Such operands are left unmerged.
  bool PartialMergeMulti(const rocksdb::Slice& key, const std::deque<rocksdb::Slice>& operands,
                         std::string* new_value, rocksdb::Logger* logger) const override {
    for (const rocksdb::Slice& op : operands) {
      if (!WholeOps(std::string_view(op.data(), op.size()))) return false;
    }
    new_value->clear();
    for (const rocksdb::Slice& op : operands) new_value->append(op.data(), op.size());
    return true;
  }

  const char* Name() const override { return "qantara.postings.v1"; }
};

}  // namespace

std::shared_ptr<rocksdb::MergeOperator> NewPostingMergeOperator() {
  return std::make_shared<PostingMergeOperator>();
}

}  // namespace qantara::storage
