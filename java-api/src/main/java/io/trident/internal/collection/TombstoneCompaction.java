package io.trident.internal.collection;

import io.trident.error.ClosedHandleException;
import io.trident.search.VectorIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a collection's HNSW index compacts: a deleted or updated record leaves a tombstone in the
 * graph (the node keeps routing searches but is never returned), which costs memory and search
 * time and, unbounded, would grow with every update. Once tombstones reach {@value
 * #TOMBSTONE_FRACTION_MIN} of the graph's nodes (and at least {@value #TOMBSTONES_MIN}), {@link
 * VectorIndex#compact} rebuilds the graph from the live vectors and swaps it in; searches go on
 * throughout. Stateless.
 *
 * <p>Threads: the collection's writer (the node's indexer) only, so no add or remove can run
 * during the rebuild; the indexer's later changes wait for it (index lag, never a stalled
 * search). The saved index files of later snapshots then hold no tombstones either.
 */
final class TombstoneCompaction {
  private static final Logger LOG = LoggerFactory.getLogger(TombstoneCompaction.class);
  /** Fraction of graph nodes that are tombstones from which a compaction runs. */
  static final double TOMBSTONE_FRACTION_MIN = 0.25;
  /** Fewest tombstones worth a rebuild. */
  static final long TOMBSTONES_MIN = 1024;

  private TombstoneCompaction() {}

  /** Compacts {@code index} when its tombstones passed the bounds above; true when it did. */
  static boolean compactIfDue(VectorIndex index, String collection) {
    if (!index.spec().isGraph()) {
      return false;
    }
    long tombstones = index.tombstoneCount();
    long nodes = tombstones + index.size();
    if (tombstones < TOMBSTONES_MIN || tombstones < TOMBSTONE_FRACTION_MIN * nodes) {
      return false;
    }
    long startNanos = System.nanoTime();
    boolean compacted;
    try {
      compacted = index.compact();
    } catch (ClosedHandleException e) {
      throw e;
    } catch (RuntimeException e) { // e.g. no memory for the second graph: the old one stays
      LOG.warn("collection {}: compaction of {} tombstones failed; the index keeps them: {}",
          collection, tombstones, e.toString());
      return false;
    }
    LOG.info("collection {}: {} tombstones of {} graph nodes; compaction {} in {} ms", collection,
        tombstones, nodes, compacted ? "done" : "skipped (changed meanwhile)",
        (System.nanoTime() - startNanos) / 1_000_000);
    return compacted;
  }
}
