package io.trident.bench.cluster;

import io.trident.NodeOptions;
import io.trident.NodeStats;
import io.trident.Trident;
import io.trident.TridentNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToLongFunction;

/**
 * Trident's replicated KV store: {@code nodeCount} nodes opened with {@link Trident#open} in this
 * JVM, each on 127.0.0.1 with its own data directory. Operation {@code i} is called on node
 * {@code i % n}, as clients spread over members would; followers forward to the leader. Gets
 * use the store's default (linearizable). Started by name from {@link ClusterSystems}.
 */
public final class TridentKvSystem implements KvSystem {
  private static final String GROUP_ID = "cluster-bench";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  /**
   * The Raft entries a member has applied (each holds many client operations), read on the
   * leader: {@link io.trident.NodeStats#entriesApplied()}. A hook so a finer metric can replace it.
   */
  static volatile ToLongFunction<TridentNode> raftEntryCounter =
      node -> node.stats().entriesApplied();

  private final List<TridentNode> nodes;
  private final List<String> options;

  private TridentKvSystem(List<TridentNode> nodes, List<String> options) {
    this.nodes = nodes;
    this.options = options;
  }

  /** Starts the members; {@code options} are {@code name=value} NodeOptions set on each. */
  public static TridentKvSystem start(int nodeCount, Path directory, List<String> options) {
    List<String> peers = new ArrayList<>();
    for (int i = 0; i < nodeCount; i++) {
      peers.add("127.0.0.1:" + LoopbackPorts.free());
    }
    List<TridentNode> nodes = new ArrayList<>();
    TridentKvSystem system = new TridentKvSystem(nodes, List.copyOf(options));
    try {
      for (int i = 0; i < nodeCount; i++) {
        NodeOptions.Builder builder = NodeOptions.builder()
            .dataDir(directory.resolve("node-" + i)).groupId(GROUP_ID).self(peers.get(i))
            .peers(peers);
        for (String option : options) {
          int equals = option.indexOf('=');
          if (equals <= 0) {
            throw new IllegalArgumentException("--trident-options takes name=value, not '"
                + option + "'");
          }
          builder.set(option.substring(0, equals).trim(), option.substring(equals + 1).trim());
        }
        nodes.add(Trident.open(builder.build()));
      }
      for (TridentNode node : nodes) {
        node.awaitReady(READY_TIMEOUT);
      }
      return system;
    } catch (RuntimeException | Error e) {
      system.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return ClusterReport.TRIDENT;
  }

  @Override
  public String description() {
    return "trident: " + nodes.size() + " nodes in one JVM (Trident.open, "
        + (options.isEmpty() ? "default options" : "options " + options) + "),"
        + " ops spread over every node, linearizable gets";
  }

  @Override
  public int nodeCount() {
    return nodes.size();
  }

  @Override
  public CompletableFuture<?> put(int nodeIndex, byte[] key, byte[] value) {
    return nodes.get(nodeIndex).kv().put(key, value);
  }

  @Override
  public CompletableFuture<?> get(int nodeIndex, byte[] key) {
    return nodes.get(nodeIndex).kv().get(key);
  }

  @Override
  public long raftEntryCount() {
    for (TridentNode node : nodes) {
      if (node.isLeader()) {
        return raftEntryCounter.applyAsLong(node);
      }
    }
    return nodes.isEmpty() ? -1 : raftEntryCounter.applyAsLong(nodes.get(0));
  }

  @Override
  public LayerSample sampleLayers() {
    List<NodeStats> stats = new ArrayList<>();
    List<Boolean> leaders = new ArrayList<>();
    for (TridentNode node : nodes) {
      stats.add(node.stats());
      leaders.add(node.isLeader());
    }
    return new TridentLayers(stats, leaders);
  }

  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      try {
        nodes.get(i).close();
      } catch (RuntimeException e) {
        System.err.println("[cluster] closing trident node " + i + ": " + e);
      }
    }
  }
}
