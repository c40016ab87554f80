package io.trident.raftlog;

/**
 * The logical log: {@code [first, last]} plus the record map. The same transitions run when a
 * record is written and when the journal is replayed on open, so the state after a restart is the
 * state that was acknowledged. The log is empty when {@code last < first}; a fresh log has
 * first = 1, last = 0.
 *
 * <p>Thread rules: not thread-safe; {@link ChronicleLogStorage} mutates it under its write lock
 * from the disk thread and reads it under its read lock.
 */
final class LogState {
  private long first = 1;
  private long last = 0;
  private final RaftIndexMap records = new RaftIndexMap();

  long first() {
    return first;
  }

  long last() {
    return last;
  }

  boolean isEmpty() {
    return last < first;
  }

  RaftIndexMap records() {
    return records;
  }

  /**
   * Whether a batch starting at {@code firstIndex} continues the log: anywhere when the log is
   * empty, else inside {@code [first, last + 1]} (an overlap truncates the suffix it replaces).
   */
  boolean canAppendAt(long firstIndex) {
    return firstIndex >= 1 && (isEmpty() || (firstIndex >= first && firstIndex <= last + 1));
  }

  /** A BATCH record of entries {@code [firstIndex, firstIndex + count)} at {@code recordIndex}. */
  void applyBatch(long firstIndex, int count, long recordIndex) {
    if (!canAppendAt(firstIndex) || count < 1) {
      throw new IllegalStateException(
          "batch at " + firstIndex + " does not continue log [" + first + ", " + last + "]");
    }
    if (isEmpty()) {
      records.clear();
      first = firstIndex;
    } else {
      records.removeFrom(firstIndex);
    }
    records.add(firstIndex, recordIndex);
    last = firstIndex + count - 1;
  }

  /** Entries after {@code lastIndexKept} are discarded; never below {@code first - 1}. */
  void applyTruncateSuffix(long lastIndexKept) {
    if (lastIndexKept >= last) {
      return;
    }
    last = Math.max(lastIndexKept, first - 1);
    if (isEmpty()) {
      records.clear();
    } else {
      records.removeFrom(last + 1);
    }
  }

  /** Entries before {@code firstIndexKept} are discarded; an empty log then starts there. */
  void applyTruncatePrefix(long firstIndexKept) {
    if (firstIndexKept <= first) {
      return;
    }
    first = firstIndexKept;
    if (firstIndexKept > last) {
      last = firstIndexKept - 1;
      records.clear();
    } else {
      records.removeBefore(firstIndexKept);
    }
  }

  /** A RESET record: the log becomes the single entry {@code nextIndex} held by that record. */
  void applyReset(long nextIndex, long recordIndex) {
    records.clear();
    records.add(nextIndex, recordIndex);
    first = nextIndex;
    last = nextIndex;
  }
}
