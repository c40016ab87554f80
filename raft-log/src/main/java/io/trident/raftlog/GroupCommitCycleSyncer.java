package io.trident.raftlog;

import io.trident.nativelib.GroupCommitFile;
import io.trident.nativelib.ThreadPlacement;
import io.trident.nativelib.TridentNative;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CycleFileSyncer} through Trident's native {@link GroupCommitFile}: fdatasync via io_uring
 * where the process may use it (blocking fdatasync otherwise), and zeroed blocks kept allocated
 * ahead of Chronicle's append point so a sync does not also commit block allocations.
 *
 * <p>The zeroing runs on a background thread (one shared by all journals of the process, gone
 * when idle), page by page (Chronicle writes through mmap, and a large zeroed folio would be
 * written back whole on every sync), beside the commits ({@link
 * GroupCommitFile#preallocateBesideCommits}: its write-back and fdatasync are not tickets of the
 * commit pipeline, and commit syncs cover only the bytes below the range being zeroed, so no
 * commit waits for zeros). While a range is being zeroed, {@link #beforeWrite} keeps the disk
 * thread from writing into it.
 *
 * <p>Commit syncs are ranged fdatasyncs (io_uring IORING_OP_FSYNC with an offset and length):
 * {@link #syncAppended} covers the pages of the records written since the last sync, not
 * Chronicle's header page (see {@link JournalWriter} for when the whole file is synced).
 *
 * <p>Thread rules: disk thread only, like every {@link CycleFileSyncer}; the zeroing task touches
 * only the file and the range it was given.
 */
final class GroupCommitCycleSyncer implements CycleFileSyncer {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitCycleSyncer.class);
  /** Bytes kept allocated and zeroed past the append point. */
  static final long PREALLOCATE_AHEAD_BYTES = 16L << 20;
  /**
   * Zeroing is topped up once less than this remains ahead, so in steps of about 12 MiB (when each
   * step still ended with an fdatasync ticket in the commit pipeline, same-run A/Bs at batch 128
   * gave 1 MiB steps 10-20% fewer entries/s than 6-24 MiB steps).
   */
  static final long PREALLOCATE_LOW_WATER_BYTES = 4L << 20;
  /**
   * Room kept between the end of a record about to be written and a range being zeroed: Chronicle
   * may put an index array or a roll marker at the append point before the record itself.
   */
  static final long WRITE_SLACK_BYTES = 1L << 20;
  /**
   * Zeroing never starts closer than this to the append point, so the next records (up to about
   * 1 MiB) need not wait for it; on a fresh cycle file the first bytes stay holes that Chronicle's
   * writes allocate.
   */
  static final long ZEROING_GAP_BYTES = 2L << 20;
  private static final long PAGE_BYTES = 4096;
  private static final long IDLE_THREAD_SECONDS = 10;
  private static final ExecutorService ZEROING = newZeroingExecutor();

  static final Factory FACTORY = factory(ThreadPlacement.NONE);

  /**
   * Syncers whose zeroing tasks first place the (process-wide, shared) zeroing thread under
   * {@code zeroingPlacement}; journals with different placements move it back and forth.
   */
  static Factory factory(ThreadPlacement zeroingPlacement) {
    return new Factory() {
        /**
         * One sync in flight per file, and the zeroing's sync is a ticket of the same pipeline:
         * every fdatasync of the file is then serialized on one descriptor, so a writeback error
         * (which Linux reports once per open file) reaches the sync whose ticket covers the data.
         */
        @Override
        public CycleFileSyncer open(Path cycleFile) {
          return new GroupCommitCycleSyncer(GroupCommitFile.open(cycleFile, 1), zeroingPlacement);
        }

        @Override
        public String describe() {
          return GroupCommitFile.isIoUringAvailable() ? "io_uring fdatasync" : "fdatasync (io_uring unavailable)";
        }
      };
  }

  /**
   * This syncer when Trident's native library loads; plain fdatasync through FileChannel otherwise,
   * with the reason logged.
   */
  static Factory preferredFactory() {
    return preferredFactory(ThreadPlacement.NONE);
  }

  /** {@link #preferredFactory()} with the zeroing thread placed (see {@link #factory}). */
  static Factory preferredFactory(ThreadPlacement zeroingPlacement) {
    if (TridentNative.isAvailable()) {
      return zeroingPlacement.isNone() ? FACTORY : factory(zeroingPlacement);
    }
    LOG.warn("Trident native library unavailable, journal syncs use FileChannel.force: {}",
        String.valueOf(TridentNative.unavailabilityCause()));
    return FileChannelCycleSyncer.FACTORY;
  }

  private final GroupCommitFile file;
  private final ThreadPlacement zeroingPlacement;
  private long appendPosition;
  private long preallocatedEnd;
  /** The zeroing in progress (null: none) and the first byte of its range. */
  private Future<?> zeroing;
  private long zeroingFrom;

  private GroupCommitCycleSyncer(GroupCommitFile file, ThreadPlacement zeroingPlacement) {
    this.file = file;
    this.zeroingPlacement = zeroingPlacement;
  }

  /**
   * While a range is being zeroed, syncs only [0, its start): every byte the journal wrote lies
   * below it ({@link #beforeWrite}), and the zeros' own write-back is then never waited for by a
   * commit. Otherwise syncs the whole file (everything above is durable zeros by then).
   */
  @Override
  public void sync() {
    if (zeroing != null) {
      file.syncRange(0, zeroingFrom);
    } else {
      file.sync();
    }
  }

  /**
   * Syncs from the page holding {@code appendedFrom} up to the range being zeroed (or to the end
   * of the file when none is): the records, without the header page Chronicle rewrites on every
   * append, and without waiting for the zeros' write-back.
   */
  @Override
  public void syncAppended(long appendedFrom) {
    long from = appendedFrom & -PAGE_BYTES;
    long to = zeroing != null ? zeroingFrom : Long.MAX_VALUE;
    if (to <= from) {
      sync(); // cannot happen while beforeWrite keeps records below the zeroing; whole file then
      return;
    }
    file.syncRange(from, to - from);
  }

  @Override
  public void beforeWrite(long recordBytes) throws IOException {
    if (zeroing != null && appendPosition + recordBytes + WRITE_SLACK_BYTES > zeroingFrom) {
      finishZeroing();
    }
  }

  @Override
  public void prepareAhead(long appendPosition) throws IOException {
    this.appendPosition = appendPosition;
    if (zeroing != null && zeroing.isDone()) {
      finishZeroing(); // reports a failed zeroing here, on the disk thread
    }
    if (zeroing == null && preallocatedEnd - appendPosition < PREALLOCATE_LOW_WATER_BYTES) {
      long from = Math.max((appendPosition + ZEROING_GAP_BYTES) & -PAGE_BYTES, preallocatedEnd);
      long end = appendPosition + PREALLOCATE_AHEAD_BYTES;
      zeroingFrom = from;
      zeroing = ZEROING.submit(() -> {
        ThreadPlacement.Outcome placed = zeroingPlacement.applyToCurrentThreadOnce();
        if (placed != null) {
          LOG.info("journal zeroing thread: {}", placed.description());
        }
        file.preallocateBesideCommits(from, end - from);
      });
      preallocatedEnd = end;
    }
  }

  /** Whether a zeroing task was started and not yet waited for (tests). */
  boolean zeroingPending() {
    return zeroing != null;
  }

  @Override
  public void close() throws IOException {
    try {
      if (zeroing != null) {
        finishZeroing();
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Zeroing ahead in {} failed; closing it anyway", file.path(), e);
    } finally {
      file.close();
    }
  }

  /** Waits (uninterruptibly: the range must be left alone until then) for the zeroing task. */
  private void finishZeroing() throws IOException {
    Future<?> task = zeroing;
    zeroing = null;
    boolean interrupted = false;
    try {
      while (true) {
        try {
          task.get();
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException) {
            throw (RuntimeException) cause;
          }
          throw new IOException("zeroing ahead of the journal's append point failed", cause);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static ExecutorService newZeroingExecutor() {
    ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), task -> {
          Thread thread = new Thread(task, "trident-journal-zeroing");
          thread.setDaemon(true);
          return thread;
        });
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }
}
