package io.trident.bench.journal;

import com.alipay.sofa.jraft.entity.LogEntry;
import io.trident.nativelib.GroupCommitFile;
import io.trident.nativelib.RawGroupCommitBaseline;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Raw baseline on Trident's native group commit ({@link GroupCommitFile}: pwrite + fdatasync,
 * through io_uring when available). One sync in flight, like appendEntries: each batch durable
 * before the next. The file is a pre-zeroed ring ({@link GroupCommitFile#preallocate}), so no sync
 * commits allocation metadata.
 *
 * <p>{@link #append} (used by JMH) crosses JNI once per batch with the batch laid out by {@link
 * RawBatchLayout}. {@link #measure} (used by the command-line tool) instead runs the whole timed
 * loop in C++ ({@link RawGroupCommitBaseline}, records of entryBytes + 12 header bytes), so that
 * number is the disk's limit with no JVM in the loop.
 */
final class RawNativeJournalStore implements JournalStore {
  private static final int SYNCS_IN_FLIGHT = 1;

  private final Path directory;
  private final long ringBytes;
  private final GroupCommitFile file;
  private final RawBatchLayout layout = new RawBatchLayout();
  private long writePosition;
  private volatile long syncCount; // single writer: the appending thread

  RawNativeJournalStore(Path directory, long ringBytes) {
    this.directory = directory;
    this.ringBytes = ringBytes;
    this.file = GroupCommitFile.open(directory.resolve("raw-native.ring"), SYNCS_IN_FLIGHT);
    file.preallocate(0, ringBytes);
  }

  @Override
  public String name() {
    return "raw-native";
  }

  @Override
  public void append(List<LogEntry> batch) {
    ByteBuffer bytes = layout.encode(batch);
    int length = bytes.remaining();
    if (length > ringBytes) {
      throw new IllegalArgumentException("batch of " + length + " bytes exceeds the ring of "
          + ringBytes);
    }
    if (writePosition + length > ringBytes) {
      writePosition = 0;
    }
    file.awaitDurable(file.writeAndRequestSync(bytes, writePosition, length));
    writePosition += length;
    syncCount++;
  }

  @Override
  public long syncCount() {
    return syncCount;
  }

  @Override
  public JournalResult measure(int batchSize, int entryBytes, double warmupSeconds,
      double seconds, long seed, PrintStream progress) {
    int recordBytes = entryBytes + RawBatchLayout.ENTRY_HEADER_BYTES;
    Path loopFile = directory.resolve("raw-native-loop.ring");
    if (warmupSeconds > 0) {
      RawGroupCommitBaseline.run(loopFile, recordBytes, batchSize, SYNCS_IN_FLIGHT,
          warmupSeconds, ringBytes);
    }
    progress.printf(Locale.ROOT, "  %s batch=%d: native loop running for %.0f s%n", name(),
        batchSize, seconds);
    RawGroupCommitBaseline.Result result = RawGroupCommitBaseline.run(loopFile, recordBytes,
        batchSize, SYNCS_IN_FLIGHT, seconds, ringBytes);
    double measuredSeconds = result.syncs() / result.syncsPerSecond();
    return new JournalResult(name() + (result.usedIoUring() ? "" : "-blocking"), batchSize,
        entryBytes, measuredSeconds, result.records(), result.syncs(),
        result.syncLatencyP50Micros(), result.syncLatencyP99Micros(), Double.NaN);
  }

  @Override
  public void close() {
    file.close();
  }
}
