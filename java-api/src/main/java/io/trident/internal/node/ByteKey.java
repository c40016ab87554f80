package io.trident.internal.node;

import java.util.Arrays;

/**
 * A byte-string key for hash maps: content equality, the hash computed once, and LMDB's order
 * (unsigned bytes, a prefix first) for sorting. Never changes its array.
 */
final class ByteKey implements Comparable<ByteKey> {
  final byte[] bytes;
  private final int hash;

  ByteKey(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
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
