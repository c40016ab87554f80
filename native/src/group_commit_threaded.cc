// The fallback pipeline for syncs_in_flight_max >= 2: pwritev on the calling thread, fdatasync on
// up to `window` helper threads (started on demand), so syncs overlap as they do through
// io_uring's workers. Tickets still become durable strictly in order.
//
// Locking: mutex_ guards every field below it. I/O (pwritev, fdatasync) runs without the lock.
// A sync for ticket t starts only after t's writes returned, so it covers them; durability is the
// contiguous prefix of completed tickets, as in the io_uring pipeline.
#include <condition_variable>
#include <deque>
#include <mutex>
#include <system_error>
#include <thread>

#include "group_commit_pipeline.h"
#include "trident/error.h"

namespace trident {
namespace {

class ThreadedPipeline final : public SyncPipeline {
 public:
  ThreadedPipeline(int fd, std::string name, std::string backend_reason, int window)
      : SyncPipeline(std::move(name), std::move(backend_reason)), fd_(fd), window_(window),
        completed_ticket_(window, 0) {}

  ~ThreadedPipeline() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;  // workers finish the queued syncs first
    }
    work_ready_.notify_all();
    for (std::thread& worker : workers_) worker.join();
  }

  int64_t submit(std::vector<WriteRun> runs) override {
    std::unique_lock<std::mutex> lock(mutex_);
    throw_failure_locked();
    progress_.wait(lock, [&] { return !failure_.empty() || issued_ - durable_ < window_; });
    throw_failure_locked();
    const int64_t ticket = ++issued_;
    lock.unlock();
    int error = 0;
    int64_t short_writes = 0;
    int64_t bytes = 0;
    for (WriteRun& run : runs) {
      const int64_t run_bytes = run.remaining_bytes;
      error = write_run_blocking(fd_, run, &short_writes);
      if (error != 0) break;
      bytes += run_bytes;
    }
    lock.lock();
    short_writes_resumed_ += short_writes;
    bytes_written_ += bytes;
    if (error != 0) {
      record_failure(io_error_text(name(), "pwritev", error));
      throw_failure_locked();
    }
    queue_.push_back(ticket);
    if (idle_workers_ == 0 && static_cast<int>(workers_.size()) < window_) {
      try {
        workers_.emplace_back([this] { work(); });
      } catch (const std::system_error& e) {
        if (workers_.empty()) {  // nobody would ever sync this ticket
          record_failure(name() + ": cannot start a sync thread: " + e.what());
          throw_failure_locked();
        }
      }
    }
    work_ready_.notify_one();
    return ticket;
  }

  void await(int64_t ticket) override {
    std::unique_lock<std::mutex> lock(mutex_);
    TRIDENT_CHECK(ticket >= 0 && ticket <= issued_, ErrorKind::kInvalidArgument,
                  "ticket " + std::to_string(ticket) + " was never issued (last issued " +
                      std::to_string(issued_) + ")");
    progress_.wait(lock, [&] { return durable_ >= ticket || !failure_.empty(); });
    if (durable_ < ticket) throw_failure_locked();
  }

  int64_t durable_ticket() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    return durable_;
  }

  int64_t issued_ticket() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    return issued_;
  }

  bool uses_io_uring() const override { return false; }

  void fail(const std::string& message) override {
    std::lock_guard<std::mutex> lock(mutex_);
    record_failure(message);
  }

  void throw_if_failed() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    throw_failure_locked();
  }

  GroupCommitStats stats() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    return GroupCommitStats{syncs_completed_, short_writes_resumed_, bytes_written_,
                            bytes_preallocated_};
  }

  void add_preallocated_bytes(int64_t bytes) override {
    std::lock_guard<std::mutex> lock(mutex_);
    bytes_preallocated_ += bytes;
  }

 private:
  void record_failure(const std::string& message) {
    if (failure_.empty()) failure_ = message;
    progress_.notify_all();
  }

  void throw_failure_locked() const {
    if (!failure_.empty()) throw Error(ErrorKind::kIo, failure_);
  }

  // Worker loop: one fdatasync per queued ticket; exits when stopping and the queue is empty.
  // Never throws (a worker thread has no caller to report to): failures go to failure_.
  void work() noexcept {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      ++idle_workers_;
      work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      --idle_workers_;
      if (queue_.empty()) return;
      const int64_t ticket = queue_.front();
      queue_.pop_front();
      lock.unlock();
      const int error = fdatasync_blocking(fd_);
      lock.lock();
      try {
        if (error != 0) {
          record_failure(io_error_text(name(), "fdatasync", error));
        } else {
          ++syncs_completed_;
          completed_ticket_[ticket % window_] = ticket;
          while (durable_ < issued_ &&
                 completed_ticket_[(durable_ + 1) % window_] == durable_ + 1) {
            ++durable_;
          }
        }
      } catch (...) {
        if (failure_.empty()) failure_ = "group commit worker: out of memory";
      }
      progress_.notify_all();
    }
  }

  const int fd_;
  const int window_;
  mutable std::mutex mutex_;
  std::condition_variable work_ready_;  // queue_ gained a ticket, or stopping_
  std::condition_variable progress_;    // durable_ advanced or failure_ was set
  std::vector<std::thread> workers_;    // at most window_
  std::deque<int64_t> queue_;           // tickets written, waiting for their fdatasync
  std::vector<int64_t> completed_ticket_;  // ticket t's sync done: completed_ticket_[t % window_]
  int idle_workers_ = 0;
  bool stopping_ = false;
  int64_t issued_ = 0;
  int64_t durable_ = 0;
  std::string failure_;
  int64_t syncs_completed_ = 0;
  int64_t short_writes_resumed_ = 0;
  int64_t bytes_written_ = 0;
  int64_t bytes_preallocated_ = 0;
};

}  // namespace

std::unique_ptr<SyncPipeline> make_threaded_pipeline(int fd, std::string name,
                                                     std::string backend_reason, int window) {
  return std::make_unique<ThreadedPipeline>(fd, std::move(name), std::move(backend_reason),
                                            window);
}

}  // namespace trident
