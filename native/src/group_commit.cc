// GroupCommitFile: opening, backend choice, preallocation; tickets live in the pipelines.
#include "trident/group_commit.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "group_commit_pipeline.h"
#include "trident/error.h"

namespace trident {
namespace {

void check_open_arguments(int syncs_in_flight_max, int backend) {
  TRIDENT_CHECK(syncs_in_flight_max >= 1 &&
                    syncs_in_flight_max <= GroupCommitFile::kSyncsInFlightMax,
                ErrorKind::kInvalidArgument,
                "syncs_in_flight_max must be in 1.." +
                    std::to_string(GroupCommitFile::kSyncsInFlightMax) + ", got " +
                    std::to_string(syncs_in_flight_max));
  TRIDENT_CHECK(backend == GroupCommitFile::kBackendAuto ||
                    backend == GroupCommitFile::kBackendBlocking,
                ErrorKind::kInvalidArgument, "unknown backend " + std::to_string(backend));
}

// Writes zeros to [begin, end) with pwrites that each end on a multiple of `chunk_bytes` (or at
// `end`); returns 0 or errno.
int write_zeros(int fd, int64_t begin, int64_t end, int64_t chunk_bytes) {
  static const std::vector<char> zeros(GroupCommitFile::kZeroWriteBytesLarge, 0);
  while (begin < end) {
    int64_t chunk_end = std::min(end, (begin / chunk_bytes + 1) * chunk_bytes);
    ssize_t written = pwrite(fd, zeros.data(), static_cast<size_t>(chunk_end - begin), begin);
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (written == 0) return EIO;
    begin += written;
  }
  return 0;
}

}  // namespace

GroupCommitFile* GroupCommitFile::open(const char* path, int syncs_in_flight_max, int backend) {
  TRIDENT_GUARD("GroupCommitFile::open", {
    TRIDENT_CHECK(path != nullptr && path[0] != '\0', ErrorKind::kInvalidArgument,
                  "path must not be empty");
    check_open_arguments(syncs_in_flight_max, backend);
    int fd = ::open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) throw Error(ErrorKind::kIo, io_error_text(path, "open", errno));
    return adopt_fd(fd, path, syncs_in_flight_max, backend);
  });
}

GroupCommitFile* GroupCommitFile::adopt_fd(int fd, const char* name, int syncs_in_flight_max,
                                           int backend) {
  TRIDENT_GUARD("GroupCommitFile::adopt_fd", {
    try {
      check_open_arguments(syncs_in_flight_max, backend);
      TRIDENT_CHECK(fd >= 0, ErrorKind::kInvalidArgument, "fd must be >= 0");
      return new GroupCommitFile(fd, name == nullptr ? "fd" : name, syncs_in_flight_max, backend);
    } catch (...) {
      if (fd >= 0) ::close(fd);
      throw;
    }
  });
}

GroupCommitFile::GroupCommitFile(int fd, const char* name, int syncs_in_flight_max, int backend)
    : fd_(fd) {
  std::string reason;
  if (backend == kBackendBlocking) {
    reason = "blocking backend requested";
  } else if (!io_uring_available()) {
    reason = io_uring_unavailability_cause();
  } else {
    pipeline_ = make_io_uring_pipeline(fd, name, syncs_in_flight_max, &reason);
  }
  if (!pipeline_ && syncs_in_flight_max > 1) {
    pipeline_ = make_threaded_pipeline(fd, name, reason, syncs_in_flight_max);
  } else if (!pipeline_) {
    pipeline_ = make_blocking_pipeline(fd, name, reason);
  }
}

GroupCommitFile::~GroupCommitFile() {
  pipeline_.reset();  // drains in-flight operations before the descriptor goes away
  ::close(fd_);
}

void destroy_group_commit_file(GroupCommitFile* file) { delete file; }

bool GroupCommitFile::uses_io_uring() const { return pipeline_->uses_io_uring(); }
const char* GroupCommitFile::backend_reason() const { return pipeline_->backend_reason().c_str(); }
const char* GroupCommitFile::path() const { return pipeline_->name().c_str(); }
int64_t GroupCommitFile::durable_ticket() const { return pipeline_->durable_ticket(); }
int64_t GroupCommitFile::issued_ticket() const { return pipeline_->issued_ticket(); }
GroupCommitStats GroupCommitFile::stats() const { return pipeline_->stats(); }

int64_t GroupCommitFile::request_sync() {
  TRIDENT_GUARD("GroupCommitFile::request_sync",
                { return pipeline_->submit({}, SyncRange{}); });
}

int64_t GroupCommitFile::write_and_request_sync(const WriteSegment* segments, int32_t count) {
  TRIDENT_GUARD("GroupCommitFile::write_and_request_sync",
                { return pipeline_->submit(group_write_runs(segments, count), SyncRange{}); });
}

int64_t GroupCommitFile::write_one_and_request_sync(const void* data, int64_t offset,
                                                    int64_t length) {
  WriteSegment segment{data, offset, length};
  return write_and_request_sync(&segment, 1);
}

void GroupCommitFile::await_durable(int64_t ticket) {
  TRIDENT_GUARD("GroupCommitFile::await_durable", { pipeline_->await(ticket); });
}

void GroupCommitFile::sync() { await_durable(request_sync()); }

void GroupCommitFile::fail_and_throw(const char* operation, int errno_value) {
  std::string message = io_error_text(pipeline_->name(), operation, errno_value);
  pipeline_->fail(message);
  throw Error(ErrorKind::kIo, message);
}

void GroupCommitFile::preallocate(int64_t offset, int64_t bytes) {
  preallocate(offset, bytes, kZeroWriteBytesLarge);
}

void GroupCommitFile::preallocate(int64_t offset, int64_t bytes, int32_t zero_write_bytes) {
  TRIDENT_GUARD("GroupCommitFile::preallocate", {
    check_preallocate_arguments(offset, bytes, zero_write_bytes);
    pipeline_->throw_if_failed();
    if (bytes == 0) return;
    const int64_t zeroed = zero_fill(fd_, offset, bytes, zero_write_bytes, 0);
    if (zeroed > 0) {
      // One fdatasync path per file: the zeros are made durable by a ticket of the same pipeline
      // as every commit. Linux reports a writeback error once per open file, so a sync of its own
      // here could swallow the error of a commit's pages while that commit's sync succeeds; as a
      // ticket, its failure fails the file and every ticket not durable before it.
      pipeline_->await(pipeline_->submit({}, SyncRange{}));
      pipeline_->add_preallocated_bytes(zeroed);
    }
  });
}

void GroupCommitFile::preallocate_beside_commits(int64_t offset, int64_t bytes) {
  TRIDENT_GUARD("GroupCommitFile::preallocate_beside_commits", {
    check_preallocate_arguments(offset, bytes, kZeroWriteBytesPage);
    pipeline_->throw_if_failed();
    if (bytes == 0) return;
    // A descriptor of its own (a new open file description of the same inode): its writeback
    // error cursor is separate, so the sync_file_range/fdatasync below consume no error that the
    // commit descriptor's next fdatasync must report. A failure here fails the file as well.
    const std::string self = "/proc/self/fd/" + std::to_string(fd_);
    int zero_fd = ::open(self.c_str(), O_RDWR | O_CLOEXEC);
    if (zero_fd < 0) fail_and_throw("open(zeroing descriptor)", errno);
    int64_t zeroed = 0;
    try {
      zeroed = zero_fill(zero_fd, offset, bytes, kZeroWriteBytesPage, kZeroWritebackStepBytes);
      if (zeroed > 0) {
        if (sync_file_range(zero_fd, offset, bytes,
                            SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
                                SYNC_FILE_RANGE_WAIT_AFTER) != 0) {
          fail_and_throw("sync_file_range(zeros)", errno);
        }
        if (int error = fdatasync_blocking(zero_fd)) fail_and_throw("fdatasync(zeros)", error);
      }
    } catch (...) {
      ::close(zero_fd);
      throw;
    }
    ::close(zero_fd);
    pipeline_->add_preallocated_bytes(zeroed);
  });
}

int64_t GroupCommitFile::request_sync_range(int64_t offset, int64_t bytes) {
  TRIDENT_GUARD("GroupCommitFile::request_sync_range", {
    TRIDENT_CHECK(offset >= 0 && bytes > 0 && offset <= INT64_MAX - bytes,
                  ErrorKind::kInvalidArgument,
                  "request_sync_range: offset must be >= 0 and bytes > 0, got " +
                      std::to_string(offset) + ", " + std::to_string(bytes));
    return pipeline_->submit({}, SyncRange{offset, bytes});
  });
}

void GroupCommitFile::sync_range(int64_t offset, int64_t bytes) {
  await_durable(request_sync_range(offset, bytes));
}

void GroupCommitFile::check_preallocate_arguments(int64_t offset, int64_t bytes,
                                                  int32_t zero_write_bytes) {
  TRIDENT_CHECK(offset >= 0 && bytes >= 0 && offset <= INT64_MAX - bytes,
                ErrorKind::kInvalidArgument, "preallocate: offset and bytes must be >= 0");
  TRIDENT_CHECK(zero_write_bytes >= 1 && zero_write_bytes <= kZeroWriteBytesLarge,
                ErrorKind::kInvalidArgument,
                "preallocate: zero_write_bytes must be in 1.." +
                    std::to_string(kZeroWriteBytesLarge) + ", got " +
                    std::to_string(zero_write_bytes));
}

int64_t GroupCommitFile::zero_fill(int fd, int64_t offset, int64_t bytes,
                                   int32_t zero_write_bytes, int64_t writeback_step_bytes) {
  const int64_t end = offset + bytes;
  struct stat status;
  if (fstat(fd, &status) != 0) fail_and_throw("fstat", errno);
  const int64_t size = status.st_size;
  int64_t zeroed = 0;
  auto fill = [&](int64_t begin, int64_t fill_end) {
    // In steps, so that (with writeback_step_bytes > 0) each step's writeback starts while the
    // next one is written, rather than all of it at the final wait.
    const int64_t step = writeback_step_bytes > 0 ? writeback_step_bytes : fill_end - begin;
    for (int64_t at = begin; at < fill_end; at += step) {
      const int64_t step_end = std::min(fill_end, at + step);
      if (int error = write_zeros(fd, at, step_end, zero_write_bytes)) {
        fail_and_throw("pwrite(zeros)", error);
      }
      if (writeback_step_bytes > 0 &&
          sync_file_range(fd, at, step_end - at, SYNC_FILE_RANGE_WRITE) != 0) {
        fail_and_throw("sync_file_range(zeros)", errno);
      }
      zeroed += step_end - at;
    }
  };
  // Inside the current size: zero only the holes (reads as zeros already, so no byte changes).
  int64_t position = offset;
  while (position < std::min(end, size)) {
    off_t hole = lseek(fd, position, SEEK_HOLE);
    if (hole < 0) fail_and_throw("lseek(SEEK_HOLE)", errno);
    if (hole >= std::min(end, size)) break;
    off_t data = lseek(fd, hole, SEEK_DATA);
    if (data < 0 && errno != ENXIO) fail_and_throw("lseek(SEEK_DATA)", errno);
    int64_t hole_end = std::min<int64_t>(data < 0 ? size : data, std::min(end, size));
    fill(hole, hole_end);
    position = hole_end;
  }
  // Past the end: extend with written zeros. fallocate's unwritten extents would still change
  // metadata on the first write into each of them (group_commit_bench.md: zeros beat fallocate).
  if (end > size) fill(std::max(offset, size), end);
  return zeroed;
}

}  // namespace trident
