/**
 * {@code bench cluster}: a closed-loop replicated key-value benchmark of Trident against plain
 * sofa-jraft (RocksDB log), RheaKV and etcd, each with 3 members on 127.0.0.1 and fsync on.
 * {@link io.trident.bench.cluster.KvSystem} is the system under test;
 * {@link io.trident.bench.cluster.ClosedLoopDriver} keeps exactly {@code inflight} operations
 * outstanding, issued from completions (no thread per operation); RheaKV and etcd run in child
 * JVMs with their own classpaths ({@link io.trident.bench.cluster.ClusterChildRunner}).
 * Every loop and wait is bounded in count and time.
 */
package io.trident.bench.cluster;
