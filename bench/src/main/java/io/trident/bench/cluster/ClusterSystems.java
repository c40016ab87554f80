package io.trident.bench.cluster;

import java.util.List;

/**
 * The systems of {@code bench cluster} by name and where each runs: {@code trident} and
 * {@code jraft-rocksdb} in this JVM (both on jraft-core 1.4.1), {@code rheakv} (jraft-core
 * 1.3.15) and {@code etcd} (jetcd's grpc/netty) in child JVMs with their own classpaths.
 */
public final class ClusterSystems {
  private ClusterSystems() {}

  /** Runs the whole sweep of {@code options} on system {@code name}. */
  public static List<ClusterResult> run(String name, ClusterBenchOptions options)
      throws Exception {
    return switch (name) {
      case ClusterReport.TRIDENT -> ClusterSweep.run(name,
          (nodes, directory) -> TridentKvSystem.start(nodes, directory, options.tridentOptions()),
          options);
      case JraftRocksDbSystem.NAME -> ClusterSweep.run(name, inProcessStarter(name), options);
      case RheaKvSystem.NAME, EtcdKvSystem.NAME -> ClusterChildRunner.run(name, options);
      default -> throw new IllegalArgumentException("unknown system '" + name + "'");
    };
  }

  /** The starter of a system that runs in the calling JVM (the bench JVM or a peer's child). */
  static ClusterSweep.Starter inProcessStarter(String name) {
    return switch (name) {
      case ClusterReport.TRIDENT ->
          (nodes, directory) -> TridentKvSystem.start(nodes, directory, List.of());
      case JraftRocksDbSystem.NAME -> JraftRocksDbSystem::start;
      case RheaKvSystem.NAME -> RheaKvSystem::start;
      case EtcdKvSystem.NAME -> EtcdKvSystem::start;
      default -> throw new IllegalArgumentException("unknown system '" + name + "'");
    };
  }
}
