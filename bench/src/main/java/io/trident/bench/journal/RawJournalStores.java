package io.trident.bench.journal;

import io.trident.nativelib.GroupCommitFile;
import io.trident.nativelib.TridentNative;
import java.nio.file.Path;

/**
 * Chooses the raw baseline: Trident's native group commit when its library loads, else plain
 * Java (named raw-filechannel in every report so the two are never confused).
 */
final class RawJournalStores {
  /** Pre-zeroed ring the raw baselines overwrite: larger than any batch, small enough to zero. */
  static final long RING_BYTES = 256L << 20;

  private RawJournalStores() {}

  static JournalStore open(Path directory) {
    if (TridentNative.isAvailable()) {
      return new RawNativeJournalStore(directory, RING_BYTES);
    }
    return new RawFileChannelJournalStore(directory, RING_BYTES);
  }

  /** One line for the report header: which raw baseline runs and why. */
  static String describe() {
    String ring = "pre-zeroed " + (RING_BYTES >> 20) + " MiB ring, one sync in flight";
    if (!TridentNative.isAvailable()) {
      return "raw-filechannel (Java write + force(false), " + ring + "); native library "
          + "unavailable: " + TridentNative.unavailabilityCause();
    }
    return "raw-native (pwrite + fdatasync, " + ring + ", "
        + (GroupCommitFile.isIoUringAvailable() ? "io_uring"
            : "blocking fallback: " + GroupCommitFile.ioUringUnavailabilityCause()) + ")";
  }
}
