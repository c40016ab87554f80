package io.trident.raftlog;

import io.trident.nativelib.GroupCommitFile;
import io.trident.nativelib.TridentNative;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CycleFileSyncer} through Trident's native {@link GroupCommitFile}: fdatasync via io_uring
 * where the process may use it (blocking fdatasync otherwise), and zeroed blocks kept allocated
 * ahead of Chronicle's append point so a sync does not also commit block allocations to the ext4
 * journal.
 *
 * <p>Thread rules: disk thread only, like every {@link CycleFileSyncer}.
 */
final class GroupCommitCycleSyncer implements CycleFileSyncer {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitCycleSyncer.class);
  /** Bytes kept allocated and zeroed past the append point. */
  static final long PREALLOCATE_AHEAD_BYTES = 8L << 20;
  private static final long PAGE_BYTES = 4096;
  /** Preallocation is topped up once less than this remains ahead of the append point. */
  static final long PREALLOCATE_LOW_WATER_BYTES = 2L << 20;

  static final Factory FACTORY =
      new Factory() {
        @Override
        public CycleFileSyncer open(Path cycleFile) {
          return new GroupCommitCycleSyncer(GroupCommitFile.open(cycleFile, 1));
        }

        @Override
        public String describe() {
          return GroupCommitFile.isIoUringAvailable() ? "io_uring fdatasync" : "fdatasync (io_uring unavailable)";
        }
      };

  /**
   * This syncer when Trident's native library loads; plain fdatasync through FileChannel otherwise,
   * with the reason logged.
   */
  static Factory preferredFactory() {
    if (TridentNative.isAvailable()) {
      return FACTORY;
    }
    LOG.warn("Trident native library unavailable, journal syncs use FileChannel.force: {}",
        String.valueOf(TridentNative.unavailabilityCause()));
    return FileChannelCycleSyncer.FACTORY;
  }

  private final GroupCommitFile file;
  private long preallocatedEnd;

  private GroupCommitCycleSyncer(GroupCommitFile file) {
    this.file = file;
  }

  @Override
  public void sync() {
    file.sync();
  }

  @Override
  public void prepareAhead(long appendPosition) {
    if (preallocatedEnd - appendPosition < PREALLOCATE_LOW_WATER_BYTES) {
      // Start past the page holding the append point: that page already holds record bytes.
      long from = Math.max((appendPosition + PAGE_BYTES - 1) & -PAGE_BYTES, preallocatedEnd);
      long end = appendPosition + PREALLOCATE_AHEAD_BYTES;
      file.preallocate(from, end - from);
      preallocatedEnd = end;
    }
  }

  @Override
  public void close() {
    file.close();
  }
}
