package io.trident.nativelib;

import io.trident.error.ClosedHandleException;
import io.trident.error.InvalidArgumentException;
import io.trident.internal.nativelib.NativeErrors;
import io.trident.internal.nativelib.NativeGroupCommit;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One file made durable by pipelined fdatasync: io_uring when the process may use it, else
 * pwritev on the calling thread + fdatasync on up to syncsInFlightMax helper threads (on the
 * calling thread when syncsInFlightMax is 1), with the same API and ordering (see {@link
 * #isIoUringAvailable}).
 *
 * <p>Tickets: every {@link #requestSync} / {@link #writeAndRequestSync} returns a ticket (1, 2, 3,
 * ...). A ticket is durable once its fdatasync and those of all earlier tickets completed: tickets
 * become durable strictly in order, so everything written to the file (through this object, or
 * by any other means such as a {@code MappedByteBuffer} or Chronicle Queue) before the call that
 * returned ticket {@code t} is on stable storage when {@code awaitDurable(t)} returns. At most
 * {@code syncsInFlightMax} tickets are pending; a request beyond that blocks until the oldest one
 * is durable.
 *
 * <p>Errors: an I/O error (EIO, ENOSPC, EBADF, EFBIG...) throws {@link
 * io.trident.error.StorageIoException} naming the file and the errno text, and marks the file
 * failed: every later request, and every wait for a ticket not durable before the failure, throws
 * the same error (after a failed fdatasync the page cache state is unknown; reopen and recover).
 *
 * <p>Thread rules: every method is thread-safe. {@link #close} waits for calls in progress
 * (including a blocked {@link #awaitDurable}) and for in-flight I/O, then frees the native file;
 * calls after close throw {@link ClosedHandleException}.
 *
 * <p>Forcing the fallback (tests, diagnosis): environment variable {@code TRIDENT_IO_URING=off}
 * or system property {@code -Dtrident.io_uring=off}.
 */
public final class GroupCommitFile implements AutoCloseable {
  /** Most syncs that may be in flight at once. */
  public static final int SYNCS_IN_FLIGHT_LIMIT = 64;
  private static final int PAGE_BYTES = 4096;

  private final NativeGroupCommit handle;
  private final String path;
  private final boolean usesIoUring;
  private final AtomicBoolean closed = new AtomicBoolean();
  // Read-held by every native call, write-held by close: the native object outlives every call.
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  // Buffers the kernel may still read: slot ticket % length keeps the buffer of the newest ticket
  // that used it. Ticket t is issued only once t - syncsInFlightMax is durable, so an overwritten
  // entry is never needed again. Guarded by `this`.
  private final ByteBuffer[] pendingBuffers;
  private final long[] pendingBufferTickets;

  private GroupCommitFile(NativeGroupCommit handle, String path, int syncsInFlightMax) {
    this.handle = handle;
    this.path = path;
    this.usesIoUring = handle.uses_io_uring();
    this.pendingBuffers = new ByteBuffer[syncsInFlightMax];
    this.pendingBufferTickets = new long[syncsInFlightMax];
  }

  /** Opens (creating if absent) {@code path} for durable appends; syncsInFlightMax 1..64. */
  public static GroupCommitFile open(Path path, int syncsInFlightMax) {
    return open(path, syncsInFlightMax, IoUringAvailability.forcedOffByProperty());
  }

  /** As {@link #open(Path, int)}; {@code forceFallback} selects the pwritev + fdatasync path. */
  static GroupCommitFile open(Path path, int syncsInFlightMax, boolean forceFallback) {
    if (path == null) {
      throw new InvalidArgumentException("path must not be null");
    }
    if (syncsInFlightMax < 1 || syncsInFlightMax > SYNCS_IN_FLIGHT_LIMIT) {
      throw new InvalidArgumentException(
          "syncsInFlightMax must be in 1.." + SYNCS_IN_FLIGHT_LIMIT + ", got " + syncsInFlightMax);
    }
    TridentNative.ensureAvailability();
    IoUringAvailability.logOnceIfUnavailable();
    String absolute = path.toAbsolutePath().toString();
    int backend =
        forceFallback ? NativeGroupCommit.BACKEND_BLOCKING : NativeGroupCommit.BACKEND_AUTO;
    try {
      NativeGroupCommit handle = NativeGroupCommit.open(absolute, syncsInFlightMax, backend);
      return new GroupCommitFile(handle, absolute, syncsInFlightMax);
    } catch (RuntimeException failure) {
      throw NativeErrors.translate(failure);
    }
  }

  /** True when this process can use io_uring for group commit (probed once). */
  public static boolean isIoUringAvailable() {
    return IoUringAvailability.cause() == null;
  }

  /** Why io_uring is not used (null when available); logged once through System.Logger. */
  public static String ioUringUnavailabilityCause() {
    IoUringAvailability.logOnceIfUnavailable();
    return IoUringAvailability.cause();
  }

  /** Whether this file's syncs go through io_uring (false: the pwritev + fdatasync fallback). */
  public boolean usesIoUring() {
    return usesIoUring;
  }

  /** Absolute path of the file. */
  public String path() {
    return path;
  }

  /**
   * Requests durability of every byte written to the file so far, by any means (write, or mmap as
   * Chronicle Queue does — fdatasync flushes the inode's dirty pages). Returns a ticket; tickets
   * complete in order. Non-blocking unless syncsInFlightMax syncs are already in flight.
   */
  public long requestSync() {
    enter();
    try {
      return handle.request_sync();
    } catch (RuntimeException failure) {
      throw NativeErrors.translate(failure);
    } finally {
      exit();
    }
  }

  /**
   * Writes {@code length} bytes of a direct buffer, from its current position (which this call
   * does not move), at file {@code position}, then syncs; returns the ticket. The bytes must stay
   * unchanged until {@code awaitDurable(ticket)} returns: the kernel may read them until then
   * (this object keeps the buffer reachable meanwhile).
   */
  public long writeAndRequestSync(ByteBuffer direct, long position, int length) {
    if (direct == null || !direct.isDirect()) {
      throw new InvalidArgumentException("buffer must be a direct ByteBuffer");
    }
    if (position < 0 || length < 0 || length > direct.remaining()) {
      throw new InvalidArgumentException(
          "need position >= 0 and 0 <= length <= buffer.remaining(); got position=" + position
              + " length=" + length + " remaining=" + direct.remaining());
    }
    enter();
    try {
      long ticket = handle.write_one_and_request_sync(direct, position, length);
      keepReachable(ticket, direct);
      return ticket;
    } catch (RuntimeException failure) {
      throw NativeErrors.translate(failure);
    } finally {
      Reference.reachabilityFence(direct);
      exit();
    }
  }

  /**
   * Blocks until the ticket (and every earlier one) is durable; StorageIoException on I/O error.
   */
  public void awaitDurable(long ticket) {
    if (ticket < 0) {
      throw new InvalidArgumentException("ticket must be >= 0, got " + ticket);
    }
    enter();
    try {
      handle.await_durable(ticket);
    } catch (RuntimeException failure) {
      throw NativeErrors.translate(failure);
    } finally {
      exit();
    }
  }

  /** requestSync + awaitDurable. */
  public void sync() {
    awaitDurable(requestSync());
  }

  /**
   * {@link #requestSync} whose fdatasync needs to cover only the data in [offset, offset + bytes)
   * (plus the file's metadata): with io_uring it neither writes nor waits for dirty pages outside
   * that range (a range of 4 GiB or more is synced from {@code offset} to the end of the file;
   * the path without io_uring syncs the whole file).
   * Same tickets, same order. The caller promises that nothing it needs durable was written
   * outside the range; e.g. a journal syncs [0, start of the range being zeroed ahead).
   */
  public long requestSyncRange(long offset, long bytes) {
    if (offset < 0 || bytes <= 0 || offset > Long.MAX_VALUE - bytes) {
      throw new InvalidArgumentException(
          "sync range needs offset >= 0 and bytes > 0; got " + offset + ", " + bytes);
    }
    enter();
    try {
      return handle.request_sync_range(offset, bytes);
    } catch (RuntimeException failure) {
      throw NativeErrors.translate(failure);
    } finally {
      exit();
    }
  }

  /** requestSyncRange + awaitDurable. */
  public void syncRange(long offset, long bytes) {
    awaitDurable(requestSyncRange(offset, bytes));
  }

  /** Highest ticket known durable (0 = none yet); never blocks. */
  public long durableTicket() {
    enter();
    try {
      return handle.durable_ticket();
    } finally {
      exit();
    }
  }

  /**
   * Keeps {@code bytes} ahead of {@code offset} allocated and zeroed so appends need no metadata
   * journal commit: writes zeros only where the file has no data (holes, unwritten extents, past
   * its end — existing bytes never change), extends the file to at least offset + bytes, then
   * makes them durable with a sync ticket of this file's one pipeline (it takes the next ticket; a
   * failure of that sync fails the file, as a commit's would). Blocking; call it ahead of the
   * append point, with nothing writing into the range meanwhile. Readers see zeros past the
   * logical end, so records need their own framing.
   */
  public void preallocate(long offset, long bytes) {
    zeroAhead(offset, bytes, () -> handle.preallocate(offset, bytes));
  }

  /**
   * {@link #preallocate} for a file written through a shared mmap (Chronicle Queue): the zeros go
   * down one page per pwrite, so the page cache holds page-sized folios and a store through the
   * map dirties, and the next fdatasync writes, only the pages it touched. (The kernel may keep a
   * large zero write as one large folio, which a single store then dirties whole: measured on
   * ext4, ~17 KiB records cost 255-410 KiB of disk writes per sync after 1 MiB zero writes, ~44
   * KiB after page writes.) Same contract as {@link #preallocate}; slower to zero.
   */
  public void preallocatePageByPage(long offset, long bytes) {
    zeroAhead(offset, bytes, () -> handle.preallocate(offset, bytes, PAGE_BYTES));
  }

  /**
   * {@link #preallocatePageByPage} for a journal whose commits sync only below {@code offset}
   * ({@link #requestSyncRange}): the zeros never take a ticket, so no commit waits behind their
   * write-back. Through a second descriptor of the file the zeros go down page by page, their
   * write-back starts every 1 MiB (sync_file_range), and the call returns once they are written
   * and fdatasynced on that descriptor: the range is then allocated, zeroed and durable. That
   * descriptor has its own writeback-error cursor, so it consumes no error a commit's sync must
   * report; a failure here fails the file. Blocking; for a background thread, with commits
   * running below {@code offset} and nothing writing into the range meanwhile.
   */
  public void preallocateBesideCommits(long offset, long bytes) {
    zeroAhead(offset, bytes, () -> handle.preallocate_beside_commits(offset, bytes));
  }

  /** Checks the range, then runs one native zeroing call inside the handle's lifecycle. */
  private void zeroAhead(long offset, long bytes, Runnable nativeCall) {
    if (offset < 0 || bytes < 0 || offset > Long.MAX_VALUE - bytes) {
      throw new InvalidArgumentException(
          "preallocate needs offset >= 0 and bytes >= 0; got " + offset + ", " + bytes);
    }
    enter();
    try {
      nativeCall.run();
    } catch (RuntimeException failure) {
      throw NativeErrors.translate(failure);
    } finally {
      exit();
    }
  }

  /** Idempotent, thread-safe; waits for calls in progress and in-flight I/O, then frees. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    lifecycle.writeLock().lock();
    try {
      NativeGroupCommit.destroy(handle);
      synchronized (this) {
        java.util.Arrays.fill(pendingBuffers, null);
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  private synchronized void keepReachable(long ticket, ByteBuffer buffer) {
    int slot = (int) (ticket % pendingBuffers.length);
    if (ticket > pendingBufferTickets[slot]) {
      pendingBufferTickets[slot] = ticket;
      pendingBuffers[slot] = buffer;
    }
  }

  private void enter() {
    if (closed.get()) {
      throw new ClosedHandleException("group commit file " + path + " is closed");
    }
    lifecycle.readLock().lock();
    if (closed.get()) {
      lifecycle.readLock().unlock();
      throw new ClosedHandleException("group commit file " + path + " is closed");
    }
  }

  private void exit() {
    lifecycle.readLock().unlock();
  }

  @Override
  public String toString() {
    return "GroupCommitFile[" + path + (usesIoUring ? ", io_uring]" : ", fallback]");
  }
}
