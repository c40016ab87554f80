/**
 * Trident's public facade: the classes an application links. Today: {@link io.trident.Trident}
 * (native availability, vector indexes); the replicated node, key-value store and vector
 * collections join here as they land.
 *
 * <p>Priorities: minimise latency on the query path (no per-query allocation in native code, no
 * copies of direct buffers); never crash the JVM on bad input (every failure is a typed
 * {@link io.trident.error.TridentException}); one copy of each index per process.
 */
package io.trident;
