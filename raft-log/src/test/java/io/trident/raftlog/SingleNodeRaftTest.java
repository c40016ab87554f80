package io.trident.raftlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.JRaftServiceFactory;
import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.RaftGroupService;
import com.alipay.sofa.jraft.StateMachine;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.core.StateMachineAdapter;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.Task;
import com.alipay.sofa.jraft.error.RaftException;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.option.RaftMetaStorageOptions;
import com.alipay.sofa.jraft.rpc.RpcServer;
import io.trident.raftlog.meta.LmdbRaftMetaStorage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real single-node jraft {@link Node} on {@link TridentServiceFactory} (Chronicle log, LMDB
 * meta), its RPC server bound to 127.0.0.1: apply entries, restart on the same directories, and
 * check that log, term, vote and the replayed state machine came back.
 */
class SingleNodeRaftTest {
  private static final String GROUP_ID = "single-node-test";
  private static final int ENTRY_COUNT = 500;
  private static final int ENTRY_BYTES = 100;
  private static final int ELECTION_TIMEOUT_MILLIS = 300;
  private static final long WAIT_SECONDS_MAX = 30;

  @TempDir Path dataDirectory;

  @Test
  void appliesEntriesAndRecoversLogTermAndVoteAfterRestart() throws Exception {
    PeerId serverId = new PeerId("127.0.0.1", freeLoopbackPort());

    // First run: elect, apply ENTRY_COUNT entries, wait until every closure reported OK.
    CountingStateMachine firstMachine = new CountingStateMachine();
    RaftGroupService first = start(GROUP_ID, serverId, firstMachine, dataDirectory, new TridentServiceFactory());
    long firstTerm = firstMachine.awaitLeaderTerm();
    applyAll(first.getRaftNode());
    assertTrue(firstMachine.awaitAppliedCount(ENTRY_COUNT), "first run applied "
        + firstMachine.appliedCount.get() + " of " + ENTRY_COUNT);
    long firstLastIndex = first.getRaftNode().getLastLogIndex();
    assertTrue(firstLastIndex >= ENTRY_COUNT, "last log index " + firstLastIndex);
    long firstDigest = firstMachine.digest();
    stop(first);

    // Term and vote are on disk in LMDB: the node voted for itself in the term it leads.
    LmdbRaftMetaStorage meta = new LmdbRaftMetaStorage(dataDirectory.resolve("meta"));
    assertTrue(meta.init(new RaftMetaStorageOptions()));
    assertEquals(firstTerm, meta.getTerm());
    assertEquals(serverId, meta.getVotedFor());
    meta.shutdown();

    // Second run on the same directories: the log is replayed into a fresh state machine.
    CountingStateMachine secondMachine = new CountingStateMachine();
    RaftGroupService second = start(GROUP_ID, serverId, secondMachine, dataDirectory, new TridentServiceFactory());
    long secondTerm = secondMachine.awaitLeaderTerm();
    assertTrue(secondTerm > firstTerm, "a recovered term only grows: first " + firstTerm
        + ", second " + secondTerm);
    assertTrue(secondMachine.awaitAppliedCount(ENTRY_COUNT), "replay applied "
        + secondMachine.appliedCount.get() + " of " + ENTRY_COUNT);
    long secondLastIndex = second.getRaftNode().getLastLogIndex();
    assertTrue(secondLastIndex > firstLastIndex, "log recovered to " + firstLastIndex
        + " and grew by the new term's configuration entry, now " + secondLastIndex);
    assertEquals(ENTRY_COUNT, secondMachine.appliedCount.get());
    assertEquals(0, secondMachine.outOfOrderCount.get());
    assertEquals(firstDigest, secondMachine.digest(), "replayed payloads differ");
    stop(second);

    LmdbRaftMetaStorage metaAfter = new LmdbRaftMetaStorage(dataDirectory.resolve("meta"));
    assertTrue(metaAfter.init(new RaftMetaStorageOptions()));
    assertEquals(secondTerm, metaAfter.getTerm());
    assertEquals(serverId, metaAfter.getVotedFor());
    metaAfter.shutdown();
  }

  /**
   * Starts a one-member group on 127.0.0.1: log in {@code dataDirectory}/log, meta in
   * {@code dataDirectory}/meta, storage from {@code storage}.
   */
  static RaftGroupService start(String groupId, PeerId serverId, StateMachine machine, Path dataDirectory,
      JRaftServiceFactory storage) {
    NodeOptions options = new NodeOptions();
    options.setServiceFactory(storage);
    options.setFsm(machine);
    options.setInitialConf(new Configuration(java.util.List.of(serverId)));
    options.setElectionTimeoutMs(ELECTION_TIMEOUT_MILLIS);
    options.setLogUri(dataDirectory.resolve("log").toString());
    options.setRaftMetaUri(dataDirectory.resolve("meta").toString());
    options.setDisableCli(true);
    // No snapshot URI: nothing is compacted, so the restart must replay the whole log.
    // Bound to the server id's address (127.0.0.1), not 0.0.0.0 as jraft's own factory does.
    RpcServer rpcServer = BoundRaftRpcServer.create(serverId);
    RaftGroupService service = new RaftGroupService(groupId, serverId, options, rpcServer);
    service.start();
    return service;
  }

  private static void stop(RaftGroupService service) throws InterruptedException {
    service.shutdown();
    service.join();
  }

  private static void applyAll(Node node) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(ENTRY_COUNT);
    AtomicInteger failures = new AtomicInteger();
    for (int sequence = 0; sequence < ENTRY_COUNT; sequence++) {
      node.apply(new Task(payload(sequence), status -> {
        if (!status.isOk()) {
          failures.incrementAndGet();
        }
        done.countDown();
      }));
    }
    assertTrue(done.await(WAIT_SECONDS_MAX, TimeUnit.SECONDS), "closures still pending: "
        + done.getCount());
    assertEquals(0, failures.get(), "tasks that did not commit");
  }

  /** ENTRY_BYTES bytes: the sequence number, then bytes derived from it. */
  static ByteBuffer payload(long sequence) {
    ByteBuffer payload = ByteBuffer.allocate(ENTRY_BYTES);
    payload.putLong(0, sequence);
    for (int i = Long.BYTES; i < ENTRY_BYTES; i++) {
      payload.put(i, (byte) (sequence * 31 + i));
    }
    return payload;
  }

  static int freeLoopbackPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * Counts data entries, checks they arrive in sequence order, and keeps a CRC32 of their
   * payloads, and the first error jraft reports. onApply runs on jraft's single FSM thread; readers
   * use the atomics and the synchronized digest.
   */
  static final class CountingStateMachine extends StateMachineAdapter {
    final AtomicInteger appliedCount = new AtomicInteger();
    final AtomicInteger outOfOrderCount = new AtomicInteger();
    private final CRC32 crc = new CRC32();
    private final CountDownLatch leaderStarted = new CountDownLatch(1);
    private final CompletableFuture<RaftException> error = new CompletableFuture<>();
    private volatile long leaderTerm = -1;

    @Override
    public void onApply(Iterator iterator) {
      while (iterator.hasNext()) {
        ByteBuffer data = iterator.getData();
        if (data != null && data.remaining() == ENTRY_BYTES) {
          if (data.getLong(data.position()) != appliedCount.get()) {
            outOfOrderCount.incrementAndGet();
          }
          synchronized (crc) {
            crc.update(data.duplicate());
          }
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
      leaderTerm = term;
      leaderStarted.countDown();
    }

    @Override
    public void onError(RaftException e) {
      error.complete(e);
    }

    /** The first error jraft reported (waits up to WAIT_SECONDS_MAX). */
    RaftException awaitError() throws Exception {
      return error.get(WAIT_SECONDS_MAX, TimeUnit.SECONDS);
    }

    long awaitLeaderTerm() throws InterruptedException {
      assertTrue(leaderStarted.await(WAIT_SECONDS_MAX, TimeUnit.SECONDS), "no leader elected");
      return leaderTerm;
    }

    boolean awaitAppliedCount(int expected) throws InterruptedException {
      long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS_MAX);
      while (appliedCount.get() < expected && System.nanoTime() < deadlineNanos) {
        Thread.sleep(10);
      }
      return appliedCount.get() == expected;
    }

    long digest() {
      synchronized (crc) {
        return crc.getValue();
      }
    }
  }
}
