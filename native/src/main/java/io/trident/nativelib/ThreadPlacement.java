package io.trident.nativelib;

import io.trident.error.InvalidArgumentException;
import io.trident.internal.nativelib.NativeErrors;
import io.trident.internal.nativelib.NativeHost;
import java.util.Arrays;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Where a Trident thread runs: nowhere in particular ({@link #NONE}, the default), on chosen CPUs
 * ({@link #cpus}), or on one NUMA node ({@link #numaNode}: that node's CPUs, and new memory the
 * thread allocates from that node). Text form ({@link #parse}, {@link #toString}): {@code none},
 * {@code cpus:0-3,8}, {@code node:1}.
 *
 * <p>What a placement does on a given machine is {@link #plan}, a pure function of the
 * {@link CpuTopology}; {@link #applyToCurrentThread} then asks the kernel. Clean no-ops, never
 * errors: a node placement on a machine with one NUMA node (nothing to choose), a node or CPUs
 * that are not online (a configuration shared by a fleet of different hosts), and a kernel or
 * container that refuses the system calls (EPERM under seccomp, EINVAL outside the cpuset). The
 * {@link Outcome} says what happened and why; the caller logs it. Only malformed text throws
 * ({@link InvalidArgumentException}).
 *
 * <p>Memory: a node placement (or CPUs that all lie on one node of a multi-node machine) sets
 * the thread's memory policy to prefer that node (MPOL_PREFERRED: other nodes are used when it is
 * full, an allocation never fails because of it). Pages follow the thread that first touches
 * them, so an index built or loaded on a placed thread lives on its node.
 *
 * <p>Immutable and thread-safe; applying acts on the calling thread only (threads it starts
 * later inherit it).
 */
public final class ThreadPlacement {
  /** No placement: the thread runs wherever the OS puts it. */
  public static final ThreadPlacement NONE = new ThreadPlacement(Kind.NONE, new int[0], -1);

  private enum Kind { NONE, CPUS, NODE }

  /** What a placement would do on one machine: CPUs to pin (empty: none), node to prefer (-1). */
  public record Plan(int[] cpus, int memoryNode, String reason) {
    public boolean pins() {
      return cpus.length > 0;
    }
  }

  /** What applying did: whether the affinity and the memory policy were set, and a description. */
  public record Outcome(boolean pinned, boolean memoryPlaced, String description) {}

  /** The placement last applied on each thread (by {@link #applyToCurrentThreadOnce}). */
  private static final ThreadLocal<ThreadPlacement> APPLIED_ON_THIS_THREAD = new ThreadLocal<>();

  private final Kind kind;
  private final int[] cpus;
  private final int node;

  private ThreadPlacement(Kind kind, int[] cpus, int node) {
    this.kind = kind;
    this.cpus = cpus;
    this.node = node;
  }

  /** Run on these CPUs (0..4095, at least one). */
  public static ThreadPlacement cpus(int... cpus) {
    Objects.requireNonNull(cpus, "cpus");
    if (cpus.length == 0 || Arrays.stream(cpus).anyMatch(c -> c < 0 || c > CpuLists.CPU_MAX)) {
      throw new InvalidArgumentException("placement CPUs must be 1 or more numbers in 0.."
          + CpuLists.CPU_MAX + ", got " + Arrays.toString(cpus));
    }
    return new ThreadPlacement(Kind.CPUS, CpuLists.sortedDistinct(cpus), -1);
  }

  /** Run on the CPUs of NUMA node {@code node} (0..1023) and prefer its memory. */
  public static ThreadPlacement numaNode(int node) {
    if (node < 0 || node > 1023) {
      throw new InvalidArgumentException("placement NUMA node must be in 0..1023, got " + node);
    }
    return new ThreadPlacement(Kind.NODE, new int[0], node);
  }

  /** Parses {@code none}, {@code cpus:LIST} (Linux cpu list, e.g. 0-3,8) or {@code node:N}. */
  public static ThreadPlacement parse(String text) {
    Objects.requireNonNull(text, "placement");
    String value = text.strip();
    if (value.equals("none")) {
      return NONE;
    }
    if (value.startsWith("cpus:")) {
      return cpus(CpuLists.parse(value.substring(5), "placement \"" + text + "\""));
    }
    if (value.startsWith("node:") && value.length() > 5 && value.length() <= 9
        && value.substring(5).chars().allMatch(Character::isDigit)) {
      return numaNode(Integer.parseInt(value.substring(5)));
    }
    throw new InvalidArgumentException(
        "placement must be none, cpus:LIST (e.g. cpus:0-3,8) or node:N, got \"" + text + "\"");
  }

  public boolean isNone() {
    return kind == Kind.NONE;
  }

  /** What this placement does on a machine with {@code topology}, without changing anything. */
  public Plan plan(CpuTopology topology) {
    Objects.requireNonNull(topology, "topology");
    switch (kind) {
      case NONE:
        return new Plan(new int[0], -1, "no placement");
      case NODE:
        if (topology.nodeCount() <= 1) {
          return new Plan(new int[0], -1, "one NUMA node: nothing to place");
        }
        int[] nodeCpus = topology.cpusOfNode(node);
        if (nodeCpus.length == 0) {
          return new Plan(new int[0], -1,
              "node " + node + " has no online CPUs here (nodes " + topology.nodes() + ")");
        }
        return new Plan(nodeCpus, node, "node " + node + ": cpus " + CpuLists.format(nodeCpus));
      default:
        int[] online = Arrays.stream(cpus).filter(c -> topology.nodeOf(c) >= 0).toArray();
        if (online.length == 0) {
          return new Plan(new int[0], -1, "none of cpus " + CpuLists.format(cpus) + " is online");
        }
        TreeSet<Integer> nodes = topology.nodesOf(online);
        int memoryNode = topology.nodeCount() > 1 && nodes.size() == 1 ? nodes.first() : -1;
        return new Plan(online, memoryNode, "cpus " + CpuLists.format(online)
            + (memoryNode >= 0 ? " (node " + memoryNode + ")" : ""));
    }
  }

  /**
   * Applies this placement to the calling thread unless it was the last one applied there through
   * this method: the outcome the first time (for the caller to log), null on later calls. For
   * threads the library does not create (jraft's disk thread): cheap enough to call per batch.
   */
  public Outcome applyToCurrentThreadOnce() {
    if (isNone() || equals(APPLIED_ON_THIS_THREAD.get())) {
      return null;
    }
    APPLIED_ON_THIS_THREAD.set(this);
    return applyToCurrentThread();
  }

  /** Applies {@link #plan} for this machine to the calling thread. */
  public Outcome applyToCurrentThread() {
    return isNone() ? new Outcome(false, false, "no placement")
        : applyToCurrentThread(CpuTopology.current());
  }

  /** Applies {@link #plan}{@code (topology)} to the calling thread; never throws for refusals. */
  public Outcome applyToCurrentThread(CpuTopology topology) {
    Plan plan = plan(topology);
    String thread = "thread " + Thread.currentThread().getName() + ": ";
    if (!plan.pins() && plan.memoryNode() < 0) {
      return new Outcome(false, false, thread + "not placed (" + plan.reason() + ")");
    }
    try {
      int pinError =
          plan.pins() ? NativeHost.pin_current_thread(plan.cpus(), plan.cpus().length) : 0;
      int memoryError = plan.memoryNode() >= 0 && pinError == 0
          ? NativeHost.prefer_memory_node_for_current_thread(plan.memoryNode()) : 0;
      if (pinError != 0) {
        return new Outcome(false, false, thread + "not placed on " + plan.reason()
            + ": sched_setaffinity refused (" + errnoName(pinError) + ")");
      }
      boolean memoryPlaced = plan.memoryNode() >= 0 && memoryError == 0;
      String memory = plan.memoryNode() < 0 ? ""
          : memoryPlaced ? ", memory prefers node " + plan.memoryNode()
          : ", memory policy refused (" + errnoName(memoryError) + ")";
      return new Outcome(plan.pins(), memoryPlaced, thread + "placed on " + plan.reason() + memory);
    } catch (RuntimeException e) {
      throw NativeErrors.translate(e);
    }
  }

  /** The CPUs the calling thread may run on now, ascending. */
  public static int[] currentThreadCpus() {
    TridentNative.ensureAvailability();
    int[] cpus = new int[CpuLists.CPU_MAX + 1];
    int count = NativeHost.current_thread_cpus(cpus, cpus.length);
    return count < 0 ? new int[0] : Arrays.copyOf(cpus, Math.min(count, cpus.length));
  }

  /** The node the calling thread's memory policy prefers, or -1 for the default policy. */
  public static int currentThreadPreferredMemoryNode() {
    TridentNative.ensureAvailability();
    int[] node = {-1};
    return NativeHost.current_thread_preferred_memory_node(node) == 0 ? node[0] : -1;
  }

  /** The placement of the calling thread as text, e.g. {@code cpus=0-1 mempolicy=default}. */
  public static String describeCurrentThread() {
    int node = currentThreadPreferredMemoryNode();
    return "cpus=" + CpuLists.format(currentThreadCpus())
        + " mempolicy=" + (node < 0 ? "default" : "prefer:" + node);
  }

  /**
   * Prints what each placement would do on a host: {@code java -cp trident-native.jar:javacpp.jar
   * io.trident.nativelib.ThreadPlacement [--sys-root DIR] PLACEMENT...} (DIR: a /sys tree, e.g. a
   * copy from a 2-socket host; default this machine's /sys). Changes nothing.
   */
  public static void main(String[] args) {
    int first = args.length >= 2 && args[0].equals("--sys-root") ? 2 : 0;
    CpuTopology topology = first == 2 ? CpuTopology.read(java.nio.file.Path.of(args[1]))
        : CpuTopology.current();
    System.out.println("topology: " + topology.summary());
    for (int i = first; i < args.length; i++) {
      Plan plan = parse(args[i]).plan(topology);
      System.out.println(args[i] + " -> " + (plan.pins() ? "pin to cpus "
          + CpuLists.format(plan.cpus()) : "no pinning") + ", memory "
          + (plan.memoryNode() >= 0 ? "prefers node " + plan.memoryNode() : "as the OS decides")
          + " (" + plan.reason() + ")");
    }
  }

  private static String errnoName(int errno) {
    return switch (errno) {
      case 1 -> "EPERM";
      case 22 -> "EINVAL";
      case 38 -> "ENOSYS";
      default -> "errno " + errno;
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case NONE -> "none";
      case NODE -> "node:" + node;
      case CPUS -> "cpus:" + CpuLists.format(cpus);
    };
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ThreadPlacement that && toString().equals(that.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }
}
