#include "service/tm/memories.h"

#include <utility>

namespace qantara::tm {

absl::StatusOr<std::unique_ptr<Memories>> Memories::Open(storage::Store& store,
                                                         const match::Analyzer& analyzer,
                                                         const storage::MemoryStoreOptions& options) {
  auto opened = storage::MemoryStore::Open(store, analyzer, options);
  if (!opened.ok()) return opened.status();
  return std::unique_ptr<Memories>(new Memories(analyzer, *std::move(opened)));
}

Memories::Memories(const match::Analyzer& analyzer, std::unique_ptr<storage::MemoryStore> store)
    : analyzer_(analyzer), store_(std::move(store)) {}

Memories::~Memories() = default;

absl::StatusOr<MemoryInfo> Memories::CreateMemory(const NewMemory& memory) {
  return store_->CreateMemory(memory);
}
absl::StatusOr<std::vector<MemoryInfo>> Memories::ListMemories() { return store_->ListMemories(); }
absl::StatusOr<MemoryInfo> Memories::GetMemory(const std::string& name) { return store_->GetMemory(name); }
absl::Status Memories::DeleteMemory(const std::string& name) { return store_->DeleteMemory(name); }

absl::StatusOr<std::vector<AddOutcome>> Memories::AddUnits(const std::string& memory,
                                                           std::vector<Unit> units,
                                                           DuplicatePolicy policy,
                                                           const std::function<void()>& on_ordered) {
  return store_->AddUnits(memory, std::move(units), policy, on_ordered);
}
absl::StatusOr<Unit> Memories::UpdateUnit(const std::string& memory, Unit unit) {
  return store_->UpdateUnit(memory, std::move(unit));
}
absl::StatusOr<uint64_t> Memories::DeleteUnits(const std::string& memory,
                                               const std::vector<uint64_t>& ids) {
  return store_->DeleteUnits(memory, ids);
}
absl::StatusOr<Unit> Memories::GetUnit(const std::string& memory, uint64_t id) {
  return store_->GetUnit(memory, id);
}
absl::Status Memories::ScanUnits(const std::string& memory, uint64_t after_id,
                                 const std::function<absl::Status(const Unit&)>& fn) {
  return store_->ScanUnits(memory, after_id, fn);
}
absl::Status Memories::IncrementUsage(const std::string& memory, uint64_t id, uint64_t by) {
  return store_->IncrementUsage(memory, id, by);
}
absl::StatusOr<match::LookupResult> Memories::Lookup(const LookupRequest& request) {
  return store_->Lookup(request);
}
absl::StatusOr<ConcordanceResult> Memories::Concordance(const ConcordanceRequest& request) {
  return store_->Concordance(request);
}
absl::StatusOr<StoreStats> Memories::Stats() { return store_->Stats(); }
void Memories::StartWarmUp() { store_->StartWarmUp(); }
void Memories::WaitForWarmUp() { store_->WaitForWarmUp(); }
absl::Status Memories::WaitForIndexWrites() { return store_->WaitForIndexWrites(); }
void Memories::WaitForIndexCompactions() { store_->WaitForIndexCompactions(); }

}  // namespace qantara::tm
