// Admission control and the stall watchdog at the gRPC edge (issue 15).
//
// Handlers ask for a slot before their work:
//   absl::StatusOr<CallSlot> slot = Admit(context, CallKind::kHeavy, "Align");
//   if (!slot.ok()) return ToGrpcStatus(slot.status());
// kHeavy takes a slot of the server's heavy-call pool (tm::AdmissionPool:
// alignment, exhaustive lookups, concordance, user SRX), kStream one of its
// stream pool (calls whose client sets the pace: AddUnits, Import, Export,
// BatchLookup); both refuse with RESOURCE_EXHAUSTED naming the limit. Streaming
// calls (kStream, kHeavyStream) are also watched: one that waits on its
// client longer than the stall limit (a Read through CallSlot::Read for a
// client that never sends; a Write held back by a client that never reads)
// is cancelled, freeing its thread. kNone: admitted, nothing held (a request
// that is not heavy after all, e.g. Segment without SRX rules).
//
// Nothing is limited until InstallAdmission (qantara-server does it before
// serving); in-process servers of tests admit every call.
#ifndef QANTARA_SERVICE_RPC_CALL_ADMISSION_H_
#define QANTARA_SERVICE_RPC_CALL_ADMISSION_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_interceptor.h"
#include "service/tm/admission.h"

namespace qantara::rpc {

enum class CallKind { kNone, kHeavy, kStream, kHeavyStream };

struct AdmissionConfig {
  tm::AdmissionPool::Options heavy;
  tm::AdmissionPool::Options streams;
  absl::Duration stream_stall = absl::Seconds(120);  // 0: streams are not watched
};

// Figures for logs and the load generator's checks.
struct AdmissionStats {
  tm::AdmissionPool::Stats heavy, streams;
  uint64_t stalled_cancelled = 0;  // streams the watchdog cancelled
  size_t watched = 0;              // streams watched now
};

// Installs the pools and starts the watchdog thread. Call once, before the
// server starts; UninstallAdmission after it has stopped (server->Wait()).
void InstallAdmission(const AdmissionConfig& config);
void UninstallAdmission();
AdmissionStats GetAdmissionStats();

// For ServerBuilder::experimental().SetInterceptorCreators: notes every
// message of a streaming call for the watchdog.
std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> AdmissionInterceptors();

// A call's slot (and watch); released when destroyed, before the handler
// returns.
class CallSlot {
 public:
  CallSlot() = default;
  CallSlot(CallSlot&& other) noexcept;
  CallSlot& operator=(CallSlot&& other) noexcept;
  CallSlot(const CallSlot&) = delete;
  CallSlot& operator=(const CallSlot&) = delete;
  ~CallSlot();

  // stream.Read(message), the wait watched (for a client-streaming call,
  // read through this, not stream.Read).
  template <typename Stream, typename Message>
  bool Read(Stream& stream, Message* message) {
    Waiting(true);
    const bool ok = stream.Read(message);
    Waiting(false);
    return ok;
  }

 private:
  void Waiting(bool waiting);
  friend absl::StatusOr<CallSlot> Admit(grpc::ServerContext*, CallKind, absl::string_view);
  tm::AdmissionPool::Ticket ticket_;
  const grpc::ServerContextBase* watched_ = nullptr;
};

absl::StatusOr<CallSlot> Admit(grpc::ServerContext* context, CallKind kind, absl::string_view what);

}  // namespace qantara::rpc

#endif  // QANTARA_SERVICE_RPC_CALL_ADMISSION_H_
