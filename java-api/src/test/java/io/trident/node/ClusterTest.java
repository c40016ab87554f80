package io.trident.node;

import static io.trident.node.KvStoreTest.await;
import static io.trident.node.KvStoreTest.b;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.BatchResult;
import io.trident.KeyValue;
import io.trident.NodeOptions;
import io.trident.ReadConsistency;
import io.trident.Trident;
import io.trident.TridentNode;
import io.trident.WriteBatch;
import io.trident.internal.node.ReplicatedNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three real members in this JVM on 127.0.0.1: replication, forwarding, failover, catch-up. */
class ClusterTest {
  private static final long CONVERGE_MILLIS_MAX = 30_000;

  @TempDir Path root;

  @Test
  void writesOnEveryMemberReplicateAndLinearizableReadsSeeThem() throws Exception {
    try (TestCluster cluster = new TestCluster(root, 3).startAll()) {
      for (int member = 0; member < 3; member++) {
        TridentNode node = cluster.node(member);
        await(node.kv().put(b("from-" + member), b("v" + member)));
        assertArrayEquals(b("v" + member), await(node.kv().get(b("from-" + member),
            ReadConsistency.READ_YOUR_WRITES)), "member " + member + " reads its own write");
        for (int reader = 0; reader < 3; reader++) {
          assertArrayEquals(b("v" + member), await(cluster.node(reader).kv()
              .get(b("from-" + member), ReadConsistency.LINEARIZABLE)),
              "member " + reader + " reads member " + member + "'s acknowledged write");
        }
      }
      int leader = cluster.awaitLeader();
      int follower = (leader + 1) % 3;
      assertTrue(cluster.node(follower).stats().entriesForwarded() > 0);
      assertEquals(3, cluster.node(follower).members().size());
      assertEquals(cluster.addresses.get(leader), cluster.node(follower).leaderAddress());
      awaitConverged(cluster);
    }
  }

  @Test
  void leaderLossUnderLoadKeepsEveryAcknowledgedWrite() throws Exception {
    try (TestCluster cluster = new TestCluster(root, 3).startAll()) {
      Map<String, String> acknowledged = new ConcurrentHashMap<>();
      List<CompletableFuture<Void>> inFlight = new ArrayList<>();
      int oldLeader = cluster.awaitLeader();
      for (int i = 0; i < 3000; i++) {
        if (i == 1500) {
          cluster.stop(oldLeader);
        }
        int member = i % 3;
        if (cluster.node(member) == null) {
          continue;
        }
        String key = "load-" + i;
        String value = "value-" + i;
        inFlight.add(cluster.node(member).kv().put(b(key), b(value))
            .thenRun(() -> acknowledged.put(key, value)).exceptionally(error -> null));
        if (inFlight.size() >= 64) {
          inFlight.remove(0).get(30, TimeUnit.SECONDS);
        }
      }
      CompletableFuture.allOf(inFlight.toArray(new CompletableFuture[0])).get(60,
          TimeUnit.SECONDS);
      int newLeader = cluster.awaitLeader();
      assertNotEquals(oldLeader, newLeader);
      assertTrue(acknowledged.size() > 2000, "most writes were acknowledged: "
          + acknowledged.size());
      cluster.start(oldLeader);
      Map<String, String> state = awaitConverged(cluster);
      acknowledged.forEach((key, value) -> assertEquals(value, state.get(key),
          "acknowledged write " + key + " survived the leader's loss"));
    }
  }

  @Test
  void laggingFollowerCatchesUpThroughSnapshotAfterCompaction() throws Exception {
    try (TestCluster cluster = new TestCluster(root, 3).startAll()) {
      int leader = cluster.awaitLeader();
      int lagging = (leader + 1) % 3;
      await(cluster.node(leader).kv().put(b("before"), b("1")));
      cluster.stop(lagging);
      putMany(cluster.node(leader), "snap-", 500);
      for (int member = 0; member < 3; member++) {
        if (member != lagging) {
          await(((ReplicatedNode) cluster.node(member)).snapshotNow());
        }
      }
      putMany(cluster.node(leader), "after-", 100);
      // jraft compacts the log only up to the previous snapshot: a second snapshot on every live
      // member (whichever leads now) drops what the lagging member is missing.
      for (int member = 0; member < 3; member++) {
        if (member != lagging) {
          await(((ReplicatedNode) cluster.node(member)).snapshotNow());
        }
      }
      cluster.start(lagging);
      awaitConverged(cluster);
      assertTrue(cluster.node(lagging).stats().snapshotsLoaded() >= 1,
          "the restarted follower installed a snapshot: " + cluster.node(lagging).stats());
      assertArrayEquals(b("v499"), await(cluster.node(lagging).kv().get(b("snap-499"),
          ReadConsistency.LOCAL)));
    }
  }

  @Test
  void membersCanBeAddedAndRemovedWhileServing() throws Exception {
    try (TestCluster cluster = new TestCluster(root, 3).startAll()) {
      putMany(cluster.node(0), "m-", 200);
      String fourth = "127.0.0.1:" + TestCluster.freeLoopbackPort();
      NodeOptions joining = NodeOptions.builder().dataDir(root.resolve("node-4"))
          .groupId(TestCluster.GROUP).self(fourth).joinExisting(true)
          .electionTimeout(Duration.ofMillis(600)).build();
      try (TridentNode added = Trident.open(joining)) {
        await(cluster.node(1).addMember(fourth));
        assertEquals(4, cluster.node(cluster.awaitLeader()).members().size());
        putMany(cluster.node(2), "n-", 100);
        awaitValue(added, "n-99", "v99");
        awaitValue(added, "m-199", "v199");
        int leader = cluster.awaitLeader();
        int removed = (leader + 1) % 3;
        await(cluster.node(leader).removeMember(cluster.addresses.get(removed)));
        assertFalse(cluster.node(leader).members().contains(cluster.addresses.get(removed)));
        await(cluster.node(leader).kv().put(b("after-removal"), b("ok")));
        awaitValue(added, "after-removal", "ok");
      }
    }
  }

  @Test
  void batchRetriedOnAnotherMemberAfterLeaderChangeAppliesOnce() throws Exception {
    try (TestCluster cluster = new TestCluster(root, 3).startAll()) {
      int leader = cluster.awaitLeader();
      int first = (leader + 1) % 3;
      int second = (leader + 2) % 3;
      await(cluster.node(first).kv().put(b("balance"), b("100")));
      WriteBatch debit = WriteBatch.atomic("debit-42")
          .compareAndSet(b("balance"), b("100"), b("60")).put(b("ledger-42"), b("-40"));
      BatchResult applied = await(cluster.node(first).kv().write(debit));
      assertTrue(applied.succeeded());
      cluster.stop(leader);
      cluster.awaitLeader();
      await(cluster.node(second).kv().put(b("balance"), b("100")));
      BatchResult retried = await(cluster.node(second).kv().write(debit));
      assertTrue(retried.duplicate(), "the new leader remembers the batch id");
      assertTrue(retried.succeeded(), "and returns the first outcome");
      assertArrayEquals(b("100"), await(cluster.node(second).kv().get(b("balance"))),
          "the retry applied nothing");
    }
  }

  static void putMany(TridentNode node, String prefix, int count) throws Exception {
    List<CompletableFuture<Void>> puts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      puts.add(node.kv().put(b(prefix + i), b("v" + i)));
    }
    CompletableFuture.allOf(puts.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
  }

  static void awaitValue(TridentNode node, String key, String value) throws Exception {
    long deadline = System.currentTimeMillis() + CONVERGE_MILLIS_MAX;
    while (System.currentTimeMillis() < deadline) {
      byte[] current = await(node.kv().get(b(key), ReadConsistency.LOCAL));
      if (current != null && value.equals(new String(current, UTF_8))) {
        return;
      }
      TestCluster.sleep(20);
    }
    throw new AssertionError(node.self() + " never applied " + key + "=" + value);
  }

  /** Waits until every running member holds the same state; returns it. */
  static Map<String, String> awaitConverged(TestCluster cluster) throws Exception {
    long deadline = System.currentTimeMillis() + CONVERGE_MILLIS_MAX;
    List<Map<String, String>> states = new ArrayList<>();
    while (System.currentTimeMillis() < deadline) {
      states.clear();
      for (int member = 0; member < cluster.size(); member++) {
        if (cluster.node(member) != null) {
          states.add(contents(cluster.node(member)));
        }
      }
      if (states.stream().distinct().count() == 1) {
        return states.get(0);
      }
      TestCluster.sleep(50);
    }
    throw new AssertionError("replicas did not converge; sizes "
        + states.stream().map(Map::size).toList());
  }

  static Map<String, String> contents(TridentNode node) throws Exception {
    Map<String, String> out = new TreeMap<>();
    for (KeyValue entry : await(node.kv().scan(null, null, Integer.MAX_VALUE,
        ReadConsistency.LOCAL))) {
      out.put(new String(entry.key(), UTF_8), new String(entry.value(), UTF_8));
    }
    return out;
  }
}
