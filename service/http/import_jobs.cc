// Import jobs (service/http/import_jobs.h).
#include "service/http/import_jobs.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdio>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/client_context.h"
#include "nlohmann/json.hpp"
#include "service/http/transcode.h"

namespace qantara::http {

namespace v1 = qantara::v1;

struct ImportJobs::Job {
  std::string id;
  std::string caller;  // CallerHash of the Authorization header
  std::string file;
  v1::ImportStart start;
  absl::Time create_time;
  absl::Time end_time;
  bool done = false;
  v1::ImportProgress progress;
  std::optional<v1::ImportReport> report;
  grpc::Status error;
  grpc::ClientContext* ctx = nullptr;  // while the call runs
  bool cancel = false;
  std::thread thread;
};

std::string CallerHash(const std::string& authorization) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(authorization.data(), authorization.size(), digest, &len, EVP_sha256(), nullptr);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), len));
}

namespace {}  // namespace

std::string RandomHex() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) std::abort();
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

namespace {

constexpr size_t kChunkBytes = 1 << 20;
constexpr size_t kMaxFinishedJobs = 1000;

}  // namespace

ImportJobs::ImportJobs(const Stubs& stubs, int max_running, absl::Duration keep_finished)
    : stubs_(stubs), max_running_(max_running), keep_finished_(keep_finished) {}

ImportJobs::~ImportJobs() { Shutdown(); }

absl::StatusOr<std::string> ImportJobs::Start(const std::string& authorization, const v1::ImportStart& start,
                                              const std::string& file) {
  absl::MutexLock lock(&mu_);
  ForgetOld();
  if (shut_down_) return absl::UnavailableError("the server is stopping");
  if (running_ >= max_running_) {
    return absl::ResourceExhaustedError(
        absl::StrCat(max_running_,
                     " import jobs are running (--http-max-imports): try again "
                     "when one has finished"));
  }
  auto job = std::make_unique<Job>();
  job->id = RandomHex();
  job->caller = CallerHash(authorization);
  job->file = file;
  job->start = start;
  job->create_time = absl::Now();
  Job* raw = job.get();
  ++running_;
  std::string id = job->id;
  jobs_[id] = std::move(job);
  raw->thread = std::thread([this, raw, authorization] { Run(raw, authorization); });
  return id;
}

void ImportJobs::Run(Job* job, std::string authorization) {
  grpc::ClientContext ctx;
  if (!authorization.empty()) ctx.AddMetadata("authorization", authorization);
  {
    absl::MutexLock lock(&mu_);
    job->ctx = &ctx;
    if (job->cancel) ctx.TryCancel();
  }
  auto stream = stubs_.import_export->Import(&ctx);
  // Responses are read on a thread of their own, so that neither side's
  // flow control waits on the other.
  std::thread reader([&] {
    v1::ImportResponse resp;
    while (stream->Read(&resp)) {
      absl::MutexLock lock(&mu_);
      if (resp.has_progress()) job->progress = resp.progress();
      if (resp.has_report()) job->report = resp.report();
    }
  });
  v1::ImportRequest req;
  *req.mutable_start() = job->start;
  bool writing = stream->Write(req);
  if (std::FILE* f = std::fopen(job->file.c_str(), "rb"); f != nullptr) {
    std::vector<char> buf(kChunkBytes);
    size_t n;
    while (writing && (n = std::fread(buf.data(), 1, buf.size(), f)) > 0) {
      req.set_chunk(buf.data(), n);
      writing = stream->Write(req);
    }
    std::fclose(f);
  } else {
    ctx.TryCancel();
  }
  stream->WritesDone();
  reader.join();
  grpc::Status status = stream->Finish();
  std::remove(job->file.c_str());
  absl::MutexLock lock(&mu_);
  job->ctx = nullptr;
  job->error = status;
  job->done = true;
  job->end_time = absl::Now();
  --running_;
}

std::optional<std::string> ImportJobs::StatusJson(const std::string& id, const std::string& authorization) {
  const std::string caller = CallerHash(authorization);
  absl::MutexLock lock(&mu_);
  auto it = jobs_.find(id);
  if (it == jobs_.end() || it->second->caller.size() != caller.size() ||
      CRYPTO_memcmp(it->second->caller.data(), caller.data(), caller.size()) != 0) {
    return std::nullopt;
  }
  const Job& job = *it->second;
  nlohmann::json out;
  out["name"] = absl::StrCat("imports/", job.id);
  out["done"] = job.done;
  nlohmann::json meta;
  meta["memory"] = job.start.memory();
  meta["fileName"] = job.start.file_name();
  meta["totalBytes"] = std::to_string(job.start.total_bytes());
  meta["createTime"] = absl::FormatTime(absl::RFC3339_full, job.create_time, absl::UTCTimeZone());
  if (job.done) meta["endTime"] = absl::FormatTime(absl::RFC3339_full, job.end_time, absl::UTCTimeZone());
  meta["progress"] = nlohmann::json::parse(ToJson(job.progress));
  out["metadata"] = meta;
  if (job.done) {
    if (!job.error.ok()) {
      out["error"] = nlohmann::json::parse(ErrorJson(job.error));
    } else if (job.report) {
      out["response"] = nlohmann::json::parse(ToJson(*job.report));
    }
  }
  return out.dump();
}

void ImportJobs::ForgetOld() {
  const absl::Time now = absl::Now();
  size_t finished = 0;
  for (const auto& [id, job] : jobs_) finished += job->done ? 1 : 0;
  for (auto it = jobs_.begin(); it != jobs_.end();) {
    Job& job = *it->second;
    if (job.done && (now - job.end_time > keep_finished_ || finished > kMaxFinishedJobs)) {
      if (job.thread.joinable()) job.thread.join();  // it has returned or is returning
      --finished;
      it = jobs_.erase(it);
    } else {
      ++it;
    }
  }
}

int ImportJobs::running() {
  absl::MutexLock lock(&mu_);
  return running_;
}

void ImportJobs::Shutdown() {
  std::vector<std::thread> threads;
  {
    absl::MutexLock lock(&mu_);
    shut_down_ = true;
    for (auto& [id, job] : jobs_) {
      job->cancel = true;
      if (job->ctx != nullptr) job->ctx->TryCancel();
      if (job->thread.joinable()) threads.push_back(std::move(job->thread));
    }
  }
  for (std::thread& t : threads) t.join();
}

}  // namespace qantara::http
