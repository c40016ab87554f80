package io.trident.node;

import static io.trident.node.KvStoreTest.await;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.trident.KvStore;
import io.trident.internal.node.ReplicatedNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart keeps the local state when it already holds everything the last snapshot holds, even
 * when the snapshot was taken at an entry without data (a new leader's no-op): the snapshot's
 * state is tagged with the last entry that changed it, not jraft's last included index.
 */
class StateSnapshotRestartTest {
  private static final int KEYS = 50;

  @TempDir Path root;

  @Test
  void restartAfterASnapshotAtANoOpEntryKeepsTheLocalState() throws Exception {
    try (TestCluster cluster = new TestCluster(root, 1).startAll()) {
      KvStore kv = cluster.node(0).kv();
      for (int i = 0; i < KEYS; i++) {
        await(kv.put(key(i), value(i)));
      }
      cluster.stop(0);
      cluster.start(0); // the new term's leader appends a no-op entry: the log now ends without data
      cluster.awaitLeader();
      assertArrayEquals(value(0), await(cluster.node(0).kv().get(key(0)))); // applies the no-op
      await(((ReplicatedNode) cluster.node(0)).snapshotNow());
      cluster.stop(0);
      cluster.start(0);
      cluster.awaitLeader();
      assertEquals(0, cluster.node(0).stats().snapshotsLoaded(),
          "the local state was replaced by a copy of the snapshot it already held");
      for (int i = 0; i < KEYS; i++) {
        assertArrayEquals(value(i), await(cluster.node(0).kv().get(key(i))), "key " + i);
      }
    }
  }

  private static byte[] key(int i) {
    return ("key-" + i).getBytes(UTF_8);
  }

  private static byte[] value(int i) {
    return ("value-" + i).getBytes(UTF_8);
  }
}
