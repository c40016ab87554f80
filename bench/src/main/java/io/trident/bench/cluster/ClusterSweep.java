package io.trident.bench.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs every (workload, in-flight) measurement of the options on one system started in this JVM
 * in a fresh temporary directory, which is deleted after the system is closed. The cluster is
 * started once per system and reused across measurements (puts first, so mix90 reads find
 * keys). Each row is printed on stderr as it is measured.
 */
public final class ClusterSweep {
  /** Starts a system of {@code nodeCount} members keeping its data under {@code directory}. */
  @FunctionalInterface
  public interface Starter {
    KvSystem start(int nodeCount, Path directory) throws Exception;
  }

  private ClusterSweep() {}

  public static List<ClusterResult> run(String name, Starter starter,
      ClusterBenchOptions options) throws Exception {
    Path directory = Files.createTempDirectory("trident-cluster-" + name + "-");
    List<ClusterResult> rows = new ArrayList<>();
    try {
      System.err.println("[cluster] starting " + name + " (" + options.nodeCount()
          + " nodes) in " + directory);
      try (KvSystem system = starter.start(options.nodeCount(), directory)) {
        System.err.println("[cluster] " + system.description());
        DriverSettings base = options.driverSettings();
        for (Workload workload : options.workloads()) {
          for (int inflight : options.inflights()) {
            ClosedLoopDriver driver = new ClosedLoopDriver(system, base.with(workload, inflight));
            ClusterResult row = driver.run();
            System.err.println("[cluster]   " + row);
            writeLayers(options, row, driver.layerLines());
            rows.add(row);
          }
        }
      }
    } finally {
      deleteRecursively(directory);
    }
    return rows;
  }

  /** Prints a row's per-layer table and appends it to {@code DIR/layers.txt}. */
  private static void writeLayers(ClusterBenchOptions options, ClusterResult row,
      List<String> lines) throws IOException {
    if (lines.isEmpty()) {
      return;
    }
    List<String> block = new ArrayList<>();
    block.add("# layers: " + row);
    block.addAll(lines);
    block.forEach(line -> System.err.println("[cluster]   " + line));
    Files.createDirectories(options.out());
    Files.write(options.out().resolve("layers.txt"), block, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + directory, e);
    }
  }
}
