package io.trident.bench.journal;

/**
 * Where the raw baselines write their next batch in a fixed-size, pre-zeroed ring file: batches
 * go back to back and wrap to offset 0 when one would not fit, so every write is an overwrite in
 * place. Not thread-safe: one per appending thread.
 */
final class RingCursor {
  private final long ringBytes;
  private long nextOffset;

  RingCursor(long ringBytes) {
    this.ringBytes = ringBytes;
  }

  /** Reserves {@code length} bytes and returns their file offset. */
  long place(int length) {
    if (length > ringBytes) {
      throw new IllegalArgumentException("batch of " + length + " bytes exceeds the ring of "
          + ringBytes);
    }
    if (nextOffset + length > ringBytes) {
      nextOffset = 0;
    }
    long offset = nextOffset;
    nextOffset += length;
    return offset;
  }
}
