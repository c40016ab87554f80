package io.trident.nativelib;

import io.trident.internal.nativelib.NativeErrors;
import io.trident.internal.nativelib.NativeHost;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The CPU topology the kernel reports in sysfs: online CPUs with their package (socket),
 * physical core, SMT siblings and NUMA node, and the cache sizes of the first CPU. Read by the
 * native library ({@code trident/cpu_topology.h}); {@link #read(Path)} takes another /sys tree
 * (tests use fixture trees of a 2-socket SMT host).
 *
 * <p>Immutable and thread-safe. {@link #current()} reads this machine once per process.
 */
public final class CpuTopology {
  /** One online CPU; {@code firstSibling} is the lowest CPU of its SMT group (its core's id). */
  public record Cpu(int cpu, int packageId, int coreId, int node, int firstSibling) {}

  private static final int ROWS_FIRST_TRY = 256;
  private static volatile CpuTopology current;

  private final List<Cpu> cpus;
  private final long[] cacheBytes;
  private final TreeMap<Integer, int[]> cpusByNode = new TreeMap<>();

  private CpuTopology(List<Cpu> cpus, long[] cacheBytes) {
    this.cpus = Collections.unmodifiableList(cpus);
    this.cacheBytes = cacheBytes;
    TreeMap<Integer, List<Integer>> grouped = new TreeMap<>();
    for (Cpu cpu : cpus) {
      grouped.computeIfAbsent(cpu.node(), node -> new ArrayList<>()).add(cpu.cpu());
    }
    grouped.forEach((node, list) ->
        cpusByNode.put(node, list.stream().mapToInt(Integer::intValue).toArray()));
  }

  /** This machine's topology (read from /sys on first use). */
  public static CpuTopology current() {
    TridentNative.ensureAvailability();
    return currentLoaded();
  }

  /** {@link #current()} for callers that know the library loaded (TridentNative's load line). */
  static CpuTopology currentLoaded() {
    CpuTopology topology = current;
    if (topology == null) {
      topology = readLoaded(Path.of("/sys"));
      current = topology;
    }
    return topology;
  }

  /**
   * Reads the topology under {@code sysRoot} (a directory shaped like /sys). Throws
   * StorageIoException when its {@code devices/system/cpu/online} cannot be read.
   */
  public static CpuTopology read(Path sysRoot) {
    Objects.requireNonNull(sysRoot, "sysRoot");
    TridentNative.ensureAvailability();
    return readLoaded(sysRoot);
  }

  private static CpuTopology readLoaded(Path sysRoot) {
    int rowsMax = ROWS_FIRST_TRY;
    while (true) {
      int[] rows = new int[rowsMax * NativeHost.COLUMNS];
      long[] caches = new long[NativeHost.CACHE_SLOTS];
      int count;
      try {
        count = NativeHost.read_cpu_topology(sysRoot.toString(), rowsMax, rows, caches);
      } catch (RuntimeException e) {
        throw NativeErrors.translate(e);
      }
      if (count <= rowsMax) {
        List<Cpu> cpus = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          int at = i * NativeHost.COLUMNS;
          cpus.add(new Cpu(rows[at + NativeHost.COLUMN_CPU], rows[at + NativeHost.COLUMN_PACKAGE],
              rows[at + NativeHost.COLUMN_CORE], rows[at + NativeHost.COLUMN_NODE],
              rows[at + NativeHost.COLUMN_FIRST_SIBLING]));
        }
        return new CpuTopology(cpus, caches);
      }
      rowsMax = count;
    }
  }

  /** Online CPUs, ascending. */
  public List<Cpu> cpus() {
    return cpus;
  }

  public int logicalCpuCount() {
    return cpus.size();
  }

  /** Physical cores: distinct SMT groups. */
  public int physicalCoreCount() {
    return (int) cpus.stream().mapToInt(Cpu::firstSibling).distinct().count();
  }

  /** Hardware threads of the largest core (1 without SMT). */
  public int smtThreadsPerCore() {
    TreeMap<Integer, Integer> perCore = new TreeMap<>();
    cpus.forEach(cpu -> perCore.merge(cpu.firstSibling(), 1, Integer::sum));
    return perCore.values().stream().mapToInt(Integer::intValue).max().orElse(1);
  }

  public int packageCount() {
    return (int) cpus.stream().mapToInt(Cpu::packageId).distinct().count();
  }

  /** NUMA nodes that hold online CPUs, ascending (node 0 alone on a kernel without NUMA). */
  public List<Integer> nodes() {
    return List.copyOf(cpusByNode.keySet());
  }

  public int nodeCount() {
    return cpusByNode.size();
  }

  /** Online CPUs of {@code node}, ascending; empty when the node has none or does not exist. */
  public int[] cpusOfNode(int node) {
    int[] list = cpusByNode.get(node);
    return list == null ? new int[0] : list.clone();
  }

  /** The node of an online CPU, or -1 when {@code cpu} is not online. */
  public int nodeOf(int cpu) {
    return cpus.stream().filter(c -> c.cpu() == cpu).mapToInt(Cpu::node).findFirst().orElse(-1);
  }

  /** The SMT siblings of {@code cpu} including itself, ascending; empty when not online. */
  public int[] siblingsOf(int cpu) {
    int group = cpus.stream().filter(c -> c.cpu() == cpu).mapToInt(Cpu::firstSibling)
        .findFirst().orElse(-1);
    return cpus.stream().filter(c -> c.firstSibling() == group && group >= 0)
        .mapToInt(Cpu::cpu).toArray();
  }

  /** L1 data cache of the first CPU in bytes (0 = not reported); likewise the others. */
  public long l1DataCacheBytes() {
    return cacheBytes[0];
  }

  public long l1InstructionCacheBytes() {
    return cacheBytes[1];
  }

  public long l2CacheBytes() {
    return cacheBytes[2];
  }

  public long l3CacheBytes() {
    return cacheBytes[3];
  }

  /**
   * One line for logs and benchmark output, e.g. {@code cpus=8 cores=4 smt=2 packages=2
   * numa_nodes=2 [0:0-1,4-5 1:2-3,6-7] l1d=48KiB l2=2MiB l3=105MiB}.
   */
  public String summary() {
    StringBuilder nodeText = new StringBuilder();
    cpusByNode.forEach((node, list) -> nodeText.append(nodeText.length() == 0 ? "" : " ")
        .append(node).append(':').append(CpuLists.format(list)));
    return "cpus=" + logicalCpuCount() + " cores=" + physicalCoreCount()
        + " smt=" + smtThreadsPerCore() + " packages=" + packageCount()
        + " numa_nodes=" + nodeCount() + " [" + nodeText + "]"
        + " l1d=" + bytes(l1DataCacheBytes()) + " l2=" + bytes(l2CacheBytes())
        + " l3=" + bytes(l3CacheBytes());
  }

  @Override
  public String toString() {
    return summary();
  }

  private static String bytes(long value) {
    if (value == 0) {
      return "?";
    }
    if (value % (1L << 20) == 0) {
      return (value >> 20) + "MiB";
    }
    return value % 1024 == 0 ? (value >> 10) + "KiB" : value + "B";
  }

  /** Distinct nodes of the given CPUs (-1 for a CPU that is not online). */
  TreeSet<Integer> nodesOf(int[] cpuNumbers) {
    TreeSet<Integer> nodes = new TreeSet<>();
    for (int cpu : cpuNumbers) {
      nodes.add(nodeOf(cpu));
    }
    return nodes;
  }
}
