package io.trident.raftlog;

import java.util.Arrays;

/**
 * Raft index -> journal record: one slot per BATCH/RESET record, holding the Raft index of the
 * record's first entry and the Chronicle index of the record. Slots are kept sorted by first Raft
 * index; the entry for Raft index {@code i} lives in the last slot whose first index is {@code <= i},
 * at ordinal {@code i - first}. Memory: 16 bytes per record (not per entry).
 *
 * <p>Thread rules: not thread-safe; {@link ChronicleLogStorage} guards it with its read/write lock.
 */
final class RaftIndexMap {
  private static final int INITIAL_SLOTS = 1024;

  private long[] firstRaftIndexes = new long[INITIAL_SLOTS];
  private long[] recordIndexes = new long[INITIAL_SLOTS];
  /** Live slots are {@code [head, tail)}. */
  private int head;
  private int tail;

  boolean isEmpty() {
    return head == tail;
  }

  int size() {
    return tail - head;
  }

  /** Adds a record whose first entry has {@code firstRaftIndex}, above every slot present. */
  void add(long firstRaftIndex, long recordIndex) {
    if (!isEmpty() && firstRaftIndexes[tail - 1] >= firstRaftIndex) {
      throw new IllegalStateException(
          "record for index " + firstRaftIndex + " added below index " + firstRaftIndexes[tail - 1]);
    }
    if (tail == firstRaftIndexes.length) {
      compactOrGrow();
    }
    firstRaftIndexes[tail] = firstRaftIndex;
    recordIndexes[tail] = recordIndex;
    tail++;
  }

  /** Slot holding {@code raftIndex}, or -1 if it lies below every slot. */
  int find(long raftIndex) {
    int found = Arrays.binarySearch(firstRaftIndexes, head, tail, raftIndex);
    if (found >= 0) {
      return found;
    }
    int insertion = -found - 1;
    return insertion == head ? -1 : insertion - 1;
  }

  long firstRaftIndexAt(int slot) {
    return firstRaftIndexes[slot];
  }

  long recordIndexAt(int slot) {
    return recordIndexes[slot];
  }

  /** Chronicle index of the oldest record still referenced; the map must not be empty. */
  long oldestRecordIndex() {
    if (isEmpty()) {
      throw new IllegalStateException("empty index map");
    }
    return recordIndexes[head];
  }

  /** Drops every slot whose first Raft index is {@code >= raftIndex} (suffix truncation). */
  void removeFrom(long raftIndex) {
    while (tail > head && firstRaftIndexes[tail - 1] >= raftIndex) {
      tail--;
    }
  }

  /** Drops slots whose entries all lie below {@code firstIndexKept} (prefix truncation). */
  void removeBefore(long firstIndexKept) {
    while (tail - head > 1 && firstRaftIndexes[head + 1] <= firstIndexKept) {
      head++;
    }
  }

  void clear() {
    head = 0;
    tail = 0;
  }

  private void compactOrGrow() {
    int live = tail - head;
    if (live < firstRaftIndexes.length / 2) {
      System.arraycopy(firstRaftIndexes, head, firstRaftIndexes, 0, live);
      System.arraycopy(recordIndexes, head, recordIndexes, 0, live);
    } else {
      long[] firsts = new long[firstRaftIndexes.length * 2];
      long[] records = new long[recordIndexes.length * 2];
      System.arraycopy(firstRaftIndexes, head, firsts, 0, live);
      System.arraycopy(recordIndexes, head, records, 0, live);
      firstRaftIndexes = firsts;
      recordIndexes = records;
    }
    head = 0;
    tail = live;
  }
}
