package io.trident.internal.collection;

/**
 * A map from any long to a non-negative int in primitive arrays (no boxing): open addressing
 * with linear probing and backward-shift removal, at most half full, so 24 to 48 bytes per entry.
 * Not thread-safe.
 */
final class LongIntMap {
  private static final int ABSENT = -1;

  private long[] keys;
  /** value + 1 per slot; 0 marks an empty slot. */
  private int[] values;
  private int size;

  LongIntMap() {
    keys = new long[16];
    values = new int[16];
  }

  int size() {
    return size;
  }

  /** The value of {@code key}, or -1. */
  int get(long key) {
    int mask = keys.length - 1;
    for (int i = hash(key) & mask; values[i] != 0; i = (i + 1) & mask) {
      if (keys[i] == key) {
        return values[i] - 1;
      }
    }
    return ABSENT;
  }

  /** Maps {@code key} to {@code value} (>= 0). */
  void put(long key, int value) {
    if (2 * (size + 1) > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    int i = hash(key) & mask;
    while (values[i] != 0 && keys[i] != key) {
      i = (i + 1) & mask;
    }
    if (values[i] == 0) {
      size++;
    }
    keys[i] = key;
    values[i] = value + 1;
  }

  /** Removes {@code key}; returns its value or -1. */
  int remove(long key) {
    int mask = keys.length - 1;
    int i = hash(key) & mask;
    while (values[i] != 0 && keys[i] != key) {
      i = (i + 1) & mask;
    }
    if (values[i] == 0) {
      return ABSENT;
    }
    int removed = values[i] - 1;
    // Backward shift: move later entries of the probe run into the hole when their home allows.
    int hole = i;
    for (int j = (i + 1) & mask; values[j] != 0; j = (j + 1) & mask) {
      int home = hash(keys[j]) & mask;
      boolean movable = hole <= j ? home <= hole || home > j : home <= hole && home > j;
      if (movable) {
        keys[hole] = keys[j];
        values[hole] = values[j];
        hole = j;
      }
    }
    values[hole] = 0;
    size--;
    return removed;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new int[oldKeys.length * 2];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldValues[i] != 0) {
        put(oldKeys[i], oldValues[i] - 1);
      }
    }
  }

  private static int hash(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }
}
