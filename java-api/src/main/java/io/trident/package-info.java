/**
 * Trident's public facade: the classes an application links: {@link io.trident.Trident} (native
 * availability, vector indexes, opening a node), the replicated node ({@link
 * io.trident.TridentNode}), its key-value store ({@link io.trident.KvStore}) and its vector
 * collections ({@link io.trident.VectorCollections}, {@link io.trident.VectorCollection}).
 *
 * <p>Priorities: minimise latency on the query path (no per-query allocation in native code, no
 * copies of direct buffers); never crash the JVM on bad input (every failure is a typed
 * {@link io.trident.error.TridentException}); one copy of each index per process.
 */
package io.trident;
