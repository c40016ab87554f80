package io.trident.bench.journal;

import com.alipay.sofa.jraft.entity.LogEntry;
import io.trident.nativelib.GroupCommitFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * Raw baseline on Trident's native group commit ({@link GroupCommitFile}: pwrite + fdatasync,
 * through io_uring when available). One sync in flight, like appendEntries: each batch durable
 * before the next. The file is a pre-zeroed ring ({@link GroupCommitFile#preallocate}), so no sync
 * commits allocation metadata.
 *
 * <p>Each {@link #append} crosses JNI once with the batch laid out by {@link RawBatchLayout}
 * (the same bytes a log would need at least), so the raw number includes the same Java-side
 * batch handling as the storages it is compared with. (The pure C++ loop, {@code
 * RawGroupCommitBaseline}, measures the same disk with no JVM at all.)
 */
final class RawNativeJournalStore implements JournalStore {
  private static final int SYNCS_IN_FLIGHT = 1;

  private final RingCursor ring;
  private final GroupCommitFile file;
  private final RawBatchLayout layout = new RawBatchLayout();
  private volatile long syncCount; // single writer: the appending thread

  RawNativeJournalStore(Path directory, long ringBytes) {
    this.ring = new RingCursor(ringBytes);
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
    file.awaitDurable(file.writeAndRequestSync(bytes, ring.place(length), length));
    syncCount++;
  }

  @Override
  public long syncCount() {
    return syncCount;
  }

  @Override
  public void close() {
    file.close();
  }
}
