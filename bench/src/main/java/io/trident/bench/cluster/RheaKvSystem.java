package io.trident.bench.cluster;

import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.rhea.RegionEngine;
import com.alipay.sofa.jraft.rhea.client.DefaultRheaKVStore;
import com.alipay.sofa.jraft.rhea.options.RheaKVStoreOptions;
import com.alipay.sofa.jraft.rhea.options.StoreEngineOptions;
import com.alipay.sofa.jraft.rhea.options.configured.BatchingOptionsConfigured;
import com.alipay.sofa.jraft.rhea.options.configured.PlacementDriverOptionsConfigured;
import com.alipay.sofa.jraft.rhea.options.configured.RheaKVStoreOptionsConfigured;
import com.alipay.sofa.jraft.rhea.options.configured.RocksDBOptionsConfigured;
import com.alipay.sofa.jraft.rhea.options.configured.StoreEngineOptionsConfigured;
import com.alipay.sofa.jraft.rhea.storage.StorageType;
import com.alipay.sofa.jraft.util.Endpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * RheaKV ({@code jraft-rheakv-core} 1.3.15, on its own jraft-core 1.3.15) as its users run it:
 * {@code nodeCount} stores in this JVM (a child of the bench, see {@link ClusterChildRunner}),
 * one region, the fake placement driver, RocksDB state. Client batching is on (RheaKV's
 * {@code BatchingOptions}: puts and gets from many callers are packed into one Raft entry).
 * Durability: the Raft log is jraft's RocksDB log with {@code RaftOptions.sync=true} (RheaKV's
 * default), so every acknowledged put was fsynced on a majority; the state RocksDB keeps
 * RheaKV's default {@code sync=false}, as it is rebuilt from the log. Each store is also a
 * client: operation {@code i} goes to store {@code i % n}, which routes it to the region leader.
 * Gets are linearizable (ReadIndex, RheaKV's default {@code get}).
 */
public final class RheaKvSystem implements KvSystem {
  public static final String NAME = "rheakv";
  private static final long LEADER_WAIT_SECONDS_MAX = 60;

  private final List<DefaultRheaKVStore> stores;

  private RheaKvSystem(List<DefaultRheaKVStore> stores) {
    this.stores = stores;
  }

  public static RheaKvSystem start(int nodeCount, Path directory) throws Exception {
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < nodeCount; i++) {
      endpoints.add(new Endpoint("127.0.0.1", LoopbackPorts.free()));
    }
    String serverList = String.join(",", endpoints.stream().map(Endpoint::toString).toList());
    List<DefaultRheaKVStore> stores = new ArrayList<>();
    RheaKvSystem system = new RheaKvSystem(stores);
    try {
      for (int i = 0; i < nodeCount; i++) {
        DefaultRheaKVStore store = new DefaultRheaKVStore();
        stores.add(store);
        if (!store.init(options(endpoints.get(i), serverList, directory.resolve("store-" + i)))) {
          throw new IllegalStateException("RheaKV store " + endpoints.get(i) + " did not start");
        }
      }
      system.awaitLeader();
      return system;
    } catch (Exception | Error e) {
      system.close();
      throw e;
    }
  }

  private static RheaKVStoreOptions options(Endpoint self, String serverList, Path directory) {
    NodeOptions nodeOptions = new NodeOptions();
    nodeOptions.getRaftOptions().setSync(true);
    StoreEngineOptions storeOptions = StoreEngineOptionsConfigured.newConfigured()
        .withStorageType(StorageType.RocksDB)
        .withRocksDBOptions(RocksDBOptionsConfigured.newConfigured()
            .withDbPath(directory.resolve("db").toString()).withSync(false).config())
        .withRaftDataPath(directory.resolve("raft").toString())
        .withServerAddress(self)
        .withCommonNodeOptions(nodeOptions)
        .config();
    return RheaKVStoreOptionsConfigured.newConfigured()
        .withClusterName("cluster-bench")
        .withInitialServerList(serverList)
        .withStoreEngineOptions(storeOptions)
        .withPlacementDriverOptions(PlacementDriverOptionsConfigured.newConfigured()
            .withFake(true).config())
        .withBatchingOptions(BatchingOptionsConfigured.newConfigured().withAllowBatching(true)
            .config())
        .config();
  }

  private void awaitLeader() throws InterruptedException {
    long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(LEADER_WAIT_SECONDS_MAX);
    while (System.nanoTime() - deadlineNanos < 0) {
      if (leaderRegion() != null) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("no RheaKV region leader within " + LEADER_WAIT_SECONDS_MAX
        + " s");
  }

  private RegionEngine leaderRegion() {
    for (DefaultRheaKVStore store : stores) {
      if (store.getStoreEngine() == null) {
        continue;
      }
      for (RegionEngine region : store.getStoreEngine().getAllRegionEngines()) {
        if (region.isLeader()) {
          return region;
        }
      }
    }
    return null;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return NAME + ": jraft-rheakv-core " + version() + ", " + stores.size() + " stores in one"
        + " JVM, one region, client batching on, Raft log RocksDB sync=true, state RocksDB"
        + " sync=false (rebuilt from the log), linearizable gets";
  }

  private static String version() {
    String version = DefaultRheaKVStore.class.getPackage().getImplementationVersion();
    return version == null ? "1.3.15" : version;
  }

  @Override
  public int nodeCount() {
    return stores.size();
  }

  @Override
  public CompletableFuture<?> put(int nodeIndex, byte[] key, byte[] value) {
    return stores.get(nodeIndex).put(key, value);
  }

  @Override
  public CompletableFuture<?> get(int nodeIndex, byte[] key) {
    return stores.get(nodeIndex).get(key);
  }

  @Override
  public long raftEntryCount() {
    RegionEngine leader = leaderRegion();
    return leader == null ? -1 : leader.getNode().getLastLogIndex();
  }

  @Override
  public void close() {
    for (DefaultRheaKVStore store : stores) {
      store.shutdown();
    }
  }
}
