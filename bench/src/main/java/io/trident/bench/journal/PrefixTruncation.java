package io.trident.bench.journal;

/**
 * When the benchmark truncates the log's prefix: every {@code everyBatches} appendEntries calls it
 * keeps only the last {@code keepEntries} entries, as jraft does after each snapshot. That is the
 * journal's steady state (it never grows without bound); {@link #NONE} measures a log that only
 * grows. The truncation runs inside the timed call that triggered it, as on jraft's disk thread.
 *
 * @param everyBatches appendEntries calls between truncations; 0 = never
 * @param keepEntries entries kept behind the last appended one (>= 1)
 */
record PrefixTruncation(int everyBatches, long keepEntries) {
  static final PrefixTruncation NONE = new PrefixTruncation(0, 1);

  PrefixTruncation {
    if (everyBatches < 0 || keepEntries < 1) {
      throw new IllegalArgumentException("--truncate-every must be >= 0 and --keep-entries >= 1,"
          + " got " + everyBatches + " and " + keepEntries);
    }
  }

  /**
   * The first index to keep after call number {@code appendCalls} (1-based) appended up to
   * {@code lastIndex}, or 0 when this call truncates nothing.
   */
  long firstIndexKeptAfter(long appendCalls, long lastIndex) {
    if (everyBatches == 0 || appendCalls % everyBatches != 0) {
      return 0;
    }
    long firstIndexKept = lastIndex - keepEntries + 1;
    return firstIndexKept > 1 ? firstIndexKept : 0;
  }

  String describe() {
    return everyBatches == 0 ? "none (the log only grows)"
        : "every " + everyBatches + " calls, keeping the last " + keepEntries + " entries";
  }
}
