package io.trident.bench.journal;

import com.alipay.sofa.jraft.entity.LogEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * Byte layout of a batch for the raw baselines: per entry an 8-byte index and a 4-byte payload
 * length, then the payload; entries back to back. One reusable direct buffer (grown on demand);
 * not thread-safe: one per appending thread.
 */
final class RawBatchLayout {
  static final int ENTRY_HEADER_BYTES = Long.BYTES + Integer.BYTES;
  private static final int PRE_ZERO_CHUNK_BYTES = 1 << 20;

  private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 16);

  /** Returns the encoded batch, positioned at 0; valid until the next call. */
  ByteBuffer encode(List<LogEntry> batch) {
    int totalBytes = 0;
    for (LogEntry entry : batch) {
      totalBytes += ENTRY_HEADER_BYTES + entry.getData().remaining();
    }
    if (buffer.capacity() < totalBytes) {
      buffer = ByteBuffer.allocateDirect(Integer.highestOneBit(totalBytes) << 1);
    }
    buffer.clear();
    for (LogEntry entry : batch) {
      ByteBuffer data = entry.getData();
      buffer.putLong(entry.getId().getIndex()).putInt(data.remaining()).put(data.duplicate());
    }
    buffer.flip();
    return buffer;
  }

  /** Writes zeros over [0, sizeBytes) and fdatasyncs, so later overwrites allocate nothing. */
  static void preZero(FileChannel channel, long sizeBytes) throws IOException {
    ByteBuffer zeros = ByteBuffer.allocateDirect(PRE_ZERO_CHUNK_BYTES);
    for (long position = 0; position < sizeBytes; position += PRE_ZERO_CHUNK_BYTES) {
      zeros.clear().limit((int) Math.min(PRE_ZERO_CHUNK_BYTES, sizeBytes - position));
      long at = position;
      while (zeros.hasRemaining()) {
        at += channel.write(zeros, at);
      }
    }
    channel.force(true);
  }
}
