package io.trident.internal.node;

import io.trident.BatchResult.Outcome;
import java.nio.ByteBuffer;

/**
 * Applies one {@link EntryFormat} entry to the state: decodes its operations in order, applies
 * them through a {@link StateWrite} (collection operations through {@link CollectionApplier}),
 * remembers the results for idempotent retries, and returns them. Deterministic: every replica
 * computes the same state and the same results.
 *
 * <p>Threads: the state-machine thread only.
 */
final class EntryApplier {
  private static final byte APPLIED = Outcome.APPLIED.code();
  private static final byte NOT_FOUND = Outcome.NOT_FOUND.code();
  private static final byte CAS_FAILED = Outcome.CAS_FAILED.code();
  private static final byte ABORTED = Outcome.ABORTED.code();

  private EntryApplier() {}

  /** The number of client operations in an entry (inner batch operations counted). */
  static int operationCount(ByteBuffer entry) {
    return entry.getInt(entry.position() + EntryFormat.HEADER_BYTES - Integer.BYTES);
  }

  /**
   * Applies {@code entry} (at Raft {@code index}) and returns its results; a re-proposed entry
   * that was applied before returns the first results and changes nothing. Collection changes
   * are noted in {@code collections}.
   */
  static byte[] apply(long index, ByteBuffer entry, StateWrite write,
      CollectionChanges collections) {
    ByteBuffer in = entry.duplicate();
    byte version = in.get();
    if (version != EntryFormat.VERSION) {
      throw new IllegalStateException("entry " + index + " has format version " + version);
    }
    byte flags = in.get();
    long origin = in.getLong();
    long sequence = in.getLong();
    int count = in.getInt();
    byte[] entryKey = EntryFormat.entryKey(origin, sequence);
    if ((flags & EntryFormat.FLAG_RETRY) != 0) {
      byte[] earlier = write.dedupResults(entryKey, index);
      if (earlier != null) {
        return earlier;
      }
    }
    ResultWriter results = new ResultWriter(count);
    for (int i = 0; i < count; i++) {
      byte kind = in.get();
      if (kind == EntryFormat.BATCH) {
        applyBatch(index, in, write, results);
      } else if (CollectionApplier.handles(kind)) {
        CollectionApplier.apply(kind, index, i, in, write, collections, results);
      } else {
        results.add(applySingle(kind, in, write));
      }
    }
    byte[] out = results.toArray();
    write.rememberResults(index, entryKey, out);
    return out;
  }

  private static byte applySingle(byte kind, ByteBuffer in, StateWrite write) {
    ByteBuffer key = EntryFormat.nextSized(in);
    switch (kind) {
      case EntryFormat.PUT -> {
        write.put(key, EntryFormat.nextSized(in));
        return APPLIED;
      }
      case EntryFormat.DELETE -> {
        return write.delete(key) ? APPLIED : NOT_FOUND;
      }
      case EntryFormat.CAS -> {
        ByteBuffer expected = EntryFormat.nextSized(in);
        ByteBuffer update = EntryFormat.nextSized(in);
        if (!write.holds(key, expected)) {
          return CAS_FAILED;
        }
        if (update == null) {
          write.delete(key);
        } else {
          write.put(key, update);
        }
        return APPLIED;
      }
      default -> throw new IllegalStateException("unknown operation kind " + kind);
    }
  }

  private static void applyBatch(long index, ByteBuffer in, StateWrite write,
      ResultWriter results) {
    boolean atomic = in.get() != 0;
    byte[] id = new byte[Short.toUnsignedInt(in.getShort())];
    in.get(id);
    int count = in.getInt();
    byte[] batchKey = EntryFormat.batchKey(id);
    byte[] earlier = write.dedupResults(batchKey, index);
    if (earlier != null) {
      skipOperations(in, count);
      results.add((byte) 1);
      for (int i = 0; i < count; i++) {
        results.add(earlier.length == count ? earlier[i] : ABORTED);
      }
      return;
    }
    byte[] codes = new byte[count];
    boolean failed = false;
    if (atomic) {
      write.beginNested();
    }
    for (int i = 0; i < count; i++) {
      codes[i] = applySingle(in.get(), in, write);
      failed |= codes[i] == CAS_FAILED;
    }
    if (atomic) {
      write.endNested(!failed);
      if (failed) {
        for (int i = 0; i < count; i++) {
          codes[i] = codes[i] == CAS_FAILED ? CAS_FAILED : ABORTED;
        }
      }
    }
    write.rememberResults(index, batchKey, codes);
    results.add((byte) 0);
    for (byte code : codes) {
      results.add(code);
    }
  }

  private static void skipOperations(ByteBuffer in, int count) {
    for (int i = 0; i < count; i++) {
      byte kind = in.get();
      EntryFormat.nextSized(in);
      if (kind == EntryFormat.PUT) {
        EntryFormat.nextSized(in);
      } else if (kind == EntryFormat.CAS) {
        EntryFormat.nextSized(in);
        EntryFormat.nextSized(in);
      }
    }
  }

  /** A growable byte array of results. */
  static final class ResultWriter {
    private byte[] codes;
    private int size;

    ResultWriter(int expected) {
      codes = new byte[Math.max(expected, 1)];
    }

    void add(byte code) {
      if (size == codes.length) {
        codes = java.util.Arrays.copyOf(codes, codes.length * 2);
      }
      codes[size++] = code;
    }

    void addLong(long value) {
      for (int shift = 56; shift >= 0; shift -= 8) {
        add((byte) (value >>> shift));
      }
    }

    byte[] toArray() {
      return size == codes.length ? codes : java.util.Arrays.copyOf(codes, size);
    }
  }
}
