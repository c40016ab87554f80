// raw_group_commit: the disk's limit for a pwrite + fdatasync group commit, without any of the
// GroupCommitFile bookkeeping. Benchmarks compare the journal against it.
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "group_commit_pipeline.h"
#include "trident/error.h"

namespace trident {
namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kLatencySamplesMax = 20'000'000;

double micros_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::micro>(to - from).count();
}

double percentile(std::vector<double>& samples, double fraction) {
  if (samples.empty()) return 0.0;
  size_t rank = static_cast<size_t>(fraction * static_cast<double>(samples.size() - 1));
  std::nth_element(samples.begin(), samples.begin() + rank, samples.end());
  return samples[rank];
}

class RawRun {
 public:
  RawRun(const std::string& path, int64_t batch_bytes, int window)
      : path_(path), batch_(static_cast<size_t>(batch_bytes)), window_(window),
        start_times_(window) {
    for (size_t i = 0; i < batch_.size(); ++i) batch_[i] = static_cast<char>('a' + i % 26);
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) throw Error(ErrorKind::kIo, io_error_text(path, "open", errno));
  }

  // Pre-zeroes the wrap region (when asked) and sets up the ring; before the clock starts.
  void prepare(int64_t preallocate_bytes) {
    const int64_t batch_bytes = static_cast<int64_t>(batch_.size());
    if (preallocate_bytes > 0) {
      // Wrap region: a whole number of batches, zero-filled and durable before the clock starts.
      wrap_bytes_ = preallocate_bytes / batch_bytes * batch_bytes;
      std::vector<char> zeros(static_cast<size_t>(batch_bytes), 0);
      for (int64_t offset = 0; offset < wrap_bytes_; offset += batch_bytes) {
        check(pwrite(fd_, zeros.data(), zeros.size(), offset) == batch_bytes, "pwrite(zeros)");
      }
      check(fdatasync(fd_) == 0, "fdatasync");
    }
    use_io_uring_ = io_uring_available() && io_uring_queue_init(64, &ring_, 0) == 0;
  }

  ~RawRun() {
    if (use_io_uring_) io_uring_queue_exit(&ring_);
    if (fd_ >= 0) ::close(fd_);
    ::unlink(path_.c_str());
  }

  RawGroupCommitResult run(double seconds, int64_t records_per_sync) {
    const Clock::time_point begin = Clock::now();
    const Clock::time_point deadline =
        begin + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    int64_t sequence = 0;
    while (Clock::now() < deadline) {
      if (in_flight_ == window_) complete_one();
      start_times_[sequence % window_] = Clock::now();
      write_batch();
      if (use_io_uring_) {
        io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
        io_uring_prep_fsync(sqe, fd_, IORING_FSYNC_DATASYNC);
        sqe->user_data = static_cast<uint64_t>(sequence);
        check(io_uring_submit(&ring_) == 1, "io_uring_submit");
        ++in_flight_;
      } else {
        check(fdatasync(fd_) == 0, "fdatasync");
        record_latency(sequence);
      }
      ++sequence;
    }
    while (in_flight_ > 0) complete_one();
    const double elapsed_seconds = micros_between(begin, Clock::now()) / 1e6;
    RawGroupCommitResult result{};
    result.syncs = syncs_;
    result.records = syncs_ * records_per_sync;
    result.records_per_second = static_cast<double>(result.records) / elapsed_seconds;
    result.syncs_per_second = static_cast<double>(syncs_) / elapsed_seconds;
    result.sync_latency_p50_micros = percentile(latencies_micros_, 0.50);
    result.sync_latency_p99_micros = percentile(latencies_micros_, 0.99);
    result.used_io_uring = use_io_uring_;
    return result;
  }

 private:
  void check(bool ok, const char* operation) {
    if (!ok) throw Error(ErrorKind::kIo, io_error_text(path_, operation, errno));
  }

  void write_batch() {
    if (wrap_bytes_ > 0 && append_offset_ + static_cast<int64_t>(batch_.size()) > wrap_bytes_) {
      append_offset_ = 0;
    }
    check(pwrite(fd_, batch_.data(), batch_.size(), append_offset_) ==
              static_cast<ssize_t>(batch_.size()),
          "pwrite");
    append_offset_ += static_cast<int64_t>(batch_.size());
  }

  void complete_one() {
    io_uring_cqe* cqe = nullptr;
    int rc = io_uring_wait_cqe(&ring_, &cqe);
    if (rc < 0) throw Error(ErrorKind::kIo, io_error_text(path_, "io_uring_wait_cqe", -rc));
    const int result = cqe->res;
    const int64_t sequence = static_cast<int64_t>(cqe->user_data);
    io_uring_cqe_seen(&ring_, cqe);
    --in_flight_;
    if (result < 0) throw Error(ErrorKind::kIo, io_error_text(path_, "fdatasync", -result));
    record_latency(sequence);
  }

  void record_latency(int64_t sequence) {
    ++syncs_;
    if (latencies_micros_.size() < kLatencySamplesMax) {
      latencies_micros_.push_back(micros_between(start_times_[sequence % window_], Clock::now()));
    }
  }

  std::string path_;
  std::vector<char> batch_;
  const int window_;
  std::vector<Clock::time_point> start_times_;  // batch start, indexed by sequence % window_
  int fd_ = -1;
  int64_t wrap_bytes_ = 0;
  int64_t append_offset_ = 0;
  bool use_io_uring_ = false;
  io_uring ring_{};
  int in_flight_ = 0;
  int64_t syncs_ = 0;
  std::vector<double> latencies_micros_;
};

}  // namespace

RawGroupCommitResult raw_group_commit(const char* path, int32_t record_bytes,
                                      int32_t records_per_sync, int32_t syncs_in_flight_max,
                                      double seconds, int64_t preallocate_bytes) {
  TRIDENT_GUARD("raw_group_commit", {
    TRIDENT_CHECK(path != nullptr && path[0] != '\0', ErrorKind::kInvalidArgument,
                  "path must not be empty");
    TRIDENT_CHECK(record_bytes > 0 && records_per_sync > 0 &&
                      static_cast<int64_t>(record_bytes) * records_per_sync <= (64 << 20),
                  ErrorKind::kInvalidArgument,
                  "record_bytes and records_per_sync must be > 0, batch at most 64 MiB");
    TRIDENT_CHECK(syncs_in_flight_max >= 1 &&
                      syncs_in_flight_max <= GroupCommitFile::kSyncsInFlightMax,
                  ErrorKind::kInvalidArgument, "syncs_in_flight_max must be in 1..64");
    TRIDENT_CHECK(seconds > 0 && seconds <= 3600, ErrorKind::kInvalidArgument,
                  "seconds must be in (0, 3600]");
    const int64_t batch_bytes = static_cast<int64_t>(record_bytes) * records_per_sync;
    TRIDENT_CHECK(preallocate_bytes == 0 || preallocate_bytes >= batch_bytes,
                  ErrorKind::kInvalidArgument, "preallocate_bytes must be 0 or >= one batch");
    RawRun run(path, batch_bytes, syncs_in_flight_max);
    run.prepare(preallocate_bytes);
    return run.run(seconds, records_per_sync);
  });
}

void raw_group_commit_into(const char* path, int32_t record_bytes, int32_t records_per_sync,
                           int32_t syncs_in_flight_max, double seconds, int64_t preallocate_bytes,
                           double* results) {
  TRIDENT_CHECK(results != nullptr, ErrorKind::kInvalidArgument, "results must not be null");
  RawGroupCommitResult result = raw_group_commit(path, record_bytes, records_per_sync,
                                                 syncs_in_flight_max, seconds, preallocate_bytes);
  results[0] = result.records_per_second;
  results[1] = result.syncs_per_second;
  results[2] = result.sync_latency_p50_micros;
  results[3] = result.sync_latency_p99_micros;
  results[4] = static_cast<double>(result.records);
  results[5] = static_cast<double>(result.syncs);
  results[6] = result.used_io_uring ? 1.0 : 0.0;
}
}  // namespace trident
