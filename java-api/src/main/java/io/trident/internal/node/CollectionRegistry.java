package io.trident.internal.node;

import io.trident.CollectionSpec;
import io.trident.IndexRecoveryStats;
import io.trident.internal.collection.CollectionIndex;
import io.trident.internal.collection.CollectionIndexFiles;
import io.trident.nativelib.ThreadPlacement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This member's live collections as applied: name and id to the collection's {@link
 * CollectionIndex}. The state machine changes it, after each write call commits ({@link
 * #publish}), and loads it from the stored state at open and after a snapshot install ({@link
 * #load}); every other thread reads it.
 *
 * <p>Recovery: an index whose files the snapshot carries ({@link CollectionIndexFiles}, listed in
 * its {@link SnapshotIndexManifest}) is loaded from them and reconciled with the stored records,
 * which may be newer than the snapshot (at a restart the state store is at or past the
 * snapshot's index); any other index (no snapshot, a collection created after it, a missing or
 * corrupt file) is rebuilt from every stored record, with a WARN when files were expected. Then
 * the Raft log re-applies what the state store lacks. {@link #stats} counts which path each
 * index took.
 */
final class CollectionRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CollectionRegistry.class);
  /** Records handed to an index per apply call while rebuilding. */
  private static final int REBUILD_CHUNK_RECORDS = 4096;

  private final StateStore store;
  private final ThreadPlacement searchPlacement;
  private final ConcurrentHashMap<String, CollectionIndex> byName = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, CollectionIndex> byId = new ConcurrentHashMap<>();
  private final LongAdder indexesLoaded = new LongAdder();
  private final LongAdder indexesRebuilt = new LongAdder();
  private final LongAdder loadFallbacks = new LongAdder();
  private final LongAdder recordsReplayed = new LongAdder();
  private final LongAdder recordsRebuilt = new LongAdder();
  private final LongAdder indexesSaved = new LongAdder();
  private volatile boolean loaded;

  /** {@code searchPlacement}: where each collection's search workers run. */
  CollectionRegistry(StateStore store, ThreadPlacement searchPlacement) {
    this.store = store;
    this.searchPlacement = searchPlacement;
  }

  CollectionIndex byName(String name) {
    return byName.get(name);
  }

  CollectionIndex byId(long collectionId) {
    return byId.get(collectionId);
  }

  /** The id of the live collection named {@code name}, or null. */
  Long collectionId(String name) {
    CollectionIndex index = byName.get(name);
    return index == null ? null : index.collectionId();
  }

  List<String> names() {
    return byName.keySet().stream().sorted().toList();
  }

  /** Every live collection's index now (the state-machine thread's view for a snapshot). */
  List<CollectionIndex> indexes() {
    return List.copyOf(byId.values());
  }

  IndexRecoveryStats stats() {
    return new IndexRecoveryStats(indexesLoaded.sum(), indexesRebuilt.sum(), loadFallbacks.sum(),
        recordsReplayed.sum(), recordsRebuilt.sum(), indexesSaved.sum());
  }

  /** Counts one index file set written into a snapshot. */
  void savedOne() {
    indexesSaved.increment();
  }

  boolean isLoaded() {
    return loaded;
  }

  /**
   * Rebuilds every index from the stored state unless a load already happened (jraft loads the
   * latest local snapshot, and so the indexes, during its init; without one, the first apply or
   * the end of the node's open comes here).
   */
  synchronized void ensureLoaded() {
    if (!loaded) {
      load(null);
    }
  }

  /**
   * Replaces every index with one loaded from {@code snapshotDir}'s files (null: none) or rebuilt
   * from the stored state (its tables must be empty: at open, or after a snapshot install). Until
   * each replacement is ready, searches use the index it replaces (so for a while two copies are
   * held); then the old ones are closed (searches in flight on them finish first). Callers make
   * sure the indexer is idle.
   */
  synchronized void load(Path snapshotDir) {
    SnapshotIndexManifest manifest = readManifest(snapshotDir);
    Map<String, byte[]> catalogue = new LinkedHashMap<>(); // read first: no nested read txns
    store.forEachStored(StateStore.Namespace.COLLECTIONS, new byte[0], (name, entry) -> {
      if (!CollectionCatalogue.isQuantizerKey(name)) {
        catalogue.put(new String(name, StandardCharsets.UTF_8), entry);
      }
    });
    List<CollectionIndex> ready = new ArrayList<>();
    for (Map.Entry<String, byte[]> named : catalogue.entrySet()) {
      String name = named.getKey();
      byte[] entry = named.getValue();
      long collectionId = CollectionCatalogue.entryCollectionId(entry);
      CollectionSpec spec = CollectionCatalogue.entrySpec(entry);
      CollectionIndex index = manifest == null ? null
          : loadOrNull(snapshotDir, manifest, collectionId, name, spec);
      if (index == null && snapshotDir != null && manifest == null) {
        loadFallbacks.increment(); // the snapshot's manifest was unusable (logged above)
      }
      if (index == null) {
        index = new CollectionIndex(collectionId, name, spec, searchPlacement);
        installStoredQuantizer(index);
        rebuild(index);
      }
      ready.add(index);
    }
    List<CollectionIndex> replaced = new ArrayList<>(byId.values());
    for (CollectionIndex index : ready) {
      byId.put(index.collectionId(), index);
      byName.put(index.name(), index);
    }
    for (CollectionIndex old : replaced) {
      byId.remove(old.collectionId(), old);
      byName.remove(old.name(), old);
      old.close();
    }
    loaded = true;
  }

  private static SnapshotIndexManifest readManifest(Path snapshotDir) {
    if (snapshotDir == null) {
      return null;
    }
    try {
      return SnapshotIndexManifest.read(snapshotDir);
    } catch (RuntimeException e) {
      LOG.warn("snapshot {} carries no usable collection-index manifest ({}): every collection"
          + " index is rebuilt from the stored records", snapshotDir, e.getMessage());
      return null;
    }
  }

  /** The index loaded from the snapshot's files and reconciled; null (logged) to rebuild. */
  private CollectionIndex loadOrNull(Path snapshotDir, SnapshotIndexManifest manifest,
      long collectionId, String name, CollectionSpec spec) {
    Boolean saved = manifest.savedByCollectionId().get(collectionId);
    if (saved == null) {
      LOG.info("collection {}: created after snapshot {}; rebuilding its index from the stored"
          + " records", name, snapshotDir);
      return null;
    }
    if (!saved) {
      LOG.warn("collection {}: snapshot {} holds no index for it (its index had failed when the"
          + " snapshot was taken); rebuilding it from the stored records", name, snapshotDir);
      loadFallbacks.increment();
      return null;
    }
    long start = System.nanoTime();
    CollectionIndex index = null;
    try {
      index = CollectionIndexFiles.load(snapshotDir, collectionId, name, spec, searchPlacement);
      installStoredQuantizer(index); // trained after the snapshot: its records wait until now
      long replayed = CollectionIndexFiles.reconcile(index, visitor -> store.forEachStored(
          StateStore.Namespace.VECTORS, CollectionCatalogue.collectionPrefix(collectionId),
          (key, record) -> visitor.accept(CollectionCatalogue.idOf(key), record)));
      indexesLoaded.increment();
      recordsReplayed.add(replayed);
      LOG.info("collection {}: index loaded from snapshot {} ({} records, {} replayed from the"
          + " stored state) in {} ms", name, snapshotDir, index.size(), replayed,
          (System.nanoTime() - start) / 1_000_000);
      return index;
    } catch (RuntimeException e) {
      if (index != null) {
        index.close();
      }
      loadFallbacks.increment();
      LOG.warn("collection {}: the index files in snapshot {} are unusable ({}); rebuilding the"
          + " index from the stored records", name, snapshotDir, e.toString());
      return null;
    }
  }

  /** Installs the stored trained quantizer into an untrained index (before records arrive). */
  private void installStoredQuantizer(CollectionIndex index) {
    if (!index.isTrained()) {
      byte[] quantizer = store.get(StateStore.Namespace.COLLECTIONS,
          CollectionCatalogue.quantizerKey(index.collectionId()));
      if (quantizer != null) {
        index.installTrained(quantizer);
      }
    }
  }

  private void rebuild(CollectionIndex index) {
    long start = System.nanoTime();
    List<CollectionIndex.Change> chunk = new ArrayList<>(REBUILD_CHUNK_RECORDS);
    long[] count = {0};
    store.forEachStored(StateStore.Namespace.VECTORS,
        CollectionCatalogue.collectionPrefix(index.collectionId()), (key, record) -> {
          chunk.add(new CollectionIndex.Change(CollectionCatalogue.idOf(key), record));
          if (chunk.size() == REBUILD_CHUNK_RECORDS) {
            index.apply(chunk);
            chunk.clear();
            count[0] += REBUILD_CHUNK_RECORDS;
            if (count[0] % (REBUILD_CHUNK_RECORDS * 25) == 0) {
              LOG.info("collection {}: {} records indexed so far", index.name(), count[0]);
            }
          }
        });
    index.apply(chunk);
    count[0] += chunk.size();
    indexesRebuilt.increment();
    recordsRebuilt.add(count[0]);
    LOG.info("collection {}: index rebuilt from {} stored records in {} ms", index.name(),
        count[0], (System.nanoTime() - start) / 1_000_000);
  }

  /**
   * Takes the committed changes of one write call (state-machine thread): creates and drops
   * collections here, and returns the indexer's work for the rest, in order.
   */
  CollectionIndexer.Task publish(CollectionChanges changes, long appliedIndex) {
    CollectionIndexer.TaskBuilder task = new CollectionIndexer.TaskBuilder();
    for (Object change : changes.list()) {
      if (change instanceof CollectionChanges.Changed record) {
        task.change(byId.get(record.collectionId()), record.id(), record.record());
      } else if (change instanceof CollectionChanges.Trained trained) {
        task.train(byId.get(trained.collectionId()), trained.quantizer());
      } else if (change instanceof CollectionChanges.Created created) {
        CollectionIndex index = new CollectionIndex(created.collectionId(), created.name(),
            created.spec(), searchPlacement);
        byId.put(index.collectionId(), index);
        byName.put(index.name(), index);
      } else {
        CollectionChanges.Dropped dropped = (CollectionChanges.Dropped) change;
        CollectionIndex index = byId.remove(dropped.collectionId());
        byName.remove(dropped.name(), index);
        task.close(index);
      }
    }
    return task.build(appliedIndex, changes.recordBytes());
  }

  private void closeAll() {
    byName.clear();
    for (CollectionIndex index : byId.values()) {
      index.close();
    }
    byId.clear();
  }

  /** Closes every index (after the indexer has stopped). */
  @Override
  public void close() {
    closeAll();
  }
}
