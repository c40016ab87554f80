/**
 * Vector indexes in Java over Trident's native kernels: lifecycle ({@link
 * io.trident.search.VectorIndex}), specs and search knobs, id filters applied inside the native
 * search ({@link io.trident.search.IdFilter}), the concurrent searcher that serves any number of
 * threads from one index ({@link io.trident.search.ConcurrentSearcher}), the asynchronous searcher
 * that queues them FIFO for a worker per core ({@link io.trident.search.AsyncSearcher}),
 * persistence, and (in subpackages) vector files and recall tooling.
 *
 * <p>Priorities: one copy of an index per process; no per-query native allocation; every argument
 * checked in Java before JNI, so bad input gets a typed {@link io.trident.error.TridentException}
 * and never a JVM crash. Thread rules are stated on each class.
 */
package io.trident.search;
