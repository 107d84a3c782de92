// `qantara audit [--memory M] [--since WHEN] [--limit N] [--json]`: the
// server's audit trail (AccessService.ListAuditEvents; an admin token is
// needed on a server with --auth), read page by page, oldest first.
#include <algorithm>
#include <ctime>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clients/cli/call.h"
#include "clients/cli/commands.h"
#include "clients/cli/render_backup.h"
#include "google/protobuf/util/time_util.h"
#include "nlohmann/json.hpp"
#include "qantara/v1/access.grpc.pb.h"

namespace qantara::cli {
namespace {

namespace v1 = qantara::v1;

std::string Time(int64_t us) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::FromUnixMicros(us), absl::UTCTimeZone());
}

}  // namespace

absl::StatusOr<int64_t> ParseSince(const std::string& text, absl::Time now) {
  if (text.empty()) return 0;
  // A duration back from now: 30m, 24h, 7d.
  const char unit = text.back();
  int64_t n = 0;
  if ((unit == 'm' || unit == 'h' || unit == 'd') && absl::SimpleAtoi(text.substr(0, text.size() - 1), &n) &&
      n >= 0 && n <= 36500 * 24 * 60) {
    const absl::Duration d = unit == 'm'   ? absl::Minutes(n)
                             : unit == 'h' ? absl::Hours(n)
                                           : absl::Hours(24 * n);
    return absl::ToUnixMicros(now - d);
  }
  absl::Time t;
  std::string err;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &err) || absl::ParseTime("%Y-%m-%d", text, &t, &err)) {
    return absl::ToUnixMicros(t);
  }
  return absl::InvalidArgumentError("--since '" + text +
                                    "': want a date (2026-12-01), a UTC time (2026-12-01T09:30:00Z) or a "
                                    "time back from now (30m, 24h, 7d)");
}

int RunAuditCommand(const GlobalOptions& options, const AuditArgs& args) {
  absl::StatusOr<int64_t> since = ParseSince(args.since, absl::Now());
  if (!since.ok()) return ReportError(std::string(since.status().message()), kExitUsage);
  v1::ListAuditEventsRequest req;
  if (*since != 0) {
    *req.mutable_since() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(*since);
  }
  req.set_memory(args.memory);
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  std::string out = "TIME\tWHO\tACTION\tMEMORY\tUNITS\tOUTCOME\tPEER\tDETAIL\n";
  uint64_t shown = 0;
  do {
    req.set_page_size(static_cast<uint32_t>(std::min<uint64_t>(1000, args.limit - shown)));
    absl::StatusOr<v1::ListAuditEventsResponse> resp =
        Call(options, &v1::AccessService::Stub::ListAuditEvents, req);
    if (!resp.ok()) return ReportRpcError(options, "audit", resp.status());
    for (const v1::AuditEvent& e : resp->events()) {
      if (args.json) {
        nlohmann::ordered_json o;
        o["time_us"] = Micros(e.time());
        o["time"] = Time(Micros(e.time()));
        o["who"] = e.who();
        o["action"] = e.action();
        o["memory"] = e.memory();
        o["units"] = e.units();
        o["outcome"] = e.outcome();
        o["peer"] = e.peer();
        o["detail"] = e.detail();
        all.push_back(std::move(o));
      } else {
        out += Time(Micros(e.time())) + "\t" + (e.who().empty() ? "-" : e.who()) + "\t" + e.action() + "\t" +
               (e.memory().empty() ? "-" : e.memory()) + "\t" + std::to_string(e.units()) + "\t" +
               e.outcome() + "\t" + e.peer() + "\t" + (e.detail().empty() ? "-" : e.detail()) + "\n";
      }
      ++shown;
    }
    req.set_page_token(resp->next_page_token());
  } while (!req.page_token().empty() && shown < args.limit);
  return PrintOutput(args.json ? all.dump(2) + "\n" : out);
}

}  // namespace qantara::cli
