// libFuzzer target: the postings column family's merge operator
// (storage/internal/posting_merge.h, "qantara.postings.v1") on random operand
// sequences: adds and removes of unit ids, well-formed or arbitrary bytes, on
// no value, a posting list or arbitrary bytes. Checks:
//  - a full merge succeeds exactly when the value and every operand are
//    well-formed, and then gives the list of a reference model (std::set,
//    the operations applied in order);
//  - partial merges of the operands in any grouping (and of groups of merged
//    operands again), followed by a full merge, give the same result as the
//    full merge of the operands as written: the same list, or a failure when
//    that one fails (a malformed operand is never made well-formed by a
//    partial merge).
//
//   tests/fuzz/run_fuzzers.sh   (build-fuzz/fuzz/fuzz_merge, seeds in tests/fuzz/corpus/fuzz_merge)
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "rocksdb/merge_operator.h"
#include "rocksdb/slice.h"
#include "storage/internal/encoding.h"
#include "storage/internal/posting_merge.h"
#include "tests/fuzz/fuzz_check.h"

namespace qantara::storage {
namespace {

using fuzz::Check;

const rocksdb::MergeOperator& Op() {
  static const std::shared_ptr<rocksdb::MergeOperator> op = NewPostingMergeOperator();
  return *op;
}

// The full merge of `operands` on `existing` (null: no value); nullopt when
// the operator reports a failure.
std::optional<std::string> FullMerge(const std::optional<std::string>& existing,
                                     const std::vector<std::string>& operands) {
  const rocksdb::Slice key("k");
  rocksdb::Slice value;
  if (existing) value = rocksdb::Slice(*existing);
  std::vector<rocksdb::Slice> ops(operands.begin(), operands.end());
  std::string out;
  rocksdb::Slice existing_operand;
  rocksdb::MergeOperator::MergeOperationInput in(key, existing ? &value : nullptr, ops, nullptr);
  rocksdb::MergeOperator::MergeOperationOutput result(out, existing_operand);
  if (!Op().FullMergeV2(in, &result)) return std::nullopt;
  Check(existing_operand.data() == nullptr || existing_operand.size() == 0, "the merge writes new_value");
  return out;
}

// One round of partial merges: consecutive groups (sizes from the input) are
// each merged into one operand, as RocksDB does during compactions; a group
// the operator refuses stays as it was.
std::vector<std::string> PartialRound(FuzzedDataProvider& fdp, const std::vector<std::string>& operands) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < operands.size()) {
    const size_t n = fdp.ConsumeIntegralInRange<size_t>(1, operands.size() - i);
    if (n == 1) {
      out.push_back(operands[i++]);
      continue;
    }
    std::deque<rocksdb::Slice> group;
    for (size_t k = i; k < i + n; ++k) group.emplace_back(operands[k]);
    std::string merged = "leftover";
    if (Op().PartialMergeMulti(rocksdb::Slice("k"), group, &merged, nullptr)) {
      out.push_back(std::move(merged));
    } else {
      out.insert(out.end(), operands.begin() + i, operands.begin() + i + n);
    }
    i += n;
  }
  return out;
}

// Arbitrary bytes, or bytes that end in the middle of a varint.
std::string RawBytes(FuzzedDataProvider& fdp) {
  std::string s = fdp.ConsumeRandomLengthString(24);
  if (fdp.ConsumeBool()) s.push_back(static_cast<char>(0x80 | fdp.ConsumeIntegral<uint8_t>()));
  return s;
}

uint64_t SomeId(FuzzedDataProvider& fdp) {
  switch (fdp.ConsumeIntegralInRange(0, 7)) {
    case 0: return fdp.ConsumeIntegral<uint64_t>() >> 1;  // any id an operand can hold
    case 1: return fdp.ConsumeIntegralInRange<uint64_t>(1, uint64_t{1} << 40);
    default: return fdp.ConsumeIntegralInRange<uint64_t>(0, 40);
  }
}

}  // namespace
}  // namespace qantara::storage

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace qantara::storage;
  FuzzedDataProvider fdp(data, size);

  // The reference model and whether the full merge must succeed.
  std::set<uint64_t> model;
  bool well_formed = true;

  std::optional<std::string> existing;
  switch (fdp.ConsumeIntegralInRange(0, 3)) {
    case 0: break;  // no value yet
    case 1:
    case 2: {
      for (int n = fdp.ConsumeIntegralInRange(0, 12); n > 0; --n) model.insert(SomeId(fdp));
      existing = EncodePostingList(std::vector<uint64_t>(model.begin(), model.end()));
      break;
    }
    case 3: {
      existing = RawBytes(fdp);
      absl::StatusOr<std::vector<uint64_t>> ids = DecodePostingList(*existing);
      if (ids.ok()) {
        model.insert(ids->begin(), ids->end());
      } else {
        well_formed = false;
      }
      break;
    }
  }

  std::vector<std::string> operands(fdp.ConsumeIntegralInRange(0, 10));
  for (std::string& op : operands) {
    if (fdp.ConsumeIntegralInRange(0, 5) == 0) {
      op = RawBytes(fdp);
    } else {
      for (int n = fdp.ConsumeIntegralInRange(0, 6); n > 0; --n)
        AppendPostingOp(op, SomeId(fdp), fdp.ConsumeBool());
    }
  }
  // The model reads the operands with the format's primitive (LEB128 varints).
  for (const std::string& op : operands) {
    ByteReader r(op);
    while (!r.empty() && well_formed) {
      uint64_t v = 0;
      if (!r.GetVarint64(&v)) {
        well_formed = false;
      } else if (v & 1) {
        model.erase(v >> 1);
      } else {
        model.insert(v >> 1);
      }
    }
  }

  const std::optional<std::string> full = FullMerge(existing, operands);
  Check(full.has_value() == well_formed, "a full merge fails exactly on a malformed value or operand");
  if (full) {
    absl::StatusOr<std::vector<uint64_t>> ids = DecodePostingList(*full);
    Check(ids.ok() && *ids == std::vector<uint64_t>(model.begin(), model.end()),
          "the full merge gives the reference model's list");
  }

  std::vector<std::string> merged = operands;
  for (int round = fdp.ConsumeIntegralInRange(1, 3); round > 0; --round) {
    merged = PartialRound(fdp, merged);
    const std::optional<std::string> after = FullMerge(existing, merged);
    Check(after.has_value() == full.has_value(), "partial merges keep a failure a failure (and success)");
    if (after) Check(*after == *full, "partial merges then a full merge: the same list");
  }
  return 0;
}
