package io.trident.raftlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a record's bytes into the current cycle file with pwrite, at the offset Chronicle gave the
 * document, through one descriptor per cycle file (reopened when the cycle changes). The bytes
 * reach the same page cache pages that Chronicle's mmap shows, so readers and the fdatasync of the
 * {@link CycleFileSyncer} see them as if stored through the map; unlike stores through a shared
 * map they take no write fault per page that the last writeback left write-protected.
 *
 * <p>Durability is not this class's job: the caller syncs through its syncer. A writeback error
 * is reported to that syncer's descriptor too (Linux records it on the file's mapping).
 *
 * <p>Thread rules: the journal's disk thread only.
 */
final class RecordFileWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RecordFileWriter.class);

  private FileChannel channel;
  private int channelCycle = Integer.MIN_VALUE;

  /** Writes all of {@code record} (position to limit) at {@code fileOffset} of {@code cycle}'s file. */
  void write(int cycle, Path cycleFile, ByteBuffer record, long fileOffset) throws IOException {
    if (cycle != channelCycle || channel == null) {
      close();
      channel = FileChannel.open(cycleFile, StandardOpenOption.WRITE);
      channelCycle = cycle;
    }
    long offset = fileOffset;
    while (record.hasRemaining()) {
      offset += channel.write(record, offset);
    }
  }

  @Override
  public void close() {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      LOG.warn("Failed to close a cycle file's record channel", e);
    } finally {
      channel = null;
      channelCycle = Integer.MIN_VALUE;
    }
  }
}
