package io.trident.raftlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.RaftGroupService;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.core.NodeImpl;
import com.alipay.sofa.jraft.core.State;
import com.alipay.sofa.jraft.core.StateMachineAdapter;
import com.alipay.sofa.jraft.entity.EnumOutter.ErrorType;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.Task;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.error.RaftException;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.storage.LogStorage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, point 2 end to end: a real single-node jraft {@link Node} whose journal's fdatasync
 * starts failing (seeded: after how many committed tasks) must stop acknowledging: the task whose
 * sync failed and every later one fail, nothing after the failure is applied, the state machine
 * hears of the error and the node leaves the leader role. Seed printed; replay with
 * -Dtrident.syncfailure.seed=N.
 */
class JournalSyncFailureRaftTest {
  private static final String GROUP_ID = "sync-failure-test";
  private static final int ELECTION_TIMEOUT_MILLIS = 300;
  private static final long WAIT_SECONDS_MAX = 30;

  @TempDir Path dataDirectory;
  private final long seed = Long.getLong("trident.syncfailure.seed", System.nanoTime());

  @Test
  void failedSyncFailsTheTaskAndStepsTheNodeDown() throws Exception {
    System.out.println("JournalSyncFailureRaftTest seed=" + seed + " (replay: -Dtrident.syncfailure.seed=" + seed + ")");
    SplittableRandom random = new SplittableRandom(seed);
    PowerLossFileSystem disk = new PowerLossFileSystem(dataDirectory.resolve("log"), dataDirectory.resolve("images"));
    RecordingStateMachine machine = new RecordingStateMachine();
    PeerId serverId = new PeerId("127.0.0.1", freeLoopbackPort());
    RaftGroupService service = start(serverId, machine, disk);
    try {
      Node node = service.getRaftNode();
      machine.awaitLeader();
      int committed = 1 + random.nextInt(20);
      for (int i = 0; i < committed; i++) {
        assertTrue(apply(node, i).get(WAIT_SECONDS_MAX, TimeUnit.SECONDS).isOk(), "task " + i + "; seed=" + seed);
      }

      disk.failSyncsFrom(1);
      Status failed = apply(node, committed).get(WAIT_SECONDS_MAX, TimeUnit.SECONDS);
      assertFalse(failed.isOk(), "a task whose fdatasync failed was acknowledged; seed=" + seed);
      RaftException error = machine.awaitError();
      assertEquals(ErrorType.ERROR_TYPE_LOG, error.getType(), error.toString());
      assertEquals(RaftError.EIO, error.getStatus().getRaftError(), error.toString());
      // jraft tells the state machine first, then the node steps down: wait for it (bounded).
      assertEquals(State.STATE_ERROR, awaitState(node, State.STATE_ERROR), "the node keeps its role after its journal failed");
      assertFalse(node.isLeader());

      disk.healSyncs(); // the disk recovers, but the journal stays failed until reopened
      Status later = apply(node, committed + 1).get(WAIT_SECONDS_MAX, TimeUnit.SECONDS);
      assertFalse(later.isOk(), "a task after the failure was acknowledged; seed=" + seed);
      assertEquals(committed, machine.appliedCount.get(), "entries applied after the sync failure; seed=" + seed);
    } finally {
      service.shutdown();
      service.join();
    }
  }

  private RaftGroupService start(PeerId serverId, RecordingStateMachine machine, PowerLossFileSystem disk) {
    NodeOptions options = new NodeOptions();
    options.setServiceFactory(new TridentServiceFactory() {
      @Override
      public LogStorage createLogStorage(String uri, RaftOptions raftOptions) {
        return new ChronicleLogStorage(Path.of(uri), RollCycles.FIVE_MINUTELY, disk.syncers());
      }
    });
    options.setFsm(machine);
    options.setInitialConf(new Configuration(List.of(serverId)));
    options.setElectionTimeoutMs(ELECTION_TIMEOUT_MILLIS);
    options.setLogUri(disk.journal().toString());
    options.setRaftMetaUri(dataDirectory.resolve("meta").toString());
    options.setDisableCli(true);
    RaftGroupService service = new RaftGroupService(GROUP_ID, serverId, options, BoundRaftRpcServer.create(serverId));
    service.start();
    return service;
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

  private static CompletableFuture<Status> apply(Node node, long sequence) {
    CompletableFuture<Status> done = new CompletableFuture<>();
    ByteBuffer payload = ByteBuffer.allocate(Long.BYTES).putLong(0, sequence);
    node.apply(new Task(payload, done::complete));
    return done;
  }

  private static int freeLoopbackPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Counts applied data entries and keeps the first error jraft reports. FSM thread only writes. */
  private static final class RecordingStateMachine extends StateMachineAdapter {
    final AtomicInteger appliedCount = new AtomicInteger();
    private final CountDownLatch leaderStarted = new CountDownLatch(1);
    private final CompletableFuture<RaftException> error = new CompletableFuture<>();

    @Override
    public void onApply(Iterator iterator) {
      while (iterator.hasNext()) {
        if (iterator.getData() != null && iterator.getData().remaining() == Long.BYTES) {
          appliedCount.incrementAndGet();
        }
        if (iterator.done() != null) {
          iterator.done().run(Status.OK());
        }
        iterator.next();
      }
    }

    @Override
    public void onLeaderStart(long term) {
      leaderStarted.countDown();
    }

    @Override
    public void onError(RaftException e) {
      error.complete(e);
    }

    void awaitLeader() throws InterruptedException {
      assertTrue(leaderStarted.await(WAIT_SECONDS_MAX, TimeUnit.SECONDS), "no leader elected");
    }

    RaftException awaitError() throws Exception {
      RaftException e = error.get(WAIT_SECONDS_MAX, TimeUnit.SECONDS);
      assertNotNull(e);
      return e;
    }
  }
}
