package io.trident.node;

import static io.trident.node.KvStoreTest.await;
import static io.trident.node.KvStoreTest.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.KvStore;
import io.trident.NodeOptions;
import io.trident.OverloadPolicy;
import io.trident.ReadConsistency;
import io.trident.Trident;
import io.trident.TridentNode;
import io.trident.WriteBatch;
import io.trident.error.ClosedHandleException;
import io.trident.error.DirectoryInUseException;
import io.trident.error.GroupMismatchException;
import io.trident.error.InvalidArgumentException;
import io.trident.error.InvalidOptionException;
import io.trident.error.OverloadedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input is a typed exception with a clear message, and nothing is applied. */
class BadInputTest {
  @TempDir Path root;

  @Test
  void badKeysValuesAndBatchesAreRejectedBeforeAnythingIsApplied() throws Exception {
    try (TestCluster cluster = new TestCluster(root, 1, o -> o.valueBytesMax(1024)
        .batchBytesMax(8192)).startAll()) {
      KvStore kv = cluster.node(0).kv();
      assertMessage(assertThrows(InvalidArgumentException.class, () -> kv.put(null, b("v"))),
          "key must be 1..511 bytes, was null");
      assertMessage(assertThrows(InvalidArgumentException.class, () -> kv.put(new byte[0],
          b("v"))), "was 0 bytes");
      assertMessage(assertThrows(InvalidArgumentException.class, () -> kv.put(new byte[512],
          b("v"))), "was 512 bytes");
      assertMessage(assertThrows(InvalidArgumentException.class, () -> kv.put(b("k"), null)),
          "use delete");
      assertThrows(InvalidArgumentException.class, () -> kv.put(b("k"), new byte[0]));
      assertMessage(assertThrows(InvalidArgumentException.class, () -> kv.put(b("k"),
          new byte[1025])), "valueBytesMax");
      assertThrows(InvalidArgumentException.class, () -> kv.get(null));
      assertThrows(InvalidArgumentException.class, () -> kv.delete(new byte[600]));
      assertThrows(InvalidArgumentException.class, () -> kv.compareAndSet(b("k"), new byte[0],
          b("v")));
      assertThrows(InvalidArgumentException.class, () -> kv.scan(null, null, 0));
      assertThrows(InvalidArgumentException.class, () -> kv.write(null));
      assertThrows(InvalidArgumentException.class, () -> kv.write(WriteBatch.atomic("empty")));
      assertThrows(InvalidArgumentException.class, () -> WriteBatch.atomic(""));
      assertThrows(InvalidArgumentException.class, () -> WriteBatch.atomic("x".repeat(129)));
      WriteBatch badInside = WriteBatch.atomic("bad-inside").put(b("ok"), b("1"))
          .put(new byte[0], b("2"));
      assertMessage(assertThrows(InvalidArgumentException.class, () -> kv.write(badInside)),
          "operation 1 key");
      WriteBatch oversized = WriteBatch.perOperation("oversized");
      for (int i = 0; i < 20; i++) {
        oversized.put(b("big-" + i), new byte[1000]);
      }
      assertMessage(assertThrows(InvalidArgumentException.class, () -> kv.write(oversized)),
          "over batchBytesMax");
      assertThrows(InvalidArgumentException.class, () -> kv.get(b("k"), null));
      assertNull(await(kv.get(b("ok"))), "no part of a rejected batch was applied");
      assertEquals(0, await(kv.scan(null, null, 10)).size(), "nothing was applied at all");
    }
  }

  @Test
  void closedNodeRejectsCalls() throws Exception {
    TestCluster cluster = new TestCluster(root, 1).startAll();
    TridentNode node = cluster.node(0);
    KvStore kv = node.kv();
    node.close();
    node.close();
    assertThrows(ClosedHandleException.class, () -> kv.put(b("k"), b("v")));
    assertThrows(ClosedHandleException.class, () -> kv.get(b("k")));
    assertThrows(ClosedHandleException.class, node::kv);
    assertThrows(ClosedHandleException.class, node::members);
  }

  @Test
  void invalidUnknownAndContradictoryOptionsNameTheOption() {
    NodeOptions.Builder base = NodeOptions.builder().dataDir(root).groupId("g")
        .self("127.0.0.1:7001");
    base.build();
    assertMessage(assertThrows(InvalidOptionException.class, () -> NodeOptions.builder()
        .groupId("g").self("127.0.0.1:1").build()), "dataDir");
    assertMessage(assertThrows(InvalidOptionException.class, () -> NodeOptions.builder()
        .dataDir(root).groupId("bad group!").self("127.0.0.1:1").build()), "groupId");
    assertMessage(assertThrows(InvalidOptionException.class, () -> NodeOptions.builder()
        .dataDir(root).groupId("g").self("127.0.0.1:99999").build()), "port outside");
    assertMessage(assertThrows(InvalidOptionException.class, () -> NodeOptions.builder()
        .dataDir(root).groupId("g").self("0.0.0.0:7001").build()), "wildcard");
    assertMessage(assertThrows(InvalidOptionException.class, () -> NodeOptions.builder()
        .dataDir(root).groupId("g").self("127.0.0.1:7001").peers(List.of("127.0.0.1:7002"))
        .build()), "must include self");
    assertMessage(assertThrows(InvalidOptionException.class, () -> NodeOptions.builder()
        .dataDir(root).groupId("g").self("127.0.0.1:7001").batchBytesMax(8192)
        .valueBytesMax(8192).build()), "must fit in batchBytesMax");
    assertMessage(assertThrows(InvalidOptionException.class, () -> base
        .stateBufferBytesMax(1024).build()), "stateBufferBytesMax");
    base.stateBufferBytesMax(64L << 20);
    assertMessage(assertThrows(InvalidOptionException.class, () -> base
        .indexerCpuPercentWhileWriting(0).build()), "indexerCpuPercentWhileWriting");
    assertMessage(assertThrows(InvalidOptionException.class, () -> base
        .indexerCpuPercentWhileWriting(101).build()), "must be 1..100");
    base.indexerCpuPercentWhileWriting(25);
    assertMessage(assertThrows(InvalidOptionException.class, () -> NodeOptions.builder()
        .set("electionTimeot", "500")), "unknown option NodeOptions.electionTimeot");
    assertMessage(assertThrows(InvalidOptionException.class, () -> NodeOptions.builder()
        .set("requestTimeout", "soon")), "ISO-8601");
    NodeOptions fromText = NodeOptions.builder().set("dataDir", root.toString())
        .set("groupId", "g").set("self", "127.0.0.1:7001").set("requestTimeout", "PT3S")
        .set("overloadPolicy", "fail").set("stateBufferBytesMax", "268435456")
        .set("indexerCpuPercentWhileWriting", "100").build();
    assertEquals(OverloadPolicy.FAIL, fromText.overloadPolicy());
    assertEquals(100, fromText.indexerCpuPercentWhileWriting());
    assertEquals(256L << 20, fromText.stateBufferBytesMax());
    assertEquals(ReadConsistency.LINEARIZABLE, fromText.readConsistency());
  }

  @Test
  void directoryInUseOrOfAnotherGroupIsRefused() throws Exception {
    NodeOptions same;
    try (TestCluster cluster = new TestCluster(root, 1).startAll()) {
      same = cluster.options(0);
      assertMessage(assertThrows(DirectoryInUseException.class, () -> Trident.open(same)),
          "in use by another open Trident node");
    }
    NodeOptions otherGroup = NodeOptions.builder().dataDir(root.resolve("node-0"))
        .groupId("another-group").self("127.0.0.1:" + TestCluster.freeLoopbackPort()).build();
    assertMessage(assertThrows(GroupMismatchException.class, () -> Trident.open(otherGroup)),
        "holds group \"test-group\"'s data");
    // Refusing did not leave the directory locked.
    try (TridentNode reopened = Trident.open(same)) {
      reopened.awaitReady(TestCluster.READY_TIMEOUT);
      assertTrue(reopened.isLeader());
    }
  }

  @Test
  void overloadFailsFastAndStaysBounded() throws Exception {
    try (TestCluster cluster = new TestCluster(root, 1, o -> o.inflightOpsMax(8)
        .overloadPolicy(OverloadPolicy.FAIL)).startAll()) {
      KvStore kv = cluster.node(0).kv();
      List<CompletableFuture<Void>> puts = new ArrayList<>();
      for (int i = 0; i < 5000; i++) {
        puts.add(kv.put(b("o" + i), b("v")));
      }
      int overloaded = 0;
      int applied = 0;
      for (CompletableFuture<Void> put : puts) {
        try {
          put.get(30, TimeUnit.SECONDS);
          applied++;
        } catch (ExecutionException e) {
          assertInstanceOf(OverloadedException.class, e.getCause());
          overloaded++;
        }
      }
      assertTrue(overloaded > 0, "5000 puts against 8 in-flight slots overloaded some");
      assertTrue(applied >= 8, "the first ones were applied: " + applied);
      assertEquals(applied, await(kv.scan(null, null, 10_000)).size(),
          "exactly the acknowledged puts were applied");
    }
  }

  /**
   * With no quorum nothing completes, so the in-flight limit is reached and stays reached: exactly
   * {@code inflightOpsMax} puts are accepted and every further caller waits inside put; once the
   * quorum is back, every put is acknowledged (WAIT fails none of them).
   */
  @Test
  void overloadWithWaitBlocksCallersAtTheInflightLimit() throws Exception {
    int inflightMax = 8;
    int callers = 16;
    try (TestCluster cluster = new TestCluster(root, 3, o -> o.inflightOpsMax(inflightMax)
        .overloadPolicy(OverloadPolicy.WAIT).requestTimeout(Duration.ofSeconds(60)))
        .startAll()) {
      int leader = cluster.awaitLeader();
      List<Integer> followers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        if (i != leader) {
          followers.add(i);
          cluster.stop(i);
        }
      }
      KvStore kv = cluster.node(leader).kv();
      AtomicInteger accepted = new AtomicInteger();
      ExecutorService threads = Executors.newFixedThreadPool(callers);
      List<Future<CompletableFuture<Void>>> calls = new ArrayList<>();
      for (int t = 0; t < callers; t++) {
        byte[] key = b("wait-" + t);
        calls.add(threads.submit(() -> {
          CompletableFuture<Void> put = kv.put(key, b("v"));
          accepted.incrementAndGet();
          return put;
        }));
      }
      for (int i = 0; i < 100 && accepted.get() < inflightMax; i++) {
        TestCluster.sleep(50);
      }
      TestCluster.sleep(500);
      assertEquals(inflightMax, accepted.get(),
          "without a quorum exactly inflightOpsMax puts are accepted; the rest wait in put");
      for (int follower : followers) {
        cluster.start(follower);
      }
      for (Future<CompletableFuture<Void>> call : calls) {
        call.get(60, TimeUnit.SECONDS).get(60, TimeUnit.SECONDS);
      }
      threads.shutdown();
      assertEquals(callers, accepted.get());
      assertEquals(callers, await(kv.scan(b("wait-"), b("wait."), 100)).size());
    }
  }

  private static void assertMessage(Throwable error, String fragment) {
    assertTrue(error.getMessage().contains(fragment), "message \"" + error.getMessage()
        + "\" should mention \"" + fragment + "\"");
  }
}
