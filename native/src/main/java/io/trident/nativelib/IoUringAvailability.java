package io.trident.nativelib;

import io.trident.internal.nativelib.NativeGroupCommit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether group commit can use io_uring in this process: the native probe (ring setup, opcodes, a
 * NOP round trip; environment variable TRIDENT_IO_URING=off) combined with system property
 * {@code trident.io_uring=off} (read at each call). The native probe runs once; the reason is
 * logged once when io_uring is not used.
 */
final class IoUringAvailability {
  static final String DISABLE_PROPERTY = "trident.io_uring";

  private static final System.Logger LOG = System.getLogger(GroupCommitFile.class.getName());
  private static final AtomicBoolean LOGGED = new AtomicBoolean();

  private IoUringAvailability() {}

  private static final class Probe {
    static final String CAUSE = probe();

    private static String probe() {
      return NativeGroupCommit.ioUringAvailable()
          ? null
          : NativeGroupCommit.ioUringUnavailabilityCause();
    }
  }

  /** True when -Dtrident.io_uring=off (or 0, false) is set. */
  static boolean forcedOffByProperty() {
    String value = System.getProperty(DISABLE_PROPERTY, "");
    return value.equals("off") || value.equals("0") || value.equals("false");
  }

  /** Why io_uring is not used, or null. */
  static String cause() {
    if (!TridentNative.isAvailable()) {
      return "Trident's native library did not load: " + TridentNative.unavailabilityCause();
    }
    if (forcedOffByProperty()) {
      return "disabled by system property " + DISABLE_PROPERTY + "="
          + System.getProperty(DISABLE_PROPERTY);
    }
    return Probe.CAUSE;
  }

  static void logOnceIfUnavailable() {
    String cause = cause();
    if (cause != null && LOGGED.compareAndSet(false, true)) {
      LOG.log(System.Logger.Level.WARNING,
          "io_uring unavailable, group commit uses pwritev + fdatasync (helper threads): " + cause);
    }
  }
}
