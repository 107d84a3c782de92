// qantara.v1.TextService: the text engine over gRPC.
#ifndef QANTARA_SERVICE_RPC_TEXT_SERVICE_H_
#define QANTARA_SERVICE_RPC_TEXT_SERVICE_H_

#include <map>
#include <memory>
#include <tuple>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "qantara/v1/text.grpc.pb.h"
#include "service/text/normalizer.h"
#include "service/text/segmenter.h"
#include "service/text/tokenizer.h"
#include "service/tm/request_limits.h"

namespace qantara::rpc {

class TextServiceImpl final : public qantara::v1::TextService::Service {
 public:
  // Loads the segmenters for every supported language.
  static absl::StatusOr<std::unique_ptr<TextServiceImpl>> Create();

  // The server's limits on one request (text bytes, SRX bytes). Call
  // before serving.
  void SetRequestLimits(const tm::RequestLimits& limits) { limits_ = limits; }

  grpc::Status Segment(grpc::ServerContext* context, const qantara::v1::SegmentRequest* request,
                       qantara::v1::SegmentResponse* response) override;

  grpc::Status Normalize(grpc::ServerContext* context, const qantara::v1::NormalizeRequest* request,
                         qantara::v1::NormalizeResponse* response) override;

  grpc::Status Tokenize(grpc::ServerContext* context, const qantara::v1::TokenizeRequest* request,
                        qantara::v1::TokenizeResponse* response) override;

 private:
  TextServiceImpl() = default;

  // Normalizers and tokenizers are built once per distinct option set and
  // kept (up to kMaxCached of each; beyond that they are built per call).
  static constexpr size_t kMaxCached = 64;
  absl::StatusOr<std::shared_ptr<const text::Normalizer>> GetNormalizer(
      const text::NormalizationOptions& options);
  absl::StatusOr<std::shared_ptr<const text::Tokenizer>> GetTokenizer(const text::TokenizerOptions& options);

  absl::Mutex mu_;
  std::map<uint32_t, std::shared_ptr<const text::Normalizer>> normalizers_ ABSL_GUARDED_BY(mu_);
  std::map<std::tuple<int, uint32_t, bool, bool>, std::shared_ptr<const text::Tokenizer>> tokenizers_
      ABSL_GUARDED_BY(mu_);
  std::unique_ptr<text::SentenceSegmenter> arabic_;
  std::unique_ptr<text::SentenceSegmenter> english_;
  std::optional<tm::RequestLimits> limits_;
};

}  // namespace qantara::rpc

#endif  // QANTARA_SERVICE_RPC_TEXT_SERVICE_H_
