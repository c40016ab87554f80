package io.trident.internal.node;

import io.trident.CollectionSpec;
import io.trident.internal.collection.CollectionIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import io.trident.nativelib.ThreadPlacement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This member's live collections as applied: name and id to the collection's {@link
 * CollectionIndex}. The state machine changes it, after each write call commits ({@link
 * #publish}), and rebuilds it from the stored state at open and after a snapshot install ({@link
 * #load}); every other thread reads it.
 *
 * <p>Recovery in this increment: every index is rebuilt from the records in LMDB (loading index
 * files carried by snapshots is a later increment); then the Raft log re-applies what LMDB lacks.
 */
final class CollectionRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CollectionRegistry.class);
  /** Records handed to an index per apply call while rebuilding. */
  private static final int REBUILD_CHUNK_RECORDS = 4096;

  private final StateStore store;
  private final ThreadPlacement searchPlacement;
  private final ConcurrentHashMap<String, CollectionIndex> byName = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, CollectionIndex> byId = new ConcurrentHashMap<>();

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

  /**
   * Replaces every index with one rebuilt from the stored state (its tables must be empty: at
   * open, or after a snapshot install). Until each replacement is built, searches use the index
   * it replaces (so for a while two copies are held); then the old ones are closed (searches in
   * flight on them finish first). Callers make sure the indexer is idle.
   */
  void load() {
    List<CollectionIndex> loaded = new ArrayList<>();
    store.forEachStored(StateStore.Namespace.COLLECTIONS, new byte[0], (name, entry) -> {
      long collectionId = CollectionCatalogue.entryCollectionId(entry);
      CollectionSpec spec = CollectionCatalogue.entrySpec(entry);
      loaded.add(new CollectionIndex(collectionId,
          new String(name, java.nio.charset.StandardCharsets.UTF_8), spec, searchPlacement));
    });
    for (CollectionIndex index : loaded) {
      rebuild(index);
    }
    List<CollectionIndex> replaced = new ArrayList<>(byId.values());
    for (CollectionIndex index : loaded) {
      byId.put(index.collectionId(), index);
      byName.put(index.name(), index);
    }
    for (CollectionIndex old : replaced) {
      byId.remove(old.collectionId(), old);
      byName.remove(old.name(), old);
      old.close();
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
