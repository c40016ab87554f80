package io.trident.bench.demo;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.trident.NodeOptions;
import io.trident.ReadConsistency;
import io.trident.Trident;
import io.trident.TridentNode;
import io.trident.bench.cluster.LoopbackPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The demo's replicated part: an embedded 3-member cluster on 127.0.0.1 in this JVM writes
 * {@value #KEYS} keys through every member, loses its leader (closed as a crashed process would
 * be, from the others' view), and shows how long writes took to resume and that every
 * acknowledged key is on both survivors.
 */
public final class ClusterDemo {
  private static final int KEYS = 20_000;
  private static final Duration READY = Duration.ofSeconds(30);

  private ClusterDemo() {}

  public static void main(String[] args) throws Exception {
    Path root = Files.createTempDirectory("trident-cluster-demo");
    List<String> peers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      peers.add("127.0.0.1:" + LoopbackPorts.free());
    }
    TridentNode[] nodes = new TridentNode[3];
    for (int i = 0; i < 3; i++) {
      nodes[i] = Trident.open(NodeOptions.builder().dataDir(root.resolve("node-" + i))
          .groupId("demo").self(peers.get(i)).peers(peers).electionTimeout(Duration.ofMillis(500))
          .build());
    }
    try {
      for (TridentNode node : nodes) {
        node.awaitReady(READY);
      }
      long start = System.nanoTime();
      writeAll(nodes, "before-", KEYS);
      double seconds = (System.nanoTime() - start) / 1e9;
      int leader = leaderOf(nodes);
      System.out.printf("[cluster] 3 members %s; wrote %d keys through all members in %.2f s"
          + " (%.0f puts/s); leader %s%n", peers, KEYS, seconds, KEYS / seconds, peers.get(leader));
      nodes[leader].close();
      long killed = System.nanoTime();
      TridentNode survivor = nodes[(leader + 1) % 3];
      survivor.kv().put("first-after-failover".getBytes(UTF_8), "ok".getBytes(UTF_8))
          .get(30, TimeUnit.SECONDS);
      double failoverMillis = (System.nanoTime() - killed) / 1e6;
      nodes[leader] = null;
      int missing = 0;
      for (TridentNode node : nodes) {
        if (node == null) {
          continue;
        }
        node.kv().get("first-after-failover".getBytes(UTF_8)).get(30, TimeUnit.SECONDS);
        for (int i = 0; i < KEYS; i++) {
          if (node.kv().get(("before-" + i).getBytes(UTF_8), ReadConsistency.LOCAL)
              .get() == null) {
            missing++;
          }
        }
      }
      System.out.printf("[cluster] leader lost; first write acknowledged %.0f ms later by the new"
          + " leader %s; acknowledged keys missing on the survivors: %d%n", failoverMillis,
          survivor.leaderAddress(), missing);
    } finally {
      for (TridentNode node : nodes) {
        if (node != null) {
          node.close();
        }
      }
    }
  }

  private static void writeAll(TridentNode[] nodes, String prefix, int count) throws Exception {
    List<CompletableFuture<Void>> window = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] key = (prefix + i).getBytes(UTF_8);
      window.add(nodes[i % nodes.length].kv().put(key, key));
      if (window.size() == 256) {
        CompletableFuture.allOf(window.toArray(new CompletableFuture[0])).get(60,
            TimeUnit.SECONDS);
        window.clear();
      }
    }
    CompletableFuture.allOf(window.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
  }

  private static int leaderOf(TridentNode[] nodes) {
    for (int i = 0; i < nodes.length; i++) {
      if (nodes[i].isLeader()) {
        return i;
      }
    }
    throw new IllegalStateException("no leader");
  }
}
