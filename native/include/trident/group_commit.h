// trident::GroupCommitFile — makes one file durable with pipelined fdatasync (io_uring), the
// kernel under the Raft journal's group commit.
//
// Model: every request_sync() / write_and_request_sync() returns a ticket (1, 2, 3, ...). A ticket
// is durable when its fdatasync, and the fdatasync of every earlier ticket, completed. Tickets
// become durable strictly in order, so `durable_ticket()` is a single number: every byte written
// to the file (by any means: these writes, pwrite, or stores into an mmap of it) before the call
// that returned that ticket is on stable storage.
//
// Pipelining: up to `syncs_in_flight_max` tickets (1..64, default 4) may be issued and not yet
// durable; a request beyond that blocks until the oldest one completes. With io_uring each request
// is one io_uring_enter: the optional writes (IORING_OP_WRITEV, one per contiguous run of
// segments) linked (IOSQE_IO_LINK) before an IORING_OP_FSYNC(DATASYNC). Without io_uring (blocked
// by seccomp, kernel.io_uring_disabled, an old kernel, or TRIDENT_IO_URING=off in the environment)
// the same calls run pwritev on the calling thread and fdatasync on up to syncs_in_flight_max
// helper threads started on demand (with syncs_in_flight_max == 1: on the calling thread, the
// ticket durable when its request returns): same API, same ordering.
//
// Short writes are resumed (the remainder resubmitted) until complete. Any I/O error (EIO, ENOSPC,
// EBADF, EFBIG, ...) throws trident::Error(kIo, "<path>: <operation>: <errno text>") and marks
// the file failed: after a failed fdatasync the page cache's state is unknown, so every later
// request and every wait for a ticket that was not durable before the failure throws the same
// error. Tickets that were durable before the failure stay valid.
//
// Thread rules: every method is thread-safe (one mutex per file; the thread that waits also reaps
// completions, one reaper at a time, the others wait on a condition variable). The object must
// outlive every call on it; destroy_group_commit_file() waits for in-flight operations to finish
// (so the kernel never touches freed buffers) and closes the file.
//
// Buffers handed to write_and_request_sync() must stay valid and unchanged until the ticket is
// durable (await_durable returned): the kernel may read them after the call returns. The segments
// of one request are written in order; requests in flight together are not ordered against each
// other, so a write overlapping an earlier request's range must wait for that ticket first
// (append-only callers never overlap).
#pragma once

#include <cstdint>
#include <memory>

namespace trident {

// One piece of a batched write: `length` bytes from `data` to file offset `offset`. Segments whose
// offsets are contiguous are merged into one writev.
struct WriteSegment {
  const void* data;
  int64_t offset;
  int64_t length;
};

struct GroupCommitStats {
  int64_t syncs_completed;       // fdatasyncs that succeeded
  int64_t short_writes_resumed;  // writes that completed partially and were resubmitted
  int64_t bytes_written;         // bytes of caller segments written
  int64_t bytes_preallocated;    // zero bytes written by preallocate()
};

class SyncPipeline;

class GroupCommitFile {
 public:
  static constexpr int kSyncsInFlightDefault = 4;
  static constexpr int kSyncsInFlightMax = 64;
  // Segment runs (non-contiguous pieces) one write_and_request_sync() call may carry.
  static constexpr int kWriteRunsPerRequestMax = 128;

  enum Backend : int {
    kBackendAuto = 0,      // io_uring when available (and not disabled by TRIDENT_IO_URING=off)
    kBackendBlocking = 1,  // pwritev + fdatasync without io_uring (helper threads if window > 1)
  };

  // Opens (creating with mode 0644 if absent, never truncating) `path` read-write. Throws kIo when
  // it cannot be opened, kInvalidArgument for syncs_in_flight_max outside 1..64 or a bad backend.
  static GroupCommitFile* open(const char* path, int syncs_in_flight_max, int backend);

  // Takes ownership of an open descriptor (closed by the destructor); `name` is used in errors.
  static GroupCommitFile* adopt_fd(int fd, const char* name, int syncs_in_flight_max, int backend);

  // Waits for in-flight operations, then closes the descriptor. Never throws.
  ~GroupCommitFile();

  bool uses_io_uring() const;
  // Why this file does not use io_uring ("" when it does).
  const char* backend_reason() const;
  const char* path() const;
  int syncs_in_flight_max() const;

  // Requests durability of everything written to the file so far; returns the ticket.
  int64_t request_sync();

  // Writes `count` segments (0..; at most kWriteRunsPerRequestMax non-contiguous runs), then syncs.
  int64_t write_and_request_sync(const WriteSegment* segments, int32_t count);

  // One-segment form of write_and_request_sync (the shape the JNI mapping uses).
  int64_t write_one_and_request_sync(const void* data, int64_t offset, int64_t length);

  // Blocks until `ticket` (and every earlier one) is durable. kInvalidArgument for a ticket never
  // issued; kIo when the file failed before the ticket became durable.
  void await_durable(int64_t ticket);

  // request_sync() + await_durable().
  void sync();

  // request_sync() whose fdatasync needs to cover only [offset, offset + bytes) of the data (plus
  // the file's metadata, as always): with io_uring it neither writes nor waits for dirty pages
  // outside the range (IORING_OP_FSYNC with a range; a range of 4 GiB or more is synced from
  // `offset` to the end of the file), without it the whole file is synced. Same tickets, same
  // order. The caller promises that nothing it needs durable was written outside the range.
  // kInvalidArgument for offset < 0 or bytes <= 0.
  int64_t request_sync_range(int64_t offset, int64_t bytes);

  // request_sync_range() + await_durable().
  void sync_range(int64_t offset, int64_t bytes);

  // Highest durable ticket observed so far (0 = none); never blocks, never reaps.
  int64_t durable_ticket() const;
  // Highest ticket issued so far (0 = none).
  int64_t issued_ticket() const;

  // Makes [offset, offset + bytes) allocated, written and durable, so later writes there are
  // overwrites that fdatasync flushes without a metadata update (block allocation, size, extent
  // conversion: an ext4 journal commit, or an inode write on ext4 without a journal). Measured in
  // native/bench/group_commit_bench.md: 1.3-4.7x more pipelined syncs/s than appending.
  // Writes zeros only where the file has no data (holes, unwritten extents, past its end; found
  // with SEEK_HOLE/SEEK_DATA, which count unflushed mmap stores as data), so existing bytes never
  // change; extends the file to at least offset + bytes; then syncs them as a ticket of this
  // file's one pipeline (it takes the next ticket; its failure fails the file, so no writeback
  // error can be consumed by a sync outside the commit path). Blocking, and pays the
  // zero write-back (8 MiB took 20-140 ms here under load): call it in 1-2 MiB steps or off the
  // latency-critical path. Nothing may write into the range while this runs (call it ahead of
  // the append point). Readers see zeros past the logical end: records need their own framing.
  void preallocate(int64_t offset, int64_t bytes);

  // Zero pwrite size of the two-argument preallocate(): fastest to write, but the kernel may keep
  // each such write in the page cache as one large folio (ext4 on kernel 6.x), dirtied and
  // written back whole.
  static constexpr int32_t kZeroWriteBytesLarge = 1 << 20;
  // Zero pwrite size for a file written through a shared mmap (Chronicle Queue): one page per
  // pwrite leaves page-sized folios, so a store through the map dirties, and the next fdatasync
  // writes, only the pages it touched (measured: 255-410 KiB written per sync with 1 MiB zero
  // writes vs ~44 KiB with 4 KiB ones, for ~17 KiB records). Keep those pages cached: dropping
  // them (fadvise DONTNEED) and faulting them back in may bring large folios again.
  static constexpr int32_t kZeroWriteBytesPage = 4096;

  // preallocate() writing its zeros in pwrites of at most `zero_write_bytes` (1..1 MiB), each
  // ending on a multiple of zero_write_bytes (so 4096 writes whole pages). Same contract.
  void preallocate(int64_t offset, int64_t bytes, int32_t zero_write_bytes);

  // Bytes of zeros preallocate_beside_commits() writes before it starts their writeback.
  static constexpr int64_t kZeroWritebackStepBytes = 1 << 20;

  // preallocate(offset, bytes, kZeroWriteBytesPage) for a journal whose commits sync only the
  // range below `offset` (request_sync_range): the zeros never become a ticket, so no commit
  // waits behind them. Through a second descriptor of the file it writes the zeros page by page,
  // starts their writeback every kZeroWritebackStepBytes (sync_file_range WRITE), waits for all
  // of it, then fdatasyncs that descriptor: on return the range is allocated, written and
  // durable, as with preallocate(). The second descriptor has its own writeback-error cursor, so
  // it consumes no error a commit's sync must report; its own failure fails the file. Meant for
  // a background thread: commits may run concurrently (below `offset`); nothing may write into
  // the range while this runs.
  void preallocate_beside_commits(int64_t offset, int64_t bytes);

  GroupCommitStats stats() const;

 private:
  GroupCommitFile(int fd, const char* name, int syncs_in_flight_max, int backend);
  void fail_and_throw(const char* operation, int errno_value);
  static void check_preallocate_arguments(int64_t offset, int64_t bytes,
                                          int32_t zero_write_bytes);
  // Writes zeros over the holes of [offset, offset + bytes) and past the end of `fd`, in pwrites
  // of zero_write_bytes; with writeback_step_bytes > 0 starts the writeback of each such step.
  // Returns the bytes zeroed. Throws (failing the file) on an I/O error.
  int64_t zero_fill(int fd, int64_t offset, int64_t bytes, int32_t zero_write_bytes,
                    int64_t writeback_step_bytes);

  int fd_;
  std::unique_ptr<SyncPipeline> pipeline_;
};

// Frees a file returned by open()/adopt_fd() (the JNI mapping's delete).
void destroy_group_commit_file(GroupCommitFile* file);

// Whether this process can use io_uring for group commit: probed once (ring setup, opcode probe,
// one NOP round trip), and false when TRIDENT_IO_URING=off is set.
bool io_uring_available();
// Why not ("" when available), with what to do, e.g. "io_uring_setup: Operation not permitted
// (kernel.io_uring_disabled=2: set sysctl kernel.io_uring_disabled=0)".
const char* io_uring_unavailability_cause();

// The disk's limit, for benchmarks: appends `records_per_sync` records of `record_bytes` with one
// pwrite, requests an fdatasync (io_uring when available, else blocking), keeps up to
// `syncs_in_flight_max` syncs in flight, for `seconds`. Creates/truncates `path` and removes it at
// the end. With `preallocate_bytes` > 0 the file is zero-filled to that size and synced before the
// clock starts and appends wrap around inside it (pure overwrites); with 0 every append extends.
struct RawGroupCommitResult {
  double records_per_second;
  double syncs_per_second;
  double sync_latency_p50_micros;  // from the batch's pwrite to its sync's completion
  double sync_latency_p99_micros;
  int64_t records;
  int64_t syncs;
  bool used_io_uring;
};

RawGroupCommitResult raw_group_commit(const char* path, int32_t record_bytes,
                                      int32_t records_per_sync, int32_t syncs_in_flight_max,
                                      double seconds, int64_t preallocate_bytes);

// Array form for the JNI mapping: results[0..6] = records/s, syncs/s, p50 us, p99 us, records,
// syncs, used_io_uring (1/0).
void raw_group_commit_into(const char* path, int32_t record_bytes, int32_t records_per_sync,
                           int32_t syncs_in_flight_max, double seconds, int64_t preallocate_bytes,
                           double* results);

}  // namespace trident
