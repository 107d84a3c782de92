// qantara.v1.AlignService: the sentence aligner over gRPC.
#ifndef QANTARA_SERVICE_RPC_ALIGN_SERVICE_H_
#define QANTARA_SERVICE_RPC_ALIGN_SERVICE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "qantara/v1/align.grpc.pb.h"
#include "service/align/aligner.h"
#include "service/text/segmenter.h"

namespace qantara::rpc {

class AlignServiceImpl final : public qantara::v1::AlignService::Service {
 public:
  // Loads FreeDict from `dictd_dir` (see align::CreateDefaultAligner) and the
  // sentence segmenters. When the dictionaries are missing the service still
  // aligns (length and anchors only) and *warning says so.
  static absl::StatusOr<std::unique_ptr<AlignServiceImpl>> Create(const std::string& dictd_dir,
                                                                   std::string* warning);

  grpc::Status Align(grpc::ServerContext* context, const qantara::v1::AlignRequest* request,
                     grpc::ServerWriter<qantara::v1::AlignResponse>* writer) override;

 private:
  AlignServiceImpl() = default;
  std::unique_ptr<align::Aligner> aligner_;
  std::unique_ptr<text::SentenceSegmenter> arabic_;
  std::unique_ptr<text::SentenceSegmenter> english_;
};

}  // namespace qantara::rpc

#endif  // QANTARA_SERVICE_RPC_ALIGN_SERVICE_H_
