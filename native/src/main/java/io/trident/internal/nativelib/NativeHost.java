package io.trident.internal.nativelib;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Const;
import org.bytedeco.javacpp.annotation.Namespace;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * JavaCPP mapping of {@code trident/cpu_topology.h} and {@code trident/thread_placement.h}.
 * Internal: use {@link io.trident.nativelib.CpuTopology} and
 * {@link io.trident.nativelib.ThreadPlacement}, which check arguments first and translate errors.
 * Arrays are copied in and out by JavaCPP (small: at most a few thousand ints).
 */
@Platform(include = {"trident/cpu_topology.h", "trident/thread_placement.h"},
    link = "trident_core")
@Namespace("trident")
public final class NativeHost {
  static {
    Loader.load();
  }

  /** Columns of one topology row (see cpu_topology.h). */
  public static final int COLUMN_CPU = 0;
  public static final int COLUMN_PACKAGE = 1;
  public static final int COLUMN_CORE = 2;
  public static final int COLUMN_NODE = 3;
  public static final int COLUMN_FIRST_SIBLING = 4;
  public static final int COLUMNS = 5;
  /** Slots of the cache-size array: L1 data, L1 instruction, L2, L3 (bytes, 0 = unknown). */
  public static final int CACHE_SLOTS = 4;

  private NativeHost() {}

  /** rows: rowsMax * COLUMNS ints; cacheBytes: CACHE_SLOTS longs. Returns the online CPU count. */
  public static native int read_cpu_topology(@Cast("const char*") String sysRoot, int rowsMax,
      @Cast("int32_t*") int[] rows, @Cast("int64_t*") long[] cacheBytes);

  /** 0 or the errno of the refused sched_setaffinity. */
  public static native int pin_current_thread(@Const @Cast("int32_t*") int[] cpus, int count);

  /** Number of allowed CPUs (may exceed cpusMax), or -errno. */
  public static native int current_thread_cpus(@Cast("int32_t*") int[] cpus, int cpusMax);

  /** 0 or the errno of the refused set_mempolicy; node -1 restores the default policy. */
  public static native int prefer_memory_node_for_current_thread(int node);

  /** 0 or errno; node[0] = preferred node, -1 for the default policy. */
  public static native int current_thread_preferred_memory_node(@Cast("int32_t*") int[] node);
}
