package io.trident.internal.node;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.RaftGroupService;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.core.NodeImpl;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.option.RpcOptions;
import com.alipay.sofa.jraft.rpc.RpcClient;
import com.alipay.sofa.jraft.rpc.RpcServer;
import com.alipay.sofa.jraft.storage.LogStorage;
import com.alipay.sofa.jraft.util.RpcFactoryHelper;
import io.trident.KvStore;
import io.trident.NodeOptions;
import io.trident.NodeStats;
import io.trident.TridentNode;
import io.trident.VectorCollections;
import io.trident.error.ClosedHandleException;
import io.trident.error.OperationTimeoutException;
import io.trident.error.TridentException;
import io.trident.raftlog.BoundRaftRpcServer;
import io.trident.raftlog.TridentServiceFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TridentNode} behind {@link io.trident.Trident#open}: one member of one Raft group.
 * Opens, in order, the data directory (lock + group check), the state store, the collection
 * registry and its indexer thread, the RPC server bound to {@code self}, the jraft node on
 * Trident's journal (whose init loads the latest snapshot, with the collection indexes it
 * carries; without one the indexes are rebuilt from the stored records), the forwarding client,
 * the batcher; closes them in reverse order.
 */
public final class ReplicatedNode implements TridentNode {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicatedNode.class);

  private final NodeOptions options;
  private final NodeDirectory directory;
  private final StateStore store;
  private final NodeCounters counters = new NodeCounters();
  private final LeaderState leaderState = new LeaderState();
  private final IndexWatermark watermark = new IndexWatermark();
  private final CollectionRegistry registry;
  private final CollectionIndexer indexer;
  private final NodeStateMachine stateMachine;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService completions;
  private final PeerId serverId;
  private RaftGroupService raftGroup;
  private volatile Node raft;
  private RpcClient rpcClient;
  private WriteBatcher batcher;
  private IndexTrainer trainer;
  private MembershipClient membership;
  private ReplicatedKvStore kv;
  private ReplicatedCollections collections;
  private volatile boolean closed;

  private ReplicatedNode(NodeOptions options) {
    this.options = options;
    this.serverId = PeerId.parsePeer(options.self());
    this.directory = NodeDirectory.open(options.dataDir(), options.groupId());
    StateStore openedStore = null;
    CollectionRegistry openedRegistry = null;
    try {
      openedStore = new StateStore(directory.state(), options.stateBufferBytesMax());
      openedRegistry = new CollectionRegistry(openedStore, options.searchThreadPlacement());
    } catch (RuntimeException e) {
      if (openedRegistry != null) {
        openedRegistry.close();
      }
      if (openedStore != null) {
        openedStore.close();
      }
      directory.close();
      throw e;
    }
    this.store = openedStore;
    this.registry = openedRegistry;
    watermark.advance(store.appliedIndex());
    String name = "trident-" + options.self();
    this.indexer = new CollectionIndexer(name + "-indexer", watermark,
        options.searchThreadPlacement(), options.indexerCpuPercentWhileWriting(),
        SpareCores.forMember(this::memberCount));
    this.stateMachine = new NodeStateMachine(store, counters, leaderState, registry, indexer,
        watermark);
    this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon(name + "-retry"));
    this.completions = Executors.newSingleThreadExecutor(daemon(name + "-completion"));
  }

  /** Opens a member; on any failure everything opened so far is closed again. */
  public static ReplicatedNode open(NodeOptions options) {
    JvmFlags.check();
    ReplicatedNode node = new ReplicatedNode(options);
    try {
      node.start();
      return node;
    } catch (RuntimeException e) {
      node.close();
      throw e instanceof TridentException ? e : new TridentException("cannot open the Trident"
          + " node " + options.self() + ": " + e, e);
    }
  }

  private void start() {
    com.alipay.sofa.jraft.option.NodeOptions raftOptions = raftNodeOptions();
    RpcServer rpcServer = BoundRaftRpcServer.create(serverId);
    rpcServer.registerProcessor(new ForwardProcessor(options.groupId(), () -> raft, completions));
    raftGroup = new RaftGroupService(options.groupId(), serverId, raftOptions, rpcServer);
    raft = raftGroup.start();
    if (raft == null) {
      throw new TridentException("the Raft node " + options.self() + " of group "
          + options.groupId() + " did not start; see the log above for the cause");
    }
    // jraft's init loaded the latest local snapshot, and with it the collection indexes; without
    // a snapshot they are rebuilt from the stored records now (or by the first apply, if sooner).
    registry.ensureLoaded();
    rpcClient = RpcFactoryHelper.rpcFactory().createRpcClient();
    rpcClient.init(new RpcOptions());
    membership = new MembershipClient(options.groupId(), raft);
    EntryRouter router = new EntryRouter(options.groupId(), raft, rpcClient, scheduler,
        completions, counters, watermark,
        Math.max(1000, 2 * options.electionTimeout().toMillis()), () -> closed);
    batcher = new WriteBatcher("trident-" + options.self() + "-batcher",
        ThreadLocalRandom.current().nextLong(), options.batchOpsMax(), options.batchBytesMax(),
        options.inflightOpsMax(), options.overloadPolicy() == io.trident.OverloadPolicy.WAIT,
        options.requestTimeout().toNanos(), router::submit, counters);
    batcher.start();
    trainer = new IndexTrainer("trident-" + options.self() + "-trainer",
        () -> raft.isLeader(), batcher);
    indexer.afterChanges(trainer);
    ReadBarrier readBarrier = new ReadBarrier(raft, completions, scheduler,
        options.requestTimeout().toNanos(), () -> closed);
    NodeServices services = new NodeServices(options, store, registry, indexer, watermark,
        batcher, readBarrier, completions, () -> closed);
    kv = new ReplicatedKvStore(services);
    collections = new ReplicatedCollections(services);
    LOG.info("Trident node {} of group {} open in {} (peers {})", options.self(),
        options.groupId(), options.dataDir(), options.peers());
  }

  private com.alipay.sofa.jraft.option.NodeOptions raftNodeOptions() {
    com.alipay.sofa.jraft.option.NodeOptions raftOptions =
        new com.alipay.sofa.jraft.option.NodeOptions();
    raftOptions.setFsm(stateMachine);
    raftOptions.setLogUri(directory.log().toString());
    raftOptions.setRaftMetaUri(directory.meta().toString());
    raftOptions.setSnapshotUri(directory.snapshots().toString());
    raftOptions.setElectionTimeoutMs((int) options.electionTimeout().toMillis());
    raftOptions.setSnapshotIntervalSecs((int) Math.max(1, options.snapshotInterval().toSeconds()));
    // One set of timer threads for every member in this process, not four threads each.
    raftOptions.setSharedElectionTimer(true);
    raftOptions.setSharedVoteTimer(true);
    raftOptions.setSharedStepDownTimer(true);
    raftOptions.setSharedSnapshotTimer(true);
    raftOptions.setSharedTimerPool(true);
    raftOptions.setServiceFactory(new TridentServiceFactory(options.journalThreadPlacement()) {
      @Override
      public LogStorage createLogStorage(String uri, RaftOptions raft) {
        return new TimedLogStorage(super.createLogStorage(uri, raft), counters);
      }
    });
    Configuration initial = new Configuration();
    if (!options.joinExisting()) {
      List<String> peers = options.peers().isEmpty() ? List.of(options.self()) : options.peers();
      for (String peer : peers) {
        initial.addPeer(PeerId.parsePeer(peer));
      }
    }
    raftOptions.setInitialConf(initial);
    RaftOptions tuning = raftOptions.getRaftOptions();
    tuning.setSync(true);
    tuning.setMaxReplicatorInflightMsgs(256);
    tuning.setMaxByteCountPerRpc(1 << 20);
    tuning.setMaxEntriesSize(1024);
    tuning.setMaxBodySize(Math.max(4 << 20, options.batchBytesMax() * 2));
    // jraft's disk thread cuts a group of entries into a separate appendEntries (one fdatasync
    // each) once the group holds this many bytes (default 256 KiB): with vector batches of
    // 0.3-4 MB that meant one fsync per entry. Durability is the same, the fsyncs fewer.
    tuning.setMaxAppendBufferSize(Math.max(8 << 20, options.batchBytesMax() * 2));
    return raftOptions;
  }

  @Override
  public KvStore kv() {
    ensureOpen();
    return kv;
  }

  @Override
  public VectorCollections collections() {
    ensureOpen();
    return collections;
  }

  @Override
  public boolean isLeader() {
    return !closed && raft.isLeader();
  }

  @Override
  public String leaderAddress() {
    PeerId leader = closed ? null : raft.getLeaderId();
    return leader == null || leader.isEmpty() ? null : leader.getEndpoint().toString();
  }

  @Override
  public void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        ensureOpen();
        if (stateMachine.failure() != null) {
          throw new TridentException("this member's Raft node failed and stopped serving: "
              + stateMachine.failure().getStatus());
        }
        boolean ready = raft.isLeader() ? leaderState.inOffice() : leaderAddress() != null;
        if (ready) {
          return;
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          throw new OperationTimeoutException("no leader of group " + options.groupId()
              + " within " + timeout + " (members " + members() + "); is a majority running?");
        }
        leaderState.awaitChange(Math.min(left, 50));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperationTimeoutException("interrupted while waiting for a leader");
    }
  }

  /** Members in the current configuration; 0 before the Raft node started (any thread). */
  private int memberCount() {
    Node started = raft;
    return started == null ? 0 : ((NodeImpl) started).getCurrentConf().getPeers().size();
  }

  @Override
  public List<String> members() {
    ensureOpen();
    List<String> members = new ArrayList<>();
    for (PeerId peer : ((NodeImpl) raft).getCurrentConf().getPeers()) {
      members.add(peer.getEndpoint().toString());
    }
    return members;
  }

  @Override
  public CompletableFuture<Void> addMember(String hostPort) {
    ensureOpen();
    return membership.add(hostPort, options.requestTimeout());
  }

  @Override
  public CompletableFuture<Void> removeMember(String hostPort) {
    ensureOpen();
    return membership.remove(hostPort, options.requestTimeout());
  }

  @Override
  public String self() {
    return options.self();
  }

  @Override
  public NodeStats stats() {
    return counters.snapshot(store.flushes(), store.flushNanosTotal());
  }

  /** Applied index of this member's state (for tests and tools). */
  public long appliedIndex() {
    return store.appliedIndex();
  }

  /** Raft index through which this member's collection indexes are up to date (tests, tools). */
  public long indexedIndex() {
    return watermark.indexed();
  }

  /** Number of keys in this member's replica (for tests and tools). */
  public long localKeyCount() {
    return store.size();
  }

  /** Takes a snapshot now (and compacts the log behind it); completes when written. */
  public CompletableFuture<Void> snapshotNow() {
    ensureOpen();
    CompletableFuture<Void> done = new CompletableFuture<>();
    raft.snapshot(status -> {
      if (status.isOk()) {
        done.complete(null);
      } else {
        done.completeExceptionally(new TridentException("snapshot failed: " + status));
      }
    });
    return done;
  }

  private void ensureOpen() {
    if (closed) {
      throw new ClosedHandleException("the Trident node " + options.self() + " is closed");
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (trainer != null) {
      trainer.close();
    }
    if (batcher != null) {
      batcher.close();
    }
    if (raftGroup != null) {
      raftGroup.shutdown();
      try {
        raftGroup.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (rpcClient != null) {
      rpcClient.shutdown();
    }
    if (membership != null) {
      membership.close();
    }
    scheduler.shutdownNow();
    completions.shutdown();
    try {
      completions.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    watermark.close();
    indexer.close();
    registry.close();
    store.close();
    directory.close();
    LOG.info("Trident node {} closed", options.self());
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
