package io.trident.bench.journal;

import com.alipay.sofa.jraft.entity.LogEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Raw baseline in plain Java: each batch is laid out contiguously (per entry a
 * {@value RawBatchLayout#ENTRY_HEADER_BYTES}-byte header: index, payload length; then the
 * payload), written with one positional write and made durable with one {@code
 * FileChannel.force(false)} (fdatasync). The file is pre-zeroed and written as a ring, so no sync
 * has to commit file-size or block-allocation metadata: this is the disk's limit for one serial
 * writer, not a log (nothing can be read back by index).
 */
final class RawFileChannelJournalStore implements JournalStore {
  private final FileChannel channel;
  private final RingCursor ring;
  private final RawBatchLayout layout = new RawBatchLayout();
  private volatile long syncCount; // single writer: the appending thread

  RawFileChannelJournalStore(Path directory, long ringBytes) {
    this.ring = new RingCursor(ringBytes);
    try {
      channel = FileChannel.open(directory.resolve("raw-journal.ring"), StandardOpenOption.CREATE,
          StandardOpenOption.READ, StandardOpenOption.WRITE);
      RawBatchLayout.preZero(channel, ringBytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the raw journal ring in " + directory, e);
    }
  }

  @Override
  public String name() {
    return "raw-filechannel";
  }

  @Override
  public void append(List<LogEntry> batch) {
    ByteBuffer bytes = layout.encode(batch);
    long position = ring.place(bytes.remaining());
    try {
      while (bytes.hasRemaining()) {
        position += channel.write(bytes, position);
      }
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("raw journal write or fdatasync failed", e);
    }
    syncCount++;
  }

  @Override
  public long syncCount() {
    return syncCount;
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
