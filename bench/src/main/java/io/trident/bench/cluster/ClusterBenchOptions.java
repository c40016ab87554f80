package io.trident.bench.cluster;

import io.trident.bench.cli.Arguments;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Options of {@code bench cluster}. {@code peers} are the systems measured besides Trident
 * ({@code none} for Trident alone); {@code trident false} leaves Trident out; {@code
 * tridentOptions} are {@code NodeOptions} set by name ({@code name=value}) on every Trident
 * member, default none (Trident's defaults). Every run of one
 * (system, workload, in-flight) warms up for {@code warmupSeconds} then measures {@code seconds}.
 */
public record ClusterBenchOptions(int nodeCount, List<Integer> inflights, int valueBytes,
    double seconds, double warmupSeconds, List<Workload> workloads, boolean trident,
    List<String> peers, int keySpace, long seed, Path out, String childHeap,
    List<String> tridentOptions) {
  public static final List<String> PEERS_DEFAULT = List.of("jraft-rocksdb", "rheakv", "etcd");
  public static final List<Integer> INFLIGHTS_DEFAULT = List.of(1, 16, 256, 1024);

  public static final String USAGE = String.join("\n",
      "  cluster [--nodes 3] [--inflight 1,16,256,1024] [--value-bytes 100] [--seconds 20]",
      "          [--warmup-seconds S] [--workload put|mix90|both] [--trident true|false]",
      "          [--peers jraft-rocksdb,rheakv,etcd|none] [--key-space 1000000] [--seed 42]",
      "          [--child-heap 2g] [--trident-options name=value,...]",
      "          --out DIR        replicated KV closed loop against peers");

  public static ClusterBenchOptions parse(String[] args) {
    Arguments arguments = Arguments.parse(args);
    int nodeCount = arguments.intValue("nodes", 3);
    List<Integer> inflights = arguments.intList("inflight", INFLIGHTS_DEFAULT);
    int valueBytes = arguments.intValue("value-bytes", 100);
    double seconds = arguments.doubleValue("seconds", 20);
    double warmupSeconds = arguments.doubleValue("warmup-seconds",
        Math.min(5, Math.max(1, seconds / 4)));
    List<Workload> workloads = workloads(arguments.string("workload", "both"));
    boolean trident = Boolean.parseBoolean(arguments.string("trident", "true"));
    List<String> peers = arguments.has("peers") ? arguments.nameList("peers") : PEERS_DEFAULT;
    if (peers.equals(List.of("none"))) {
      peers = List.of();
    }
    int keySpace = arguments.intValue("key-space", DriverSettings.KEY_SPACE_DEFAULT);
    long seed = arguments.longValue("seed", 42);
    Path out = Path.of(arguments.string("out", "bench-out/cluster"));
    String childHeap = arguments.string("child-heap", "2g");
    String tridentOptionText = arguments.string("trident-options", "").trim();
    List<String> tridentOptions = tridentOptionText.isEmpty() ? List.of()
        : List.of(tridentOptionText.split(","));
    arguments.rejectUnused();
    if (nodeCount < 1 || valueBytes < 1 || keySpace < 1 || !(seconds > 0)) {
      throw new IllegalArgumentException("--nodes, --value-bytes, --key-space and --seconds"
          + " must be positive");
    }
    for (String peer : peers) {
      if (!PEERS_DEFAULT.contains(peer)) {
        throw new IllegalArgumentException("unknown peer '" + peer + "' (known: "
            + String.join(",", PEERS_DEFAULT) + ", or none)");
      }
    }
    return new ClusterBenchOptions(nodeCount, inflights, valueBytes, seconds, warmupSeconds,
        workloads, trident, peers, keySpace, seed, out, childHeap, tridentOptions);
  }

  /** The driver settings of the first measurement; the sweep varies workload and in-flight. */
  public DriverSettings driverSettings() {
    return new DriverSettings(workloads.get(0), inflights.get(0), valueBytes, keySpace, seed,
        warmupSeconds, seconds, DriverSettings.OPERATIONS_MAX_DEFAULT,
        DriverSettings.DRAIN_SECONDS_MAX_DEFAULT);
  }

  /** The options a peer's child JVM needs to run the same sweep (see {@link ClusterPeerMain}). */
  public List<String> childArguments() {
    List<String> args = new ArrayList<>(List.of("--nodes", Integer.toString(nodeCount),
        "--inflight", String.join(",", inflights.stream().map(String::valueOf).toList()),
        "--value-bytes", Integer.toString(valueBytes), "--seconds", Double.toString(seconds),
        "--warmup-seconds", Double.toString(warmupSeconds),
        "--workload", workloads.size() == 1 ? workloads.get(0).label() : "both",
        "--key-space", Integer.toString(keySpace), "--seed", Long.toString(seed)));
    return args;
  }

  private static List<Workload> workloads(String value) {
    if (value.trim().equalsIgnoreCase("both")) {
      return List.of(Workload.PUT, Workload.MIX90);
    }
    List<Workload> result = new ArrayList<>();
    for (String part : value.split(",")) {
      result.add(Workload.parse(part));
    }
    return result;
  }
}
