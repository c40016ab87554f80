package io.trident.testing;

/** Seeds of randomized tests: fresh each run, printed, and replayable from the command line. */
public final class Seeds {
  private Seeds() {}

  /** {@code -Dtrident.test.seed=N} when given (to replay), else a fresh seed; printed either way. */
  public static long of(String test) {
    long seed = Long.getLong("trident.test.seed", System.nanoTime());
    System.out.println(test + " seed " + seed + " (replay: -Dtrident.test.seed=" + seed + ")");
    return seed;
  }
}
