package io.trident.internal.node;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A byte-string key for hash maps: content equality, the hash computed once, and LMDB's order
 * (unsigned bytes, a prefix first) for sorting. Never changes its array.
 */
final class ByteKey implements Comparable<ByteKey> {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  final byte[] bytes;
  private final int hash;

  ByteKey(byte[] bytes) {
    this.bytes = bytes;
    this.hash = hashOf(bytes);
  }

  /**
   * A well-mixed hash of {@code bytes} (8 bytes at a time, then a final avalanche). Not {@link
   * Arrays#hashCode}: its base-31 polynomial maps keys that differ only in their last bytes, as
   * big-endian ids do (collection id, then record id), to a few thousand values, so 100K vector
   * keys shared about 10 per hash and hash-map bins turned into trees.
   */
  static int hashOf(byte[] bytes) {
    long hash = bytes.length * 0x9E3779B97F4A7C15L;
    int i = 0;
    for (; i + Long.BYTES <= bytes.length; i += Long.BYTES) {
      hash = (hash ^ (long) LONGS.get(bytes, i)) * 0xBF58476D1CE4E5B9L;
      hash ^= hash >>> 31;
    }
    for (; i < bytes.length; i++) {
      hash = (hash ^ (bytes[i] & 0xFF)) * 0x94D049BB133111EBL;
    }
    hash ^= hash >>> 29;
    hash *= 0xBF58476D1CE4E5B9L;
    return (int) (hash ^ (hash >>> 32));
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ByteKey key && key.hash == hash && Arrays.equals(key.bytes, bytes);
  }

  @Override
  public int compareTo(ByteKey other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }
}
