package io.trident.internal.node;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many threads the collection indexer's catch-up may add on: every core when the rest of the
 * host (other processes: other members, the application's neighbours) used less than {@value
 * #OTHERS_CORES_MAX} of a core since the last call, else one. On a single node after an ingest
 * the cores are idle and a catch-up runs about twice as fast on two; three members sharing two
 * cores already keep them busy with their own indexers, and more threads would only contend.
 *
 * <p>Measured with the JDK's host and process CPU load ({@code com.sun.management}); where they
 * are unavailable (another JVM, a restricted container), always one thread. Threads: one caller
 * (the indexer thread).
 */
final class SpareCores implements CollectionIndexer.CatchUpThreads {
  private static final Logger LOG = LoggerFactory.getLogger(SpareCores.class);
  /** Busy cores of other processes (core-equivalents) under which the catch-up goes wide. */
  static final double OTHERS_CORES_MAX = 0.5;

  private final com.sun.management.OperatingSystemMXBean os;
  private final int cores;
  private boolean lastWide;

  SpareCores() {
    OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
    this.os = bean instanceof com.sun.management.OperatingSystemMXBean sun ? sun : null;
    this.cores = Runtime.getRuntime().availableProcessors();
    if (os != null) { // starts both loads' sampling intervals
      os.getCpuLoad();
      os.getProcessCpuLoad();
    }
  }

  @Override
  public int threadsNow() {
    if (os == null || cores < 2) {
      return 1;
    }
    double host = os.getCpuLoad();
    double process = os.getProcessCpuLoad();
    if (host < 0 || process < 0) {
      return 1;
    }
    double othersCores = Math.max(0, host - process) * cores;
    boolean wide = othersCores < OTHERS_CORES_MAX;
    if (wide != lastWide) {
      LOG.debug("collection indexer catch-up on {} (other processes use {} cores)",
          wide ? cores + " threads" : "one thread", String.format("%.2f", othersCores));
      lastWide = wide;
    }
    return wide ? 0 : 1;
  }
}
