package io.trident.node;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.BatchResult;
import io.trident.BatchResult.Outcome;
import io.trident.KeyValue;
import io.trident.KvStore;
import io.trident.ReadConsistency;
import io.trident.TridentNode;
import io.trident.WriteBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key-value operations on a real single-node store (jraft + Chronicle journal + LMDB). */
class KvStoreTest {
  @TempDir Path root;
  private TestCluster cluster;
  private KvStore kv;

  @BeforeEach
  void open() throws Exception {
    cluster = new TestCluster(root, 1).startAll();
    kv = cluster.node(0).kv();
  }

  @AfterEach
  void close() {
    cluster.close();
  }

  static byte[] b(String text) {
    return text.getBytes(UTF_8);
  }

  static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(30, TimeUnit.SECONDS);
  }

  @Test
  void putGetDeleteAndCompareAndSet() throws Exception {
    assertNull(await(kv.get(b("k"))));
    await(kv.put(b("k"), b("v1")));
    assertArrayEquals(b("v1"), await(kv.get(b("k"))));
    assertArrayEquals(b("v1"), await(kv.get(b("k"), ReadConsistency.LOCAL)));
    assertFalse(await(kv.compareAndSet(b("k"), b("other"), b("v2"))));
    assertTrue(await(kv.compareAndSet(b("k"), b("v1"), b("v2"))));
    assertArrayEquals(b("v2"), await(kv.get(b("k"))));
    assertFalse(await(kv.compareAndSet(b("new"), b("x"), b("y"))), "absent key never matches");
    assertTrue(await(kv.compareAndSet(b("new"), null, b("created"))), "null expects absence");
    assertTrue(await(kv.compareAndSet(b("new"), b("created"), null)), "null update deletes");
    assertNull(await(kv.get(b("new"))));
    assertTrue(await(kv.delete(b("k"))));
    assertFalse(await(kv.delete(b("k"))));
    assertNull(await(kv.get(b("k"))));
  }

  @Test
  void concurrentWritesShareEntriesAndAllApply() throws Exception {
    int count = 5000;
    List<CompletableFuture<Void>> puts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      puts.add(kv.put(b("key-" + i), b("value-" + i)));
    }
    CompletableFuture.allOf(puts.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
    for (int i = 0; i < count; i += 97) {
      assertArrayEquals(b("value-" + i), await(kv.get(b("key-" + i))));
    }
    TridentNode node = cluster.node(0);
    assertEquals(count, node.stats().opsSubmitted());
    assertTrue(node.stats().entriesProposed() < count, "ops were packed into shared entries: "
        + node.stats());
  }

  @Test
  void scanReturnsKeysInOrderWithinBoundsAndLimit() throws Exception {
    for (String key : List.of("b", "a", "d", "c", "e")) {
      await(kv.put(b(key), b("v" + key)));
    }
    List<KeyValue> range = await(kv.scan(b("b"), b("e"), 10));
    assertEquals(List.of("b", "c", "d"), range.stream().map(e -> new String(e.key(), UTF_8))
        .toList());
    assertArrayEquals(b("vc"), range.get(1).value());
    assertEquals(2, await(kv.scan(null, null, 2)).size());
    assertEquals(5, await(kv.scan(null, null, 100, ReadConsistency.LOCAL)).size());
  }

  @Test
  void atomicBatchAppliesAllOrNothing() throws Exception {
    await(kv.put(b("x"), b("1")));
    BatchResult failed = await(kv.write(WriteBatch.atomic("t1").put(b("y"), b("2"))
        .compareAndSet(b("x"), b("wrong"), b("3")).delete(b("x"))));
    assertFalse(failed.succeeded());
    assertEquals(Outcome.ABORTED, failed.outcome(0));
    assertEquals(Outcome.CAS_FAILED, failed.outcome(1));
    assertEquals(Outcome.ABORTED, failed.outcome(2));
    assertNull(await(kv.get(b("y"))), "nothing of an aborted batch applied");
    assertArrayEquals(b("1"), await(kv.get(b("x"))));

    BatchResult ok = await(kv.write(WriteBatch.atomic("t2").put(b("y"), b("2"))
        .compareAndSet(b("x"), b("1"), b("3")).delete(b("absent"))));
    assertTrue(ok.succeeded());
    assertEquals(Outcome.NOT_FOUND, ok.outcome(2));
    assertArrayEquals(b("3"), await(kv.get(b("x"))));
  }

  @Test
  void perOperationBatchIsolatesFailuresAndRetriedIdAppliesOnce() throws Exception {
    await(kv.put(b("counter"), b("0")));
    WriteBatch batch = WriteBatch.perOperation("retry-me").compareAndSet(b("counter"), b("0"),
        b("1")).compareAndSet(b("counter"), b("7"), b("8")).put(b("z"), b("26"));
    BatchResult first = await(kv.write(batch));
    assertEquals(List.of(Outcome.APPLIED, Outcome.CAS_FAILED, Outcome.APPLIED),
        List.of(first.outcome(0), first.outcome(1), first.outcome(2)));
    assertFalse(first.duplicate());
    await(kv.put(b("counter"), b("0")));
    BatchResult retried = await(kv.write(batch));
    assertTrue(retried.duplicate(), "the same id is recognised");
    assertEquals(first.outcome(0), retried.outcome(0));
    assertArrayEquals(b("0"), await(kv.get(b("counter"))), "the retry applied nothing");
  }

  @Test
  void stateSurvivesRestartAndReplaysOnlyWhatIsMissing() throws Exception {
    for (int i = 0; i < 200; i++) {
      await(kv.put(b("r" + i), b("v" + i)));
    }
    long applied = ((io.trident.internal.node.ReplicatedNode) cluster.node(0)).appliedIndex();
    cluster.stop(0);
    cluster.start(0);
    cluster.awaitLeader();
    kv = cluster.node(0).kv();
    for (int i = 0; i < 200; i += 13) {
      assertArrayEquals(b("v" + i), await(kv.get(b("r" + i))));
    }
    assertEquals(0, cluster.node(0).stats().entriesApplied(),
        "entries up to the applied index " + applied + " were not applied again");
  }
}
