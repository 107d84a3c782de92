// Import jobs of the HTTP edge: an uploaded file (spooled to disk) fed to the
// Import rpc on a thread of its own, its progress and report kept for the
// status URL (GET /v1/imports/{id}), in the shape of google.longrunning's
// Operation: {"name", "done", "metadata": progress, "response": report,
// "error": status}.
//
// A job is visible only to the token that started it (the hash of its
// Authorization header; the header itself is kept only while the job runs,
// for its call). At most `max_running` run at once; finished jobs are kept
// for `keep_finished`, at most 1,000 of them.
#ifndef QANTARA_SERVICE_HTTP_IMPORT_JOBS_H_
#define QANTARA_SERVICE_HTTP_IMPORT_JOBS_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "qantara/v1/import.pb.h"
#include "service/http/routes.h"

namespace qantara::http {

class ImportJobs {
 public:
  ImportJobs(const Stubs& stubs, int max_running, absl::Duration keep_finished);
  ~ImportJobs();

  // Starts importing `file` (removed when the job ends) with `start`;
  // returns the job's id. RESOURCE_EXHAUSTED when max_running jobs run.
  absl::StatusOr<std::string> Start(const std::string& authorization, const qantara::v1::ImportStart& start,
                                    const std::string& file);

  // The job's JSON; nullopt when there is no such job for this caller.
  std::optional<std::string> StatusJson(const std::string& id, const std::string& authorization);

  // Jobs running now.
  int running() ABSL_LOCKS_EXCLUDED(mu_);

  // Cancels running jobs and waits for them.
  void Shutdown();

 private:
  struct Job;
  void Run(Job* job, std::string authorization);
  void ForgetOld() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Stubs& stubs_;
  const int max_running_;
  const absl::Duration keep_finished_;
  absl::Mutex mu_;
  std::map<std::string, std::unique_ptr<Job>> jobs_ ABSL_GUARDED_BY(mu_);
  int running_ ABSL_GUARDED_BY(mu_) = 0;
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
};

// 128 random bits, hex: job ids and the names of spooled uploads.
std::string RandomHex();

// The SHA-256 of an Authorization header, hex (jobs remember callers so).
std::string CallerHash(const std::string& authorization);

}  // namespace qantara::http

#endif  // QANTARA_SERVICE_HTTP_IMPORT_JOBS_H_
