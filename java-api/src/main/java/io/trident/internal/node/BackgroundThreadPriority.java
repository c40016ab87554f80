package io.trident.internal.node;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the CPU priority of the calling thread alone (Linux: the nice value is per thread, set
 * with {@code setpriority(PRIO_PROCESS, tid, nice)}), for work that may trail: the collection
 * indexer. When CPUs are short, the Raft pipeline (which acknowledges writes) and search callers
 * then run before graph inserts, and the inserts take the idle time. Elsewhere (no Linux, no
 * libc through JNA, a refused call) it leaves the thread as it is and says so once at debug
 * level; priority is an optimisation, never a condition of correctness.
 */
final class BackgroundThreadPriority {
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundThreadPriority.class);
  private static final int PRIO_PROCESS = 0;

  /** The libc calls used; loaded on first use. */
  private interface LibC extends Library {
    int setpriority(int which, int who, int prio);

    long syscall(long number);
  }

  private BackgroundThreadPriority() {}

  /**
   * Sets the calling thread's nice value to {@code nice} (0 normal .. 19 lowest); true when the
   * kernel took it.
   */
  static boolean lowerCurrentThread(int nice) {
    long gettid = gettidSyscallNumber();
    if (gettid < 0) {
      LOG.debug("no per-thread priority on {} {}", System.getProperty("os.name"),
          System.getProperty("os.arch"));
      return false;
    }
    try {
      LibC libc = Native.load("c", LibC.class);
      long tid = libc.syscall(gettid);
      return tid > 0 && libc.setpriority(PRIO_PROCESS, (int) tid, nice) == 0;
    } catch (LinkageError | RuntimeException e) {
      LOG.debug("cannot lower the priority of thread {}: {}", Thread.currentThread().getName(),
          e.toString());
      return false;
    }
  }

  private static long gettidSyscallNumber() {
    if (!System.getProperty("os.name", "").equals("Linux")) {
      return -1;
    }
    return switch (System.getProperty("os.arch", "")) {
      case "amd64", "x86_64" -> 186;
      case "aarch64" -> 178;
      default -> -1;
    };
  }
}
