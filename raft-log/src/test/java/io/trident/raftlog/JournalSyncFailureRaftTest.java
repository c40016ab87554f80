package io.trident.raftlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.RaftGroupService;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.core.NodeImpl;
import com.alipay.sofa.jraft.core.State;
import com.alipay.sofa.jraft.entity.EnumOutter.ErrorType;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.Task;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.error.RaftException;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.storage.LogStorage;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, point 2 end to end: a real single-node jraft {@link Node} whose journal's fdatasync
 * starts failing (seeded: after how many committed tasks) must stop acknowledging: the task whose
 * sync failed and every later one fail, nothing after the failure is applied, the state machine
 * hears of the error (EIO) and the node leaves its role. Seed printed; replay with
 * -Dtrident.syncfailure.seed=N.
 */
class JournalSyncFailureRaftTest {
  private static final long WAIT_SECONDS_MAX = 30;

  @TempDir Path dataDirectory;
  private final long seed = Long.getLong("trident.syncfailure.seed", System.nanoTime());

  @Test
  void failedSyncFailsTheTaskAndStepsTheNodeDown() throws Exception {
    System.out.println("JournalSyncFailureRaftTest seed=" + seed + " (replay: -Dtrident.syncfailure.seed=" + seed + ")");
    SplittableRandom random = new SplittableRandom(seed);
    PowerLossFileSystem disk = new PowerLossFileSystem(dataDirectory.resolve("log"), dataDirectory.resolve("images"));
    SingleNodeRaftTest.CountingStateMachine machine = new SingleNodeRaftTest.CountingStateMachine();
    PeerId serverId = new PeerId("127.0.0.1", SingleNodeRaftTest.freeLoopbackPort());
    RaftGroupService service = SingleNodeRaftTest.start("sync-failure-test", serverId, machine, dataDirectory,
        new TridentServiceFactory() {
          @Override
          public LogStorage createLogStorage(String uri, RaftOptions raftOptions) {
            return new ChronicleLogStorage(Path.of(uri), RollCycles.FIVE_MINUTELY, disk.syncers());
          }
        });
    try {
      Node node = service.getRaftNode();
      machine.awaitLeaderTerm();
      int committed = 1 + random.nextInt(20);
      for (int sequence = 0; sequence < committed; sequence++) {
        assertTrue(apply(node, sequence).isOk(), "task " + sequence + "; seed=" + seed);
      }

      disk.failSyncsFrom(1);
      assertFalse(apply(node, committed).isOk(), "a task whose fdatasync failed was acknowledged; seed=" + seed);
      RaftException error = machine.awaitError();
      assertEquals(ErrorType.ERROR_TYPE_LOG, error.getType(), error.toString());
      assertEquals(RaftError.EIO, error.getStatus().getRaftError(), error.toString());
      // jraft tells the state machine first, then the node steps down: wait for it (bounded).
      assertEquals(State.STATE_ERROR, awaitState(node, State.STATE_ERROR), "the node keeps its role after its journal failed");
      assertFalse(node.isLeader());

      disk.healSyncs(); // the disk recovers, but the journal stays failed until reopened
      assertFalse(apply(node, committed + 1).isOk(), "a task after the failure was acknowledged; seed=" + seed);
      assertEquals(committed, machine.appliedCount.get(), "entries applied after the sync failure; seed=" + seed);
    } finally {
      service.shutdown();
      service.join();
    }
  }

  /** Applies one task and waits (bounded) for its status. */
  private static Status apply(Node node, long sequence) throws Exception {
    CompletableFuture<Status> done = new CompletableFuture<>();
    node.apply(new Task(SingleNodeRaftTest.payload(sequence), done::complete));
    return done.get(WAIT_SECONDS_MAX, TimeUnit.SECONDS);
  }

  /** The node's state once it is {@code wanted}, or its state after WAIT_SECONDS_MAX. */
  private static State awaitState(Node node, State wanted) throws InterruptedException {
    NodeImpl impl = (NodeImpl) node;
    long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS_MAX);
    while (impl.getNodeState() != wanted && System.nanoTime() < deadlineNanos) {
      Thread.sleep(10);
    }
    return impl.getNodeState();
  }
}
