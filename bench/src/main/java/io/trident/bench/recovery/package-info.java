/**
 * Recovery measurements: {@link io.trident.bench.recovery.RestartBenchTool} times a node restart
 * until its collection is searchable, loading the index from the snapshot against rebuilding it,
 * in one run. Single-threaded driver; not thread-safe.
 */
package io.trident.bench.recovery;
