// Request ids at the edge: serialise, hash and replay responses.
#include "service/rpc/idempotency.h"

#include <atomic>
#include <cstdio>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "service/match/hash.h"
#include "service/rpc/grpc_status.h"

namespace qantara::rpc {
namespace {

std::atomic<tm::RequestLog*> installed{nullptr};

// Clears every field named request_id, at any depth of `m`.
void ClearRequestIds(google::protobuf::Message* m) {
  const google::protobuf::Descriptor* d = m->GetDescriptor();
  const google::protobuf::Reflection* r = m->GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* f = d->field(i);
    if (f->name() == "request_id" && f->type() == google::protobuf::FieldDescriptor::TYPE_STRING) {
      r->ClearField(m, f);
    } else if (f->type() == google::protobuf::FieldDescriptor::TYPE_MESSAGE && !f->is_repeated() &&
               r->HasField(*m, f)) {
      ClearRequestIds(r->MutableMessage(m, f));
    }
  }
}

std::string Deterministic(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  m.SerializeToCodedStream(&coded);
  coded.Trim();
  return out;
}

}  // namespace

void InstallRequestLog(tm::RequestLog* log) { installed.store(log, std::memory_order_release); }

uint64_t RequestHash(const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> copy(request.New());
  copy->CopyFrom(request);
  ClearRequestIds(copy.get());
  return match::Hash64(absl::StrCat(request.GetDescriptor()->full_name(), "\n", Deterministic(*copy)));
}

grpc::Status RunOnce(const tm::Principal& who, const std::string& request_id, absl::string_view method,
                     const google::protobuf::Message& request, google::protobuf::Message* response,
                     const std::function<grpc::Status()>& run,
                     const std::function<void(google::protobuf::Message*)>& redact) {
  if (request_id.empty()) return run();
  OnceCall call(who, request_id, method);
  absl::StatusOr<bool> replay = call.Begin(request, response);
  if (!replay.ok()) return ToGrpcStatus(replay.status());
  if (*replay) return grpc::Status::OK;
  grpc::Status s = run();
  if (!s.ok()) {
    call.End(nullptr);
    return s;
  }
  if (redact) {
    std::unique_ptr<google::protobuf::Message> kept(response->New());
    kept->CopyFrom(*response);
    redact(kept.get());
    call.End(kept.get());
  } else {
    call.End(response);
  }
  return s;
}

OnceCall::OnceCall(const tm::Principal& who, std::string request_id, absl::string_view method)
    : scope_(who.name), id_(std::move(request_id)), method_(method) {}

OnceCall::~OnceCall() {
  if (begun_) End(nullptr);
}

absl::StatusOr<bool> OnceCall::Begin(const google::protobuf::Message& first,
                                     google::protobuf::Message* response) {
  tm::RequestLog* log = installed.load(std::memory_order_acquire);
  if (id_.empty()) return false;
  if (log == nullptr) {
    if (absl::Status s = tm::ValidateRequestId(id_); !s.ok()) return s;
    return false;
  }
  hash_ = RequestHash(first);
  absl::StatusOr<std::optional<std::string>> seen = log->Begin(scope_, id_, method_, hash_);
  if (!seen.ok()) return seen.status();
  if (seen->has_value()) {
    if (!response->ParseFromString(**seen)) {
      return absl::DataLossError(
          absl::StrCat("the remembered response of request_id '", id_, "' is damaged"));
    }
    return true;
  }
  begun_ = true;
  return false;
}

void OnceCall::End(const google::protobuf::Message* response) {
  if (!begun_) return;
  begun_ = false;
  tm::RequestLog* log = installed.load(std::memory_order_acquire);
  if (log == nullptr) return;
  std::string bytes;
  if (response != nullptr) bytes = Deterministic(*response);
  absl::Status s = log->Finish(scope_, id_, method_, hash_, response != nullptr ? &bytes : nullptr);
  // The call's own outcome stands (a retry of it would run it again).
  if (!s.ok())
    std::fprintf(stderr, "could not remember request_id %s: %s\n", id_.c_str(), s.ToString().c_str());
}

}  // namespace qantara::rpc
