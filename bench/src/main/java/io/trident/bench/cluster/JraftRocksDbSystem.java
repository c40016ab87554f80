package io.trident.bench.cluster;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.RaftGroupService;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.closure.ReadIndexClosure;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.core.DefaultJRaftServiceFactory;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.Task;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.rpc.RpcServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Plain sofa-jraft 1.4.1 as a user would deploy it: {@link DefaultJRaftServiceFactory} (RocksDB
 * log, {@code RaftOptions.sync=true}, file meta), an {@link LmdbKvStateMachine} per node, one
 * Raft entry per put, no client batching. Nodes run in this JVM, each with its bolt RPC server
 * bound to 127.0.0.1. A jraft client sends every operation to the leader (plain jraft has no
 * forwarding), so the member index of an operation is ignored; gets are linearizable
 * ({@code readIndex} on the leader, then its LMDB).
 */
public final class JraftRocksDbSystem implements KvSystem {
  public static final String NAME = "jraft-rocksdb";
  private static final String GROUP_ID = "cluster-bench";
  private static final int ELECTION_TIMEOUT_MILLIS = 1000;
  private static final long LEADER_WAIT_SECONDS_MAX = 30;
  private static final byte[] READ_CONTEXT = new byte[0];

  private final List<RaftGroupService> services;
  private final List<LmdbKvStateMachine> machines;
  private volatile int leaderIndex;

  private JraftRocksDbSystem(List<RaftGroupService> services, List<LmdbKvStateMachine> machines) {
    this.services = services;
    this.machines = machines;
  }

  /** Starts {@code nodeCount} nodes under {@code directory} and waits (bounded) for a leader. */
  public static JraftRocksDbSystem start(int nodeCount, Path directory) throws Exception {
    List<PeerId> peers = new ArrayList<>();
    for (int i = 0; i < nodeCount; i++) {
      peers.add(new PeerId("127.0.0.1", LoopbackPorts.free()));
    }
    List<RaftGroupService> services = new ArrayList<>();
    List<LmdbKvStateMachine> machines = new ArrayList<>();
    JraftRocksDbSystem system = new JraftRocksDbSystem(services, machines);
    try {
      for (int i = 0; i < nodeCount; i++) {
        Path nodeDirectory = directory.resolve("node-" + i);
        LmdbKvStateMachine machine = new LmdbKvStateMachine(nodeDirectory.resolve("state"));
        machines.add(machine);
        services.add(startNode(peers.get(i), peers, machine, nodeDirectory));
      }
      system.awaitLeader();
      return system;
    } catch (Exception | Error e) {
      system.close();
      throw e;
    }
  }

  private static RaftGroupService startNode(PeerId self, List<PeerId> peers,
      LmdbKvStateMachine machine, Path nodeDirectory) {
    NodeOptions options = new NodeOptions();
    options.setServiceFactory(DefaultJRaftServiceFactory.newInstance());
    options.setFsm(machine);
    options.setInitialConf(new Configuration(peers));
    options.setElectionTimeoutMs(ELECTION_TIMEOUT_MILLIS);
    options.setLogUri(nodeDirectory.resolve("log").toString());
    options.setRaftMetaUri(nodeDirectory.resolve("meta").toString());
    options.setDisableCli(true);
    options.getRaftOptions().setSync(true);
    RpcServer rpcServer = io.trident.raftlog.BoundRaftRpcServer.create(self);
    RaftGroupService service = new RaftGroupService(GROUP_ID, self, options, rpcServer);
    service.start();
    return service;
  }

  private void awaitLeader() throws InterruptedException {
    long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(LEADER_WAIT_SECONDS_MAX);
    while (System.nanoTime() - deadlineNanos < 0) {
      for (int i = 0; i < machines.size(); i++) {
        if (machines.get(i).isLeader()) {
          leaderIndex = i;
          return;
        }
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("no jraft leader elected within " + LEADER_WAIT_SECONDS_MAX
        + " s");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return NAME + ": sofa-jraft " + jraftVersion() + ", " + services.size()
        + " nodes in one JVM, RocksDB log (DefaultJRaftServiceFactory, sync=true), LMDB state"
        + " (MDB_NOSYNC, applied index in the apply txn), one entry per put, ops sent to the leader";
  }

  @Override
  public int nodeCount() {
    return services.size();
  }

  @Override
  public CompletableFuture<?> put(int nodeIndex, byte[] key, byte[] value) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    Node leader = leader();
    leader.apply(new Task(LmdbKvStateMachine.encodePut(key, value), status -> {
      if (status.isOk()) {
        result.complete(null);
      } else {
        refreshLeader();
        result.completeExceptionally(new IllegalStateException("put failed: " + status));
      }
    }));
    return result;
  }

  @Override
  public CompletableFuture<?> get(int nodeIndex, byte[] key) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    int index = leaderIndex;
    services.get(index).getRaftNode().readIndex(READ_CONTEXT, new ReadIndexClosure() {
      @Override
      public void run(Status status, long readIndex, byte[] context) {
        if (status.isOk()) {
          result.complete(machines.get(index).get(key));
        } else {
          refreshLeader();
          result.completeExceptionally(new IllegalStateException("read failed: " + status));
        }
      }
    });
    return result;
  }

  @Override
  public long raftEntryCount() {
    return leader().getLastLogIndex();
  }

  private Node leader() {
    return services.get(leaderIndex).getRaftNode();
  }

  private void refreshLeader() {
    for (int i = 0; i < machines.size(); i++) {
      if (machines.get(i).isLeader()) {
        leaderIndex = i;
        return;
      }
    }
  }

  private static String jraftVersion() {
    String version = Node.class.getPackage().getImplementationVersion();
    return version == null ? "1.4.1" : version;
  }

  @Override
  public void close() {
    for (RaftGroupService service : services) {
      service.shutdown();
    }
    for (RaftGroupService service : services) {
      try {
        service.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (LmdbKvStateMachine machine : machines) {
      machine.close();
    }
  }
}
