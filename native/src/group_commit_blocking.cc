// The fallback pipeline for syncs_in_flight_max == 1: pwritev + fdatasync on the calling thread,
// serialised by one mutex, so each ticket is durable when its request returns and tickets
// complete in order (a helper thread would only add a hand-off; see group_commit_threaded.cc).
#include <atomic>
#include <mutex>

#include "group_commit_pipeline.h"
#include "trident/error.h"

namespace trident {
namespace {

class BlockingPipeline final : public SyncPipeline {
 public:
  BlockingPipeline(int fd, std::string name, std::string backend_reason)
      : SyncPipeline(std::move(name), std::move(backend_reason)), fd_(fd) {}

  int64_t submit(std::vector<WriteRun> runs, SyncRange /*range: whole file*/) override {
    std::lock_guard<std::mutex> lock(io_mutex_);
    throw_if_failed();
    const int64_t ticket = issued_.load() + 1;
    issued_.store(ticket);
    for (WriteRun& run : runs) {
      const int64_t run_bytes = run.remaining_bytes;
      int64_t short_writes = 0;
      int error = write_run_blocking(fd_, run, &short_writes);
      short_writes_resumed_.fetch_add(short_writes);
      if (error != 0) fail_and_throw("pwritev", error);
      bytes_written_.fetch_add(run_bytes);
    }
    if (int error = fdatasync_blocking(fd_)) fail_and_throw("fdatasync", error);
    syncs_completed_.fetch_add(1);
    durable_.store(ticket);
    return ticket;
  }

  void await(int64_t ticket) override {
    TRIDENT_CHECK(ticket >= 0 && ticket <= issued_.load(), ErrorKind::kInvalidArgument,
                  "ticket " + std::to_string(ticket) + " was never issued (last issued " +
                      std::to_string(issued_.load()) + ")");
    if (durable_.load() >= ticket) return;
    throw_if_failed();
    // Issued but not durable and not failed: its request is still running on another thread.
    std::lock_guard<std::mutex> lock(io_mutex_);
    if (durable_.load() < ticket) throw_if_failed();
  }

  int64_t durable_ticket() const override { return durable_.load(); }
  int64_t issued_ticket() const override { return issued_.load(); }
  bool uses_io_uring() const override { return false; }

  void fail(const std::string& message) override {
    std::lock_guard<std::mutex> lock(failure_mutex_);
    if (failure_.empty()) failure_ = message;
  }

  void throw_if_failed() const override {
    std::lock_guard<std::mutex> lock(failure_mutex_);
    if (!failure_.empty()) throw Error(ErrorKind::kIo, failure_);
  }

  GroupCommitStats stats() const override {
    return GroupCommitStats{syncs_completed_.load(), short_writes_resumed_.load(),
                            bytes_written_.load(), bytes_preallocated_.load()};
  }

  void add_preallocated_bytes(int64_t bytes) override { bytes_preallocated_.fetch_add(bytes); }

 private:
  [[noreturn]] void fail_and_throw(const char* operation, int errno_value) {
    std::string message = io_error_text(name(), operation, errno_value);
    fail(message);
    throw Error(ErrorKind::kIo, message);
  }

  const int fd_;
  std::mutex io_mutex_;  // held for a whole request: write + fdatasync
  mutable std::mutex failure_mutex_;
  std::string failure_;
  std::atomic<int64_t> issued_{0};
  std::atomic<int64_t> durable_{0};
  std::atomic<int64_t> syncs_completed_{0};
  std::atomic<int64_t> short_writes_resumed_{0};
  std::atomic<int64_t> bytes_written_{0};
  std::atomic<int64_t> bytes_preallocated_{0};
};

}  // namespace

std::unique_ptr<SyncPipeline> make_blocking_pipeline(int fd, std::string name,
                                                     std::string backend_reason) {
  return std::make_unique<BlockingPipeline>(fd, std::move(name), std::move(backend_reason));
}

}  // namespace trident
