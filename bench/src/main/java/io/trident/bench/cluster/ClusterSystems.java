package io.trident.bench.cluster;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.List;

/**
 * The systems of {@code bench cluster} by name and where each runs: {@code trident} and
 * {@code jraft-rocksdb} in this JVM (both on jraft-core 1.4.1), {@code rheakv} (jraft-core
 * 1.3.15) and {@code etcd} (jetcd's grpc/netty) in child JVMs with their own classpaths.
 */
public final class ClusterSystems {
  /** Written against the node API of java-api; looked up by name so this package compiles alone. */
  static final String TRIDENT_SYSTEM = "io.trident.bench.cluster.TridentKvSystem";

  private ClusterSystems() {}

  /** Runs the whole sweep of {@code options} on system {@code name}. */
  public static List<ClusterResult> run(String name, ClusterBenchOptions options)
      throws Exception {
    return switch (name) {
      case ClusterReport.TRIDENT, JraftRocksDbSystem.NAME ->
          ClusterSweep.run(name, inProcessStarter(name), options);
      case RheaKvSystem.NAME, EtcdKvSystem.NAME -> ClusterChildRunner.run(name, options);
      default -> throw new IllegalArgumentException("unknown system '" + name + "'");
    };
  }

  /** The starter of a system that runs in the calling JVM (the bench JVM or a peer's child). */
  static ClusterSweep.Starter inProcessStarter(String name) {
    return switch (name) {
      case ClusterReport.TRIDENT -> ClusterSystems::startTrident;
      case JraftRocksDbSystem.NAME -> JraftRocksDbSystem::start;
      case RheaKvSystem.NAME -> RheaKvSystem::start;
      case EtcdKvSystem.NAME -> EtcdKvSystem::start;
      default -> throw new IllegalArgumentException("unknown system '" + name + "'");
    };
  }

  private static KvSystem startTrident(int nodeCount, Path directory) throws Exception {
    Class<?> type;
    try {
      type = Class.forName(TRIDENT_SYSTEM);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("this build has no Trident node API yet"
          + " (io.trident.TridentNode): run with --trident false", e);
    }
    try {
      return (KvSystem) type.getMethod("start", int.class, Path.class)
          .invoke(null, nodeCount, directory);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }
}
