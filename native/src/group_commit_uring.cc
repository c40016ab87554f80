// The io_uring pipeline: each request is one chain "writev -> ... -> fsync(DATASYNC)" linked with
// IOSQE_IO_LINK; up to `window` tickets in flight; completions (which the kernel may post out of
// order) are folded into an in-order durable ticket.
//
// Locking: mutex_ guards the submission queue and all bookkeeping. Completions are reaped by one
// waiting thread at a time (reaping_), which blocks in io_uring_wait_cqe with mutex_ released —
// liburing allows one thread on the completion queue while another submits — then handles every
// ready completion under mutex_ and wakes the other waiters.
#include <errno.h>
#include <liburing.h>

#include <condition_variable>
#include <mutex>

#include "group_commit_pipeline.h"
#include "trident/error.h"

namespace trident {
namespace {

constexpr unsigned kRingEntries = 256;  // >= kWriteRunsPerRequestMax + 1 SQEs for one chain
constexpr uint64_t kSyncOpIndex = 0xFFFF;
constexpr int kResubmissionsMax = 1000;  // per ticket; a chain that never completes is an error

struct TicketSlot {
  int64_t ticket = 0;
  std::vector<WriteRun> runs;
  SyncRange range;
  int ops_outstanding = 0;
  bool sync_succeeded = false;
  bool complete = false;
  int resubmissions = 0;
};

class IoUringPipeline final : public LockedSyncPipeline {
 public:
  IoUringPipeline(int fd, std::string name, int window)
      : LockedSyncPipeline(std::move(name), ""), fd_(fd), window_(window), slots_(window) {}

  // Sets up the ring in place; returns 0 or -errno. Called once, before any other method.
  int init_ring() {
    int rc = io_uring_queue_init(kRingEntries, &ring_, 0);
    ring_ready_ = rc == 0;
    return rc;
  }

  ~IoUringPipeline() override {
    if (!ring_ready_) return;
    std::unique_lock<std::mutex> lock(mutex_);
    // Drain: the kernel may still read caller buffers or write the file.
    while (ops_outstanding_ > 0 || reaping_) {
      if (!reaping_) {
        reap_once(lock);
      } else {
        progress_.wait(lock);
      }
    }
    io_uring_queue_exit(&ring_);
  }

  int64_t submit(std::vector<WriteRun> runs, SyncRange range) override {
    std::unique_lock<std::mutex> lock(mutex_);
    throw_failure_locked();
    const int chain_ops = static_cast<int>(runs.size()) + 1;
    wait_until(lock, [&] {
      return issued_ - durable_ < window_ && ops_outstanding_ + chain_ops <= cq_entries();
    });
    const int64_t ticket = ++issued_;
    TicketSlot& slot = slots_[ticket % window_];
    slot = TicketSlot{};
    slot.ticket = ticket;
    slot.runs = std::move(runs);
    slot.range = range;
    for (const WriteRun& run : slot.runs) bytes_written_ += run.remaining_bytes;
    queue_chain(slot);
    submit_queued();
    throw_failure_locked();
    return ticket;
  }

  void await(int64_t ticket) override {
    std::unique_lock<std::mutex> lock(mutex_);
    check_issued_locked(ticket);
    wait_until(lock, [&] { return durable_ >= ticket; });
  }

  bool uses_io_uring() const override { return true; }

 private:
  int cq_entries() const { return static_cast<int>(ring_.cq.ring_entries); }

  // Blocks until ready() holds, reaping completions when no other thread is. Throws the file's
  // failure if it fails first.
  template <typename Ready>
  void wait_until(std::unique_lock<std::mutex>& lock, Ready ready) {
    while (!ready()) {
      throw_failure_locked();
      if (!reaping_) {
        TRIDENT_CHECK(ops_outstanding_ > 0, ErrorKind::kInternal,
                      name() + ": waiting with no operation in flight");
        reap_once(lock);
      } else {
        progress_.wait(lock);
      }
    }
  }

  // Waits for at least one completion (mutex_ released meanwhile), then handles all ready ones.
  void reap_once(std::unique_lock<std::mutex>& lock) {
    reaping_ = true;
    lock.unlock();
    io_uring_cqe* cqe = nullptr;
    int rc = io_uring_wait_cqe(&ring_, &cqe);
    lock.lock();
    reaping_ = false;
    if (rc < 0 && rc != -EINTR && rc != -EAGAIN) {
      record_failure(io_error_text(name(), "io_uring_wait_cqe", -rc));
      // Without the completion queue nothing in flight can be tracked any more.
      ops_outstanding_ = 0;
    }
    unsigned handled = 0;
    while (io_uring_peek_cqe(&ring_, &cqe) == 0) {
      const uint64_t user_data = cqe->user_data;
      const int result = cqe->res;
      io_uring_cqe_seen(&ring_, cqe);
      handle_completion(user_data, result);
      ++handled;
    }
    if (handled > 0) submit_queued();
    progress_.notify_all();
  }

  void handle_completion(uint64_t user_data, int result) {
    const int64_t ticket = static_cast<int64_t>(user_data >> 16);
    const uint64_t op_index = user_data & 0xFFFF;
    TicketSlot& slot = slots_[ticket % window_];
    --ops_outstanding_;
    --slot.ops_outstanding;
    if (op_index == kSyncOpIndex) {
      if (result == 0) {
        slot.sync_succeeded = true;
        ++syncs_completed_;
      } else if (result != -ECANCELED && result != -EINTR && result != -EAGAIN) {
        record_failure(io_error_text(name(), "fdatasync", -result));
      }
    } else {
      WriteRun& run = slot.runs[op_index];
      if (result > 0) {
        if (result < run.remaining_bytes) ++short_writes_resumed_;
        run.advance(result);
      } else if (result == 0 && run.remaining_bytes > 0) {
        record_failure(name() + ": pwritev: no progress writing " +
                       std::to_string(run.remaining_bytes) + " bytes at offset " +
                       std::to_string(run.offset));
      } else if (result < 0 && result != -ECANCELED && result != -EINTR && result != -EAGAIN) {
        record_failure(io_error_text(name(), "pwritev", -result) + " (writing " +
                       std::to_string(run.remaining_bytes) + " bytes at offset " +
                       std::to_string(run.offset) + ")");
      }
    }
    if (slot.ops_outstanding > 0 || !failure_.empty()) return;
    bool writes_done = true;
    for (const WriteRun& run : slot.runs) writes_done = writes_done && run.remaining_bytes == 0;
    if (writes_done && slot.sync_succeeded) {
      slot.complete = true;
      advance_durable();
    } else if (++slot.resubmissions > kResubmissionsMax) {
      record_failure(name() + ": ticket " + std::to_string(ticket) + " incomplete after " +
                     std::to_string(kResubmissionsMax) + " resubmissions");
    } else {
      queue_chain(slot);  // short write or interrupted chain: resubmit what is left, then sync
    }
  }

  void advance_durable() {
    while (durable_ < issued_) {
      const TicketSlot& next = slots_[(durable_ + 1) % window_];
      if (next.ticket != durable_ + 1 || !next.complete) break;
      ++durable_;
    }
  }

  // Queues the slot's unfinished writes and its sync as one linked chain (not yet submitted).
  void queue_chain(TicketSlot& slot) {
    for (size_t i = 0; i < slot.runs.size(); ++i) {
      WriteRun& run = slot.runs[i];
      if (run.remaining_bytes == 0) continue;
      io_uring_sqe* sqe = next_sqe();
      io_uring_prep_writev(sqe, fd_, run.iov.data() + run.first_iov,
                           static_cast<unsigned>(run.iov_count()), static_cast<__u64>(run.offset));
      sqe->flags |= IOSQE_IO_LINK;
      sqe->user_data = (static_cast<uint64_t>(slot.ticket) << 16) | i;
      ++slot.ops_outstanding;
      ++ops_outstanding_;
    }
    io_uring_sqe* sqe = next_sqe();
    io_uring_prep_fsync(sqe, fd_, IORING_FSYNC_DATASYNC);
    // The fsync op's length is 32 bits, 0 meaning "to the end of the file": a longer range is
    // synced from its offset to the end.
    if (slot.range.bytes > 0) {
      sqe->off = static_cast<__u64>(slot.range.offset);
      sqe->len = slot.range.bytes <= UINT32_MAX ? static_cast<__u32>(slot.range.bytes) : 0;
    }
    sqe->user_data = (static_cast<uint64_t>(slot.ticket) << 16) | kSyncOpIndex;
    slot.sync_succeeded = false;
    ++slot.ops_outstanding;
    ++ops_outstanding_;
  }

  io_uring_sqe* next_sqe() {
    io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
    // Cannot happen: the queue is flushed after every chain and a chain fits in kRingEntries.
    TRIDENT_CHECK(sqe != nullptr, ErrorKind::kInternal, name() + ": submission queue full");
    return sqe;
  }

  // Hands every queued SQE to the kernel (a chain never spans two io_uring_enter calls because
  // each chain is queued whole before this runs).
  void submit_queued() {
    for (int attempt = 0; io_uring_sq_ready(&ring_) > 0 && attempt < 1000; ++attempt) {
      int rc = io_uring_submit(&ring_);
      if (rc >= 0 || rc == -EINTR || rc == -EAGAIN || rc == -EBUSY) continue;
      record_failure(io_error_text(name(), "io_uring_submit", -rc));
      return;
    }
    if (io_uring_sq_ready(&ring_) > 0) {
      record_failure(name() + ": io_uring_submit made no progress");
    }
  }

  const int fd_;
  const int window_;
  io_uring ring_{};
  bool ring_ready_ = false;
  std::vector<TicketSlot> slots_;  // ticket t lives in slots_[t % window_]
  bool reaping_ = false;
  int ops_outstanding_ = 0;  // SQEs submitted whose completion was not handled yet
};

}  // namespace

std::unique_ptr<SyncPipeline> make_io_uring_pipeline(int fd, std::string name,
                                                     int syncs_in_flight_max,
                                                     std::string* failure_reason) {
  auto pipeline = std::make_unique<IoUringPipeline>(fd, name, syncs_in_flight_max);
  int rc = pipeline->init_ring();
  if (rc < 0) {
    *failure_reason = io_error_text(name, "io_uring_queue_init", -rc) +
                      " (raise RLIMIT_MEMLOCK on kernels before 5.12)";
    return nullptr;
  }
  return pipeline;
}

}  // namespace trident
