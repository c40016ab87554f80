/**
 * The in-process side of vector collections, independent of Raft: the byte forms of specs and
 * records (what the log and LMDB hold), the per-collection native index with its id slots and
 * in-memory attribute columns ({@link io.trident.internal.collection.CollectionIndex}), and the
 * compilation of {@link io.trident.Filter}s into the search core's id filters. The node
 * ({@code io.trident.internal.node}) decides when changes reach it.
 *
 * <p>Thread rules are stated per class: one writer (the node's indexer thread) per collection
 * index, any number of searchers.
 */
package io.trident.internal.collection;
