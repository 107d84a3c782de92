// qantara.v1.ImportExportService: TMX/XLIFF files into memories (Import,
// a bidirectional stream, on tm::Importer) and memories out as TMX 1.4b or
// PO (Export, on tm::Export). The handlers convert the messages and stream
// the chunks, progress and report; the import's batches, duplicate policy
// and problems are tm::Importer's.
#ifndef QANTARA_SERVICE_RPC_IMPORT_SERVICE_H_
#define QANTARA_SERVICE_RPC_IMPORT_SERVICE_H_

#include <cstdint>

#include "qantara/v1/import.grpc.pb.h"
#include "service/tm/memories.h"

namespace qantara::rpc {

// The imports of this process, for metrics (service/rpc/metrics.h).
struct ImportFigures {
  uint64_t running = 0;       // Import calls importing now (past their checks)
  uint64_t started = 0;       // Import calls that began importing, since the start
  uint64_t units_stored = 0;  // units added or updated by imports (dry runs not counted), as stored
  uint64_t bytes_read = 0;    // bytes of files read by imports
};
ImportFigures GetImportFigures();

class ImportExportServiceImpl final : public qantara::v1::ImportExportService::Service {
 public:
  // REQUIRES: `store` outlives the service.
  explicit ImportExportServiceImpl(tm::Memories& store) : store_(store) {}

  grpc::Status Import(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<qantara::v1::ImportResponse, qantara::v1::ImportRequest>* stream) override;
  grpc::Status Export(grpc::ServerContext* context, const qantara::v1::ExportRequest* request,
                      grpc::ServerWriter<qantara::v1::ExportResponse>* writer) override;

 private:
  tm::Memories& store_;
};

}  // namespace qantara::rpc

#endif  // QANTARA_SERVICE_RPC_IMPORT_SERVICE_H_
