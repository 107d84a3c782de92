// Rendering the backup commands' results (backup create|list) as the text or
// JSON the CLI prints on stdout. Pure functions of the server's answer.
#ifndef QANTARA_CLIENTS_CLI_RENDER_BACKUP_H_
#define QANTARA_CLIENTS_CLI_RENDER_BACKUP_H_

#include <string>

#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "qantara/v1/admin.pb.h"

namespace qantara::cli {

// "created backup ID in DIR: SIZE (SIZE new), N files, S s".
std::string RenderBackupCreated(const qantara::v1::CreateBackupResponse& resp);

// A header, then ID TAB CREATED (UTC, ISO 8601) TAB SIZE TAB FILES TAB
// FORMAT a backup; or with --json an array of {id, created_at_us,
// created_at, size_bytes, files, format_version}.
std::string RenderBackupList(const qantara::v1::ListBackupsResponse& resp, bool json);

// Bytes for people: "512 B", "1.5 KiB", "20.3 MiB", "1.2 GiB".
std::string HumanBytes(uint64_t bytes);

// "2026-01-31T12:00:00Z" for microseconds since the epoch (whole seconds, UTC).
std::string IsoTime(int64_t us);

// Microseconds since the epoch of a protobuf Timestamp (0 when unset).
int64_t Micros(const google::protobuf::Timestamp& t);
// Milliseconds of a protobuf Duration.
int64_t Millis(const google::protobuf::Duration& d);

}  // namespace qantara::cli

#endif  // QANTARA_CLIENTS_CLI_RENDER_BACKUP_H_
