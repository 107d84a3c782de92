// PRIVATE to storage/: whether the store can write now, followed through
// RocksDB's background-error notifications, and the thread that resumes
// RocksDB once the disk of the data dir has room again.
//
// RocksDB stops every write (a "hard" background error) when a write to the
// WAL, a memtable flush or a MANIFEST write fails; reads go on. For a full
// disk (NoSpace) RocksDB's own recovery waits, in steps of 5 s, for as much
// free space as the largest memtable (64 MB here): on a small disk it never
// comes. So that recovery is switched off for it, and a thread of ours calls
// DB::Resume() every second while the error lasts (and the file system
// reports some room): Resume flushes the memtables into a new WAL and lets
// writes in again, or fails and is tried again a second later.
//
// A failed WAL write leaves RocksDB's writer of that WAL unusable (7.8: any
// later append fails, and asserts in a build with assertions), and Resume
// opens a new WAL only when some active memtable holds an entry. So the
// `meta` column family's memtable is kept non-empty: a delete of a key
// never written (kMetaWalSwitchKey), kept out of the WAL (no disk write),
// planted at start, after each Resume and whenever the thread finds it
// flushed away (checked every second). Should the WAL fail while every
// memtable is empty all the same, Resume is not called: writes stay
// stopped (RESOURCE_EXHAUSTED) until the store is reopened. Errors
// RocksDB recovers by itself (retryable I/O errors) end with its
// OnErrorRecoveryEnd, which is followed too; other hard errors last until
// the store is reopened.
//
// RocksDB 7.8's manual Resume (and its own recovery from NoSpace) clears the
// error but leaves its "stopped" flag set: writes work (they check the
// error), but IngestExternalFiles then reads an OK error through the flag
// and aborts. So once resumed, the store ingests no more files until it is
// reopened (RocksHandles::no_ingest).
#ifndef QANTARA_STORAGE_INTERNAL_WRITE_HEALTH_H_
#define QANTARA_STORAGE_INTERNAL_WRITE_HEALTH_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "rocksdb/db.h"
#include "rocksdb/listener.h"

namespace qantara::storage::internal {

class WriteHealth {
 public:
  // `dir`: the data dir (named in the messages; its free space is checked
  // before each Resume). `retry_every`: the time between two Resume calls.
  explicit WriteHealth(std::string dir, absl::Duration retry_every = absl::Seconds(1));
  ~WriteHealth();  // Stop()
  WriteHealth(const WriteHealth&) = delete;
  WriteHealth& operator=(const WriteHealth&) = delete;

  // The listener to put into DBOptions::listeners before the DB is opened
  // (it keeps `health` alive).
  static std::shared_ptr<rocksdb::EventListener> Listener(std::shared_ptr<WriteHealth> health);

  // Starts the thread that resumes `db` (`cfs`: its column families, by
  // Cf); Stop() before `db` is closed.
  void Start(rocksdb::DB* db, std::vector<rocksdb::ColumnFamilyHandle*> cfs) ABSL_LOCKS_EXCLUDED(mu_);
  // Stops and joins the thread; the watcher is not called any more. Idempotent.
  void Stop() ABSL_LOCKS_EXCLUDED(mu_, watcher_mu_);

  // Set once a Resume() succeeded (RocksHandles::no_ingest).
  const std::atomic<bool>* resumed() const { return &resumed_; }

  // OK, or why writes fail now (Store::WritesAvailable).
  absl::Status Status() ABSL_LOCKS_EXCLUDED(mu_);
  // Store::WatchWrites.
  void Watch(std::function<void(const absl::Status&)> watcher) ABSL_LOCKS_EXCLUDED(mu_, watcher_mu_);

  // From the listener: RocksDB set background error `error` (`hard`: writes
  // stop), or cleared it.
  // `wal`: the error came from a WAL write or sync.
  void OnError(const rocksdb::Status& error, bool hard, bool wal) ABSL_LOCKS_EXCLUDED(mu_);
  void OnRecovered() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Run() ABSL_LOCKS_EXCLUDED(mu_);
  bool Woken() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stop_ || changed_; }
  // Calls the watcher with `now` unless it was the last status it got.
  void Publish(const absl::Status& now) ABSL_LOCKS_EXCLUDED(watcher_mu_);
  // Whether the data dir's file system has some room (or cannot tell).
  bool SpaceMayBeBack() const;
  // Plants the entry that keeps meta's memtable non-empty (when `if_empty`,
  // only if it is empty). REQUIRES: Start() was called.
  // (Never under mu_: a RocksDB call may wait for a writer that is in the
  // listener, waiting for mu_.)
  void KeepMemtableFilled(bool if_empty) ABSL_LOCKS_EXCLUDED(mu_);
  // Whether Resume() would open a new WAL: some active memtable holds an entry.
  bool AnyMemtableFilled() ABSL_LOCKS_EXCLUDED(mu_);

  const std::string dir_;
  const absl::Duration retry_every_;
  absl::Mutex mu_;
  absl::Status error_ ABSL_GUARDED_BY(mu_);       // OK: writes work
  bool retry_ ABSL_GUARDED_BY(mu_) = false;       // a full disk: Resume() is retried
  bool wal_failed_ ABSL_GUARDED_BY(mu_) = false;  // since the last Resume
  bool stuck_ ABSL_GUARDED_BY(mu_) = false;       // a failed WAL and empty memtables: no Resume
  absl::Time next_try_ ABSL_GUARDED_BY(mu_);
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;  // errors seen
  bool changed_ ABSL_GUARDED_BY(mu_) = false;     // error_ not yet published
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  // Set by Start() before the thread starts; read by the thread only.
  rocksdb::DB* db_ = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> cfs_;
  std::atomic<bool> resumed_{false};
  std::thread thread_;
  absl::Mutex watcher_mu_;  // held while the watcher runs
  std::function<void(const absl::Status&)> watcher_ ABSL_GUARDED_BY(watcher_mu_);
  absl::Status published_ ABSL_GUARDED_BY(watcher_mu_);
  bool stopped_ ABSL_GUARDED_BY(watcher_mu_) = false;
};

}  // namespace qantara::storage::internal

#endif  // QANTARA_STORAGE_INTERNAL_WRITE_HEALTH_H_
