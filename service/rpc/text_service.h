// qantara.v1.TextService: the text engine over gRPC.
#ifndef QANTARA_SERVICE_RPC_TEXT_SERVICE_H_
#define QANTARA_SERVICE_RPC_TEXT_SERVICE_H_

#include <memory>

#include "absl/status/statusor.h"
#include "qantara/v1/text.grpc.pb.h"
#include "service/text/segmenter.h"

namespace qantara::rpc {

class TextServiceImpl final : public qantara::v1::TextService::Service {
 public:
  // Loads the segmenters for every supported language.
  static absl::StatusOr<std::unique_ptr<TextServiceImpl>> Create();

  grpc::Status Segment(grpc::ServerContext* context, const qantara::v1::SegmentRequest* request,
                       qantara::v1::SegmentResponse* response) override;

 private:
  TextServiceImpl() = default;
  std::unique_ptr<text::SentenceSegmenter> arabic_;
  std::unique_ptr<text::SentenceSegmenter> english_;
};

}  // namespace qantara::rpc

#endif  // QANTARA_SERVICE_RPC_TEXT_SERVICE_H_
