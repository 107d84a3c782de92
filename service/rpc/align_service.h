// qantara.v1.AlignService: the sentence aligner over gRPC.
#ifndef QANTARA_SERVICE_RPC_ALIGN_SERVICE_H_
#define QANTARA_SERVICE_RPC_ALIGN_SERVICE_H_

#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "qantara/v1/align.grpc.pb.h"
#include "service/align/aligner.h"
#include "service/text/segmenter.h"
#include "service/tm/lexicons.h"
#include "service/tm/memories.h"
#include "storage/lexicon_store.h"

namespace qantara::rpc {

class AlignServiceImpl final : public qantara::v1::AlignService::Service {
 public:
  // Called once, from the loading thread, when the aligner is ready (or
  // failed): `warning` is empty unless the dictionaries were missing or the
  // load failed; `load_ms` is how long loading took.
  using LoadedCallback = std::function<void(const std::string& warning, int64_t load_ms)>;

  // Loads the sentence segmenters now, and FreeDict from `dictd_dir` (see
  // align::CreateDefaultAligner) on a background thread, so the server can
  // listen at once; Align calls that arrive before the lexicon is loaded
  // wait for it. When the dictionaries are missing the service still aligns
  // (length and anchors only) and the callback's warning says so.
  static absl::StatusOr<std::unique_ptr<AlignServiceImpl>> Create(const std::string& dictd_dir,
                                                                  LoadedCallback on_loaded);

  // Gives the service the server's memories: AlignToMemory stores into them
  // and both rpcs use their learned lexicons (MemoryLexicons). Without it,
  // AlignToMemory and Align with a memory fail with FAILED_PRECONDITION.
  // Call before serving. REQUIRES: both stores outlive the service.
  void UseMemories(tm::Memories& memories, storage::LexiconStore& lexicons,
                   const tm::MemoryLexiconOptions& options = tm::MemoryLexiconOptions());

  // Stops the memories' background lexicon trainings (waiting for them) and
  // forgets the memories. Call after the server stopped serving and before
  // the stores are closed.
  void DetachMemories();

  // The server's limits on one request (document bytes, sentences). Call
  // before serving.
  void SetRequestLimits(const tm::RequestLimits& limits) { limits_ = limits; }

  grpc::Status Align(grpc::ServerContext* context, const qantara::v1::AlignRequest* request,
                     grpc::ServerWriter<qantara::v1::AlignResponse>* writer) override;

  // Defined in align_to_memory_service.cc.
  grpc::Status AlignToMemory(grpc::ServerContext* context, const qantara::v1::AlignToMemoryRequest* request,
                             qantara::v1::AlignToMemoryResponse* response) override;

 private:
  AlignServiceImpl() = default;
  // Ready once the background load ends; Align waits on it.
  std::shared_future<absl::StatusOr<std::shared_ptr<const align::Aligner>>> aligner_;
  std::unique_ptr<text::SentenceSegmenter> arabic_;
  std::unique_ptr<text::SentenceSegmenter> english_;
  tm::Memories* memories_ = nullptr;
  std::unique_ptr<tm::MemoryLexicons> lexicons_;
  std::optional<tm::RequestLimits> limits_;
};

}  // namespace qantara::rpc

#endif  // QANTARA_SERVICE_RPC_ALIGN_SERVICE_H_
