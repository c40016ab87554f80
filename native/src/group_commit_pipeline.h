// Internal to the group commit kernel (see trident/group_commit.h): the two sync pipelines
// (io_uring, blocking) behind GroupCommitFile, and helpers they share.
#pragma once

#include <sys/uio.h>

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <memory>
#include <string>
#include <vector>

#include "trident/group_commit.h"

namespace trident {

// A contiguous run of caller segments written with one writev; tracks progress so a short write
// resumes where it stopped.
struct WriteRun {
  int64_t offset = 0;          // file offset of the first byte not yet written
  std::vector<iovec> iov;      // the run's buffers
  size_t first_iov = 0;        // first buffer with bytes not yet written
  int64_t remaining_bytes = 0;

  // Marks `bytes` (<= remaining_bytes) as written.
  void advance(int64_t bytes);
  int iov_count() const { return static_cast<int>(iov.size() - first_iov); }
};

// Groups segments into runs of contiguous offsets (at most IOV_MAX buffers each). Throws
// kInvalidArgument for a null buffer, a negative offset/length, or more than
// GroupCommitFile::kWriteRunsPerRequestMax runs. Zero-length segments are skipped.
std::vector<WriteRun> group_write_runs(const WriteSegment* segments, int32_t count);

// "<name>: <operation>: <strerror(errno_value)>".
std::string io_error_text(const std::string& name, const char* operation, int errno_value);

// Writes a run completely with pwritev, resuming short writes; returns 0 or the failing errno.
// Counts resumed short writes into *short_writes_resumed.
int write_run_blocking(int fd, WriteRun& run, int64_t* short_writes_resumed);

// fdatasync retried on EINTR; returns 0 or the failing errno.
int fdatasync_blocking(int fd);

// The bytes a ticket's fdatasync must cover: [offset, offset + bytes), or the whole file when
// bytes == 0. A pipeline may always sync more than asked (the blocking ones sync the whole file).
struct SyncRange {
  int64_t offset = 0;
  int64_t bytes = 0;
};

// Ticket bookkeeping and I/O of one file. Implementations are thread-safe.
class SyncPipeline {
 public:
  virtual ~SyncPipeline() = default;
  // Writes `runs` in order, then syncs `range` (plus the file's metadata); returns the ticket.
  virtual int64_t submit(std::vector<WriteRun> runs, SyncRange range) = 0;
  virtual void await(int64_t ticket) = 0;
  virtual int64_t durable_ticket() const = 0;
  virtual int64_t issued_ticket() const = 0;
  virtual bool uses_io_uring() const = 0;
  // Marks the file failed with `message` (first failure wins); later calls throw it.
  virtual void fail(const std::string& message) = 0;
  // Throws the recorded failure, if any.
  virtual void throw_if_failed() const = 0;
  virtual GroupCommitStats stats() const = 0;
  virtual void add_preallocated_bytes(int64_t bytes) = 0;

  const std::string& name() const { return name_; }
  const std::string& backend_reason() const { return backend_reason_; }

 protected:
  SyncPipeline(std::string name, std::string backend_reason)
      : name_(std::move(name)), backend_reason_(std::move(backend_reason)) {}

 private:
  std::string name_;
  std::string backend_reason_;
};

// The bookkeeping shared by the pipelines that keep it behind one mutex (io_uring, threaded):
// tickets, the first failure, counters, and a condition variable signalled on progress.
// Locking: mutex_ guards every field; the *_locked helpers and record_failure need it held.
class LockedSyncPipeline : public SyncPipeline {
 public:
  int64_t durable_ticket() const override;
  int64_t issued_ticket() const override;
  void fail(const std::string& message) override;
  void throw_if_failed() const override;
  GroupCommitStats stats() const override;
  void add_preallocated_bytes(int64_t bytes) override;

 protected:
  using SyncPipeline::SyncPipeline;

  // Keeps the first failure and wakes every waiter.
  void record_failure(const std::string& message);
  // Throws the recorded failure as kIo, if any.
  void throw_failure_locked() const;
  // Throws kInvalidArgument for a ticket that was never issued.
  void check_issued_locked(int64_t ticket) const;

  mutable std::mutex mutex_;
  std::condition_variable progress_;  // durable_ advanced or failure_ was set
  int64_t issued_ = 0;
  int64_t durable_ = 0;
  std::string failure_;
  int64_t syncs_completed_ = 0;
  int64_t short_writes_resumed_ = 0;
  int64_t bytes_written_ = 0;
  int64_t bytes_preallocated_ = 0;
};

// Fallback for syncs_in_flight_max == 1: pwritev + fdatasync on the calling thread.
std::unique_ptr<SyncPipeline> make_blocking_pipeline(int fd, std::string name,
                                                     std::string backend_reason);

// Fallback for syncs_in_flight_max >= 2: pwritev on the calling thread, fdatasync on up to
// `window` helper threads started on demand.
std::unique_ptr<SyncPipeline> make_threaded_pipeline(int fd, std::string name,
                                                     std::string backend_reason, int window);

// Returns nullptr and sets *failure_reason when the ring cannot be set up for this file.
std::unique_ptr<SyncPipeline> make_io_uring_pipeline(int fd, std::string name,
                                                     int syncs_in_flight_max,
                                                     std::string* failure_reason);

}  // namespace trident
