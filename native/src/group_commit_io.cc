// Helpers shared by the group commit pipelines: write-run grouping and blocking I/O loops.
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "group_commit_pipeline.h"
#include "trident/error.h"

namespace trident {

void WriteRun::advance(int64_t bytes) {
  remaining_bytes -= bytes;
  offset += bytes;
  while (bytes > 0 && first_iov < iov.size()) {
    iovec& current = iov[first_iov];
    if (static_cast<int64_t>(current.iov_len) <= bytes) {
      bytes -= static_cast<int64_t>(current.iov_len);
      current.iov_len = 0;
      ++first_iov;
    } else {
      current.iov_base = static_cast<char*>(current.iov_base) + bytes;
      current.iov_len -= static_cast<size_t>(bytes);
      bytes = 0;
    }
  }
  while (first_iov < iov.size() && iov[first_iov].iov_len == 0) ++first_iov;
}

std::vector<WriteRun> group_write_runs(const WriteSegment* segments, int32_t count) {
  TRIDENT_CHECK(count >= 0, ErrorKind::kInvalidArgument, "segment count must be >= 0");
  TRIDENT_CHECK(count == 0 || segments != nullptr, ErrorKind::kInvalidArgument,
                "segments must not be null");
  std::vector<WriteRun> runs;
  for (int32_t i = 0; i < count; ++i) {
    const WriteSegment& segment = segments[i];
    TRIDENT_CHECK(segment.offset >= 0 && segment.length >= 0, ErrorKind::kInvalidArgument,
                  "segment " + std::to_string(i) + ": offset and length must be >= 0");
    if (segment.length == 0) continue;
    TRIDENT_CHECK(segment.data != nullptr, ErrorKind::kInvalidArgument,
                  "segment " + std::to_string(i) + ": data must not be null");
    bool extends_last = !runs.empty() &&
                        runs.back().offset + runs.back().remaining_bytes == segment.offset &&
                        runs.back().iov.size() < IOV_MAX;
    if (!extends_last) {
      TRIDENT_CHECK(static_cast<int>(runs.size()) < GroupCommitFile::kWriteRunsPerRequestMax,
                    ErrorKind::kInvalidArgument,
                    "more than " + std::to_string(GroupCommitFile::kWriteRunsPerRequestMax) +
                        " non-contiguous write runs in one request");
      runs.emplace_back();
      runs.back().offset = segment.offset;
    }
    runs.back().iov.push_back(
        iovec{const_cast<void*>(segment.data), static_cast<size_t>(segment.length)});
    runs.back().remaining_bytes += segment.length;
  }
  return runs;
}

std::string io_error_text(const std::string& name, const char* operation, int errno_value) {
  char buffer[128];
  const char* text = strerror_r(errno_value, buffer, sizeof buffer);
  return name + ": " + operation + ": " + text;
}

int write_run_blocking(int fd, WriteRun& run, int64_t* short_writes_resumed) {
  while (run.remaining_bytes > 0) {
    ssize_t written = pwritev(fd, run.iov.data() + run.first_iov, run.iov_count(), run.offset);
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (written == 0) return EIO;  // no progress: never spin
    if (written < run.remaining_bytes) ++*short_writes_resumed;
    run.advance(written);
  }
  return 0;
}

int fdatasync_blocking(int fd) {
  while (fdatasync(fd) != 0) {
    if (errno != EINTR) return errno;
  }
  return 0;
}

}  // namespace trident
