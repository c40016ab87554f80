package io.trident.internal.node;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether other processes keep the host's cores busy: they used at least {@value
 * #OTHERS_CORES_MAX} of a core (summed over cores) since the last call. Alone on its host a
 * member's indexer may use the idle cores (a catch-up after an ingest adds on all of them, about
 * twice as fast on two); three members sharing two cores keep them busy with their own work, and
 * more indexing threads or an unpaced indexer would take what their ack paths need.
 *
 * <p>Measured with the JDK's host and process CPU load ({@code com.sun.management}); where they
 * are unavailable (a runtime without jdk.management, a one-core host), always busy. Threads: one
 * caller (the indexer thread).
 */
final class SpareCores implements CollectionIndexer.HostLoad {
  private static final Logger LOG = LoggerFactory.getLogger(SpareCores.class);
  /** Busy cores of other processes (core-equivalents) from which they count as busy. */
  static final double OTHERS_CORES_MAX = 0.5;

  private final com.sun.management.OperatingSystemMXBean os;
  private final int cores;
  private boolean lastBusy = true;

  SpareCores() {
    this.os = hostBean();
    this.cores = Runtime.getRuntime().availableProcessors();
    if (os != null) { // starts both loads' sampling intervals
      os.getCpuLoad();
      os.getProcessCpuLoad();
    }
  }

  /**
   * The host load a member's indexer consults: while its group has just this member ({@code
   * memberCount} 1, read at each call) no replica's ack path can share its host, so the host
   * never counts as busy; otherwise a {@link SpareCores} measures it.
   */
  static CollectionIndexer.HostLoad forMember(IntSupplier memberCount) {
    SpareCores spare = new SpareCores();
    return () -> memberCount.getAsInt() != 1 && spare.othersBusy();
  }

  /** The JDK's extended bean, or null where the runtime lacks it (no jdk.management). */
  private static com.sun.management.OperatingSystemMXBean hostBean() {
    try {
      OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
      return bean instanceof com.sun.management.OperatingSystemMXBean sun ? sun : null;
    } catch (LinkageError e) {
      LOG.info("no host CPU load in this runtime ({}): the indexer keeps to one thread",
          e.toString());
      return null;
    }
  }

  /** True while busy, and always where the loads cannot be read or the host has one core. */
  @Override
  public boolean othersBusy() {
    if (os == null || cores < 2) {
      return true;
    }
    double host = os.getCpuLoad();
    double process = os.getProcessCpuLoad();
    if (host < 0 || process < 0) {
      return true;
    }
    double othersCores = Math.max(0, host - process) * cores;
    boolean busy = othersCores >= OTHERS_CORES_MAX;
    if (busy != lastBusy) {
      LOG.debug("collection indexer: other processes use {} of {} cores: {}",
          String.format("%.2f", othersCores), cores, busy
              ? "paced while writes arrive, one thread" : "unpaced, every core once writes stop");
      lastBusy = busy;
    }
    return busy;
  }
}
