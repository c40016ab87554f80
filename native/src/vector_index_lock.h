// Reader-writer lock for VectorIndex that lets a waiting writer in. glibc's default rwlock (and so
// std::shared_mutex) prefers readers: under a steady stream of searches an add() could wait
// forever. This one is glibc's writer-preferring kind: once a writer waits, new readers queue
// behind it. Satisfies SharedMutex, so std::shared_lock / std::unique_lock work with it.
#pragma once

#include <pthread.h>

#include <cerrno>
#include <system_error>

namespace trident {

class WriterPreferringLock {
 public:
  WriterPreferringLock() {
    pthread_rwlockattr_t attributes;
    pthread_rwlockattr_init(&attributes);
    pthread_rwlockattr_setkind_np(&attributes, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    const int rc = pthread_rwlock_init(&lock_, &attributes);
    pthread_rwlockattr_destroy(&attributes);
    if (rc != 0) throw std::system_error(rc, std::generic_category(), "pthread_rwlock_init");
  }
  ~WriterPreferringLock() { pthread_rwlock_destroy(&lock_); }
  WriterPreferringLock(const WriterPreferringLock&) = delete;
  WriterPreferringLock& operator=(const WriterPreferringLock&) = delete;

  void lock() { check(pthread_rwlock_wrlock(&lock_), "wrlock"); }
  bool try_lock() { return pthread_rwlock_trywrlock(&lock_) == 0; }
  void unlock() { pthread_rwlock_unlock(&lock_); }
  void lock_shared() { check(pthread_rwlock_rdlock(&lock_), "rdlock"); }
  bool try_lock_shared() { return pthread_rwlock_tryrdlock(&lock_) == 0; }
  void unlock_shared() { pthread_rwlock_unlock(&lock_); }

 private:
  // EAGAIN (too many readers) or EDEADLK (re-entry from the same thread) are bugs or limits;
  // they surface as std::system_error, which TRIDENT_GUARD turns into kInternal.
  static void check(int rc, const char* what) {
    if (rc != 0) throw std::system_error(rc, std::generic_category(), what);
  }
  pthread_rwlock_t lock_;
};

}  // namespace trident
