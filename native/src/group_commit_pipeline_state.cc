// LockedSyncPipeline: ticket, failure and counter bookkeeping shared by the io_uring and the
// threaded pipelines (see group_commit_pipeline.h).
#include <string>

#include "group_commit_pipeline.h"
#include "trident/error.h"

namespace trident {

int64_t LockedSyncPipeline::durable_ticket() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return durable_;
}

int64_t LockedSyncPipeline::issued_ticket() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return issued_;
}

void LockedSyncPipeline::fail(const std::string& message) {
  std::lock_guard<std::mutex> lock(mutex_);
  record_failure(message);
}

void LockedSyncPipeline::throw_if_failed() const {
  std::lock_guard<std::mutex> lock(mutex_);
  throw_failure_locked();
}

GroupCommitStats LockedSyncPipeline::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return GroupCommitStats{syncs_completed_, short_writes_resumed_, bytes_written_,
                          bytes_preallocated_};
}

void LockedSyncPipeline::add_preallocated_bytes(int64_t bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  bytes_preallocated_ += bytes;
}

void LockedSyncPipeline::record_failure(const std::string& message) {
  if (failure_.empty()) failure_ = message;
  progress_.notify_all();
}

void LockedSyncPipeline::throw_failure_locked() const {
  if (!failure_.empty()) throw Error(ErrorKind::kIo, failure_);
}

void LockedSyncPipeline::check_issued_locked(int64_t ticket) const {
  TRIDENT_CHECK(ticket >= 0 && ticket <= issued_, ErrorKind::kInvalidArgument,
                "ticket " + std::to_string(ticket) + " was never issued (last issued " +
                    std::to_string(issued_) + ")");
}

}  // namespace trident
