// Rendering the backup commands' results as text or JSON (see render_backup.h).
#include "clients/cli/render_backup.h"

#include <cstdio>
#include <ctime>

#include "google/protobuf/util/time_util.h"
#include "nlohmann/json.hpp"

namespace qantara::cli {
namespace {
namespace v1 = qantara::v1;
}  // namespace

int64_t Micros(const google::protobuf::Timestamp& t) {
  return google::protobuf::util::TimeUtil::TimestampToMicroseconds(t);
}

int64_t Millis(const google::protobuf::Duration& d) {
  return google::protobuf::util::TimeUtil::DurationToMilliseconds(d);
}

std::string IsoTime(int64_t us) {
  const std::time_t seconds = static_cast<std::time_t>(us / 1000000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string HumanBytes(uint64_t bytes) {
  static const char* const kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
  if (bytes < 1024) return std::to_string(bytes) + " B";
  double v = static_cast<double>(bytes) / 1024;
  int unit = 0;
  while (v >= 1024 && unit < 3) {
    v /= 1024;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f %s", v, kUnits[unit]);
  return buf;
}

std::string RenderBackupCreated(const v1::CreateBackupResponse& resp) {
  const v1::Backup& b = resp.backup();
  char seconds[32];
  std::snprintf(seconds, sizeof(seconds), "%.1f", static_cast<double>(Millis(resp.elapsed())) / 1000);
  return "created backup " + std::to_string(b.id()) + " in " + resp.dir() + ": " +
         HumanBytes(b.size_bytes()) + " (" + HumanBytes(resp.added_bytes()) + " new), " +
         std::to_string(b.files()) + " files, " + seconds + " s\n";
}

std::string RenderBackupList(const v1::ListBackupsResponse& resp, bool json) {
  if (json) {
    nlohmann::ordered_json j = nlohmann::ordered_json::array();
    for (const v1::Backup& b : resp.backups()) {
      nlohmann::ordered_json o;
      o["id"] = b.id();
      o["created_at_us"] = Micros(b.create_time());
      o["created_at"] = IsoTime(Micros(b.create_time()));
      o["size_bytes"] = b.size_bytes();
      o["files"] = b.files();
      o["format_version"] = b.format_version();
      j.push_back(std::move(o));
    }
    return j.dump(2) + "\n";
  }
  std::string out = "ID\tCREATED\tSIZE\tFILES\tFORMAT\n";
  for (const v1::Backup& b : resp.backups()) {
    out += std::to_string(b.id()) + "\t" + IsoTime(Micros(b.create_time())) + "\t" +
           HumanBytes(b.size_bytes()) + "\t" + std::to_string(b.files()) + "\t" +
           std::to_string(b.format_version()) + "\n";
  }
  return out;
}

}  // namespace qantara::cli
