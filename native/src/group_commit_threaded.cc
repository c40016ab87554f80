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

class ThreadedPipeline final : public LockedSyncPipeline {
 public:
  ThreadedPipeline(int fd, std::string name, std::string backend_reason, int window)
      : LockedSyncPipeline(std::move(name), std::move(backend_reason)), fd_(fd), window_(window),
        completed_ticket_(window, 0) {}

  ~ThreadedPipeline() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;  // workers finish the queued syncs first
    }
    work_ready_.notify_all();
    for (std::thread& worker : workers_) worker.join();
  }

  int64_t submit(std::vector<WriteRun> runs, SyncRange /*range: whole file*/) override {
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
    check_issued_locked(ticket);
    progress_.wait(lock, [&] { return durable_ >= ticket || !failure_.empty(); });
    if (durable_ < ticket) throw_failure_locked();
  }

  bool uses_io_uring() const override { return false; }

 private:
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
  std::condition_variable work_ready_;  // queue_ gained a ticket, or stopping_
  std::vector<std::thread> workers_;    // at most window_
  std::deque<int64_t> queue_;           // tickets written, waiting for their fdatasync
  std::vector<int64_t> completed_ticket_;  // ticket t's sync done: completed_ticket_[t % window_]
  int idle_workers_ = 0;
  bool stopping_ = false;
};

}  // namespace

std::unique_ptr<SyncPipeline> make_threaded_pipeline(int fd, std::string name,
                                                     std::string backend_reason, int window) {
  return std::make_unique<ThreadedPipeline>(fd, std::move(name), std::move(backend_reason),
                                            window);
}

}  // namespace trident
