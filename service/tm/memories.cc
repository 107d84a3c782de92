// tm::Memories: memories and units, with their texts analysed here, and the
// fuzzy lookup across memories.
#include "service/tm/memories.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "service/base/status_macros.h"
#include "service/text/utf8.h"
#include "service/tm/pipeline.h"
#include "service/tm/unit_keys.h"

namespace qantara::tm {
namespace {

// The units of an AddUnits call as storage asks for them: prepared by a
// Pipeline (analysed, and encoded ahead when the policy allows).
class PipelineFeed final : public storage::UnitFeed {
 public:
  PipelineFeed(std::vector<storage::PreparedUnit>& units, Pipeline& pipeline)
      : units_(units), pipeline_(pipeline) {}
  size_t size() const override { return units_.size(); }
  absl::StatusOr<storage::PreparedUnit*> Get(size_t i) override {
    QANTARA_RETURN_IF_ERROR(pipeline_.WaitFor(i));
    return &units_[i];
  }

 private:
  std::vector<storage::PreparedUnit>& units_;
  Pipeline& pipeline_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Memories>> Memories::Open(storage::Store& store,
                                                         const match::Analyzer& analyzer,
                                                         const storage::MemoryStoreOptions& options) {
  auto opened = storage::MemoryStore::Open(store, options);
  if (!opened.ok()) return opened.status();
  // The first lookups after a start would size the matcher's scratch and
  // load ICU's lazy data: done here (unit ids are dense: the largest memory's
  // unit count is about its largest id; beyond it the scratch grows as used).
  uint64_t largest = 0;
  if (auto all = (*opened)->ListMemories(); all.ok()) {
    for (const storage::MemoryInfo& m : *all) largest = std::max(largest, m.units);
  }
  match::PrepareLookups(analyzer, largest);
  return std::make_unique<Memories>(analyzer, *std::move(opened));
}

Memories::Memories(const match::Analyzer& analyzer, std::unique_ptr<storage::MemoryStore> store)
    : analyzer_(analyzer), store_(std::move(store)) {}

Memories::~Memories() = default;

absl::StatusOr<MemoryInfo> Memories::CreateMemory(const NewMemory& memory) {
  QANTARA_RETURN_IF_ERROR(ValidateMemoryName(memory.name));
  QANTARA_RETURN_IF_ERROR(ValidateDescription(memory.description));
  if (auto pair = ParseLanguagePair(memory.source_lang, memory.target_lang); !pair.ok()) return pair.status();
  return store_->CreateMemory(memory);
}
absl::StatusOr<std::vector<MemoryInfo>> Memories::ListMemories() { return store_->ListMemories(); }

absl::StatusOr<std::vector<MemoryInfo>> Memories::ListMemories(
    const std::string& after, uint32_t page_size, bool* more,
    const std::function<bool(const std::string& name)>& visible) {
  if (page_size > kMaxMemoryPage) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size must be at most ", kMaxMemoryPage, ", not ", page_size));
  }
  if (page_size == 0) page_size = kDefaultMemoryPage;
  QANTARA_ASSIGN_OR_RETURN(std::vector<MemoryInfo> all, store_->ListMemories());
  if (visible) {
    all.erase(std::remove_if(all.begin(), all.end(), [&](const MemoryInfo& m) { return !visible(m.name); }),
              all.end());
  }
  std::sort(all.begin(), all.end(), [](const MemoryInfo& a, const MemoryInfo& b) { return a.name < b.name; });
  auto first = std::upper_bound(all.begin(), all.end(), after,
                                [](const std::string& name, const MemoryInfo& m) { return name < m.name; });
  std::vector<MemoryInfo> page;
  for (auto it = first; it != all.end() && page.size() < page_size; ++it) page.push_back(std::move(*it));
  *more = static_cast<size_t>(all.end() - first) > page.size();
  return page;
}
absl::StatusOr<MemoryInfo> Memories::GetMemory(const MemoryRef& memory) { return store_->GetMemory(memory); }
absl::Status Memories::DeleteMemory(const MemoryRef& memory) { return store_->DeleteMemory(memory); }

absl::StatusOr<LanguagePair> Memories::Languages(const MemoryRef& memory) {
  QANTARA_ASSIGN_OR_RETURN(const MemoryInfo info, store_->GetMemory(memory));
  return ParseLanguagePair(info.source_lang, info.target_lang);
}

absl::StatusOr<std::pair<MemoryRef, LanguagePair>> Memories::Pin(const MemoryRef& memory) {
  QANTARA_ASSIGN_OR_RETURN(const MemoryInfo info, store_->GetMemory(memory));
  QANTARA_ASSIGN_OR_RETURN(const LanguagePair languages,
                           ParseLanguagePair(info.source_lang, info.target_lang));
  return std::make_pair(MemoryRef(info), languages);
}

absl::StatusOr<match::UnitKeysPtr> Memories::KeysOf(const LanguagePair& languages, const Unit& u,
                                                    int64_t now_us) const {
  return MakeUnitKeys(analyzer_, languages, u, now_us);
}

absl::StatusOr<std::vector<AddOutcome>> Memories::AddUnits(const MemoryRef& memory, std::vector<Unit> units,
                                                           DuplicatePolicy policy,
                                                           const OnOrdered& on_ordered, bool keep_ids,
                                                           const ProgressMark* progress) {
  // Pinned: the units go to the memory whose languages analysed them.
  QANTARA_ASSIGN_OR_RETURN(const auto pinned, Pin(memory));
  const LanguagePair* languages = &pinned.second;
  for (const Unit& u : units) {
    QANTARA_RETURN_IF_ERROR(ValidateUnit(u));
  }
  // Analysis (the expensive part) runs ahead of the writing: a worker
  // prepares chunks in order while storage writes the prepared units (and
  // the writing thread prepares chunks itself rather than wait).
  const int64_t now = absl::ToUnixMicros(absl::Now());
  // Policies that never overwrite store an added unit as given (with dates
  // and changed_by filled in), so its values can be encoded in advance.
  const bool encode_ahead = policy != DuplicatePolicy::kOverwriteTarget;
  const size_t n = units.size();
  std::vector<storage::PreparedUnit> prepared(n);
  Pipeline pipeline(n, n >= 256 ? 128 : n, [&](size_t begin, size_t end) -> absl::Status {
    for (size_t i = begin; i < end; ++i) {
      storage::PreparedUnit& p = prepared[i];
      p.unit = std::move(units[i]);
      p.keep_id = keep_ids;
      if (encode_ahead) storage::FillAddedUnit(p.unit, now);
      auto keys = KeysOf(*languages, p.unit, now);
      if (!keys.ok()) return keys.status();
      p.keys = *std::move(keys);
      if (encode_ahead) storage::EncodeAhead(p);
    }
    return absl::OkStatus();
  });
  if (n >= 256) pipeline.StartWorker();
  PipelineFeed feed(prepared, pipeline);
  return store_->AddUnits(pinned.first, feed, policy, now, on_ordered, progress);
}

absl::StatusOr<std::optional<ProgressMark>> Memories::GetProgress(const MemoryRef& memory,
                                                                  const std::string& job) {
  return store_->GetProgress(memory, job);
}

absl::StatusOr<Unit> Memories::UpdateUnit(const MemoryRef& memory, Unit unit) {
  UnitUpdate update;
  update.unit = std::move(unit);
  return UpdateUnit(memory, update);
}

absl::StatusOr<Unit> Memories::UpdateUnit(const MemoryRef& memory, const UnitUpdate& update) {
  QANTARA_RETURN_IF_ERROR(ValidateUnitMask(update.mask));
  QANTARA_ASSIGN_OR_RETURN(const auto pinned, Pin(memory));
  // Read, merge, write if still at the revision read: a concurrent change
  // in between makes the write fail, and the merge is redone on the newer
  // unit (or, with expected_revision, the caller is told).
  constexpr int kMaxAttempts = 16;
  for (int attempt = 1;; ++attempt) {
    QANTARA_ASSIGN_OR_RETURN(const Unit stored, store_->GetUnit(pinned.first, update.unit.id));
    Unit merged = ApplyUnitMask(stored, update.unit, update.mask);
    QANTARA_RETURN_IF_ERROR(ValidateUnit(merged));
    QANTARA_ASSIGN_OR_RETURN(match::UnitKeysPtr keys, KeysOf(pinned.second, merged));
    const uint64_t expected = update.expected_revision != 0 ? update.expected_revision : stored.revision;
    absl::StatusOr<Unit> out = store_->UpdateUnit(pinned.first, std::move(merged), std::move(keys), expected);
    if (absl::IsAborted(out.status()) && update.expected_revision == 0 && attempt < kMaxAttempts) continue;
    return out;
  }
}

absl::StatusOr<uint64_t> Memories::DeleteUnits(const MemoryRef& memory, const std::vector<uint64_t>& ids) {
  QANTARA_RETURN_IF_ERROR(CheckCount("unit_ids", ids.size(), &RequestLimits::max_unit_ids));
  return store_->DeleteUnits(memory, ids);
}
absl::StatusOr<Unit> Memories::GetUnit(const MemoryRef& memory, uint64_t id) {
  return store_->GetUnit(memory, id);
}
absl::Status Memories::ScanUnits(const MemoryRef& memory, uint64_t after_id,
                                 const std::function<absl::Status(const Unit&)>& fn, uint64_t* damaged) {
  return store_->ScanUnits(memory, after_id, fn, damaged);
}
absl::Status Memories::IncrementUsage(const MemoryRef& memory, uint64_t id, uint64_t by) {
  return store_->IncrementUsage(memory, id, by);
}

absl::StatusOr<match::LookupResult> Memories::Lookup(const LookupRequest& given) {
  LookupRequest request = given;
  QANTARA_RETURN_IF_ERROR(CheckLookup(request, limits_));
  QANTARA_RETURN_IF_ERROR(text::ValidateUtf8(request.text));
  std::vector<match::LookupResult> results;
  for (const std::string& name : request.memories) {
    auto languages = Languages(name);
    if (!languages.ok()) return languages.status();
    match::LookupOptions options = request.options;
    options.side = request.reverse ? match::Side::kTarget : match::Side::kSource;
    auto pen = request.memory_penalties.find(name);
    if (pen != request.memory_penalties.end()) options.memory_penalty = pen->second;
    const text::Language lang = languages->side(request.reverse);
    const text::Language other = languages->side(!request.reverse);
    auto query = analyzer_.Analyze(request.text, lang);
    if (!query.ok()) return query.status();
    QANTARA_RETURN_IF_ERROR(CheckQueryTokens(query->key.tokens.size(), limits_));
    auto reader = store_->OpenReader(name);
    if (!reader.ok()) return reader.status();
    auto result = match::Lookup(**reader, analyzer_, *query, lang, other, options);
    if (!result.ok()) return result.status();
    for (match::Match& m : result->matches) m.memory = name;
    results.push_back(*std::move(result));
  }
  return match::MergeResults(std::move(results), request.options.max_results);
}

absl::StatusOr<StoreStats> Memories::Stats() { return store_->Stats(); }
absl::StatusOr<std::vector<storage::MemoryUsage>> Memories::Usage(size_t limit, size_t* total) {
  return store_->Usage(limit, total);
}
void Memories::StartWarmUp() { store_->StartWarmUp(); }
void Memories::WaitForWarmUp() { store_->WaitForWarmUp(); }
absl::Status Memories::WaitForIndexWrites() { return store_->WaitForIndexWrites(); }
void Memories::WaitForIndexCompactions() { store_->WaitForIndexCompactions(); }

}  // namespace qantara::tm
