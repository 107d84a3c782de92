// qantara.v1.MemoryService: translation memories over gRPC, on storage's
// MemoryStore.
#ifndef QANTARA_SERVICE_RPC_MEMORY_SERVICE_H_
#define QANTARA_SERVICE_RPC_MEMORY_SERVICE_H_

#include "qantara/v1/memory.grpc.pb.h"
#include "service/tm/memories.h"

namespace qantara::rpc {

class MemoryServiceImpl final : public qantara::v1::MemoryService::Service {
 public:
  // REQUIRES: `store` outlives the service.
  explicit MemoryServiceImpl(tm::Memories& store) : store_(store) {}

  grpc::Status CreateMemory(grpc::ServerContext*, const qantara::v1::CreateMemoryRequest*,
                            qantara::v1::Memory*) override;
  grpc::Status ListMemories(grpc::ServerContext*, const qantara::v1::ListMemoriesRequest*,
                            qantara::v1::ListMemoriesResponse*) override;
  grpc::Status GetMemory(grpc::ServerContext*, const qantara::v1::GetMemoryRequest*,
                         qantara::v1::Memory*) override;
  grpc::Status DeleteMemory(grpc::ServerContext*, const qantara::v1::DeleteMemoryRequest*,
                            qantara::v1::DeleteMemoryResponse*) override;
  grpc::Status AddUnit(grpc::ServerContext*, const qantara::v1::AddUnitRequest*,
                       qantara::v1::AddUnitResponse*) override;
  grpc::Status AddUnits(grpc::ServerContext*, grpc::ServerReader<qantara::v1::AddUnitsRequest>*,
                        qantara::v1::AddUnitsResponse*) override;
  grpc::Status GetUnit(grpc::ServerContext*, const qantara::v1::GetUnitRequest*, qantara::v1::Unit*) override;
  grpc::Status UpdateUnit(grpc::ServerContext*, const qantara::v1::UpdateUnitRequest*,
                          qantara::v1::Unit*) override;
  grpc::Status DeleteUnits(grpc::ServerContext*, const qantara::v1::DeleteUnitsRequest*,
                           qantara::v1::DeleteUnitsResponse*) override;
  grpc::Status Lookup(grpc::ServerContext*, const qantara::v1::LookupRequest*,
                      qantara::v1::LookupResponse*) override;
  grpc::Status BatchLookup(grpc::ServerContext*, const qantara::v1::BatchLookupRequest*,
                           grpc::ServerWriter<qantara::v1::BatchLookupResponse>*) override;
  grpc::Status Concordance(grpc::ServerContext*, const qantara::v1::ConcordanceRequest*,
                           qantara::v1::ConcordanceResponse*) override;
  grpc::Status Stats(grpc::ServerContext*, const qantara::v1::StatsRequest*,
                     qantara::v1::StatsResponse*) override;
  grpc::Status Fragments(grpc::ServerContext*, const qantara::v1::FragmentsRequest*,
                         qantara::v1::FragmentsResponse*) override;

 private:
  tm::Memories& store_;
};

}  // namespace qantara::rpc

#endif  // QANTARA_SERVICE_RPC_MEMORY_SERVICE_H_
