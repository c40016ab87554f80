package io.trident.bench.cluster;

/**
 * One closed-loop measurement: {@code inflight} operations outstanding at all times for
 * {@code warmupSeconds} (not recorded) and then {@code measureSeconds} (recorded). Keys are
 * uniform over {@code keySpace} keys from a generator seeded with {@code seed}; values are
 * {@code valueBytes} long. {@code operationsMax} bounds the operations one run may start, and
 * {@code drainSecondsMax} how long the end of a run waits for outstanding operations, which are
 * then counted as errors.
 */
public record DriverSettings(Workload workload, int inflight, int valueBytes, int keySpace,
    long seed, double warmupSeconds, double measureSeconds, long operationsMax,
    double drainSecondsMax) {
  public static final int KEY_SPACE_DEFAULT = 1_000_000;
  public static final long OPERATIONS_MAX_DEFAULT = 2_000_000_000L;
  public static final double DRAIN_SECONDS_MAX_DEFAULT = 30;

  public DriverSettings {
    if (inflight <= 0) {
      throw new IllegalArgumentException("inflight must be positive: " + inflight);
    }
    if (valueBytes <= 0 || keySpace <= 0 || operationsMax <= 0) {
      throw new IllegalArgumentException("valueBytes, keySpace and operationsMax must be positive");
    }
    if (!(warmupSeconds >= 0) || !(measureSeconds > 0) || !(drainSecondsMax > 0)) {
      throw new IllegalArgumentException("warmupSeconds >= 0, measureSeconds and drainSecondsMax"
          + " > 0 required");
    }
  }

  /** The same settings with another workload and in-flight count. */
  public DriverSettings with(Workload otherWorkload, int otherInflight) {
    return new DriverSettings(otherWorkload, otherInflight, valueBytes, keySpace, seed,
        warmupSeconds, measureSeconds, operationsMax, drainSecondsMax);
  }
}
