package io.trident.internal.collection;

import io.trident.CollectionSpec;
import io.trident.error.CorruptIndexException;
import io.trident.search.VectorIndex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A collection index on disk, as snapshots carry it: the native index file ({@link
 * VectorIndex#save}) and its slot table ({@link IndexSlotFile}), named after the collection id.
 * Loading checks both files against each other and against the collection's spec; {@link
 * #reconcile} then brings the loaded index to the stored state, which may be newer than the save
 * (at a restart the state store is at or past the snapshot): records whose hash matches are
 * adopted as they are, the others are applied as changes, and live slots with no stored record
 * are deleted. Stateless.
 *
 * <p>Threads: {@link #save} from the indexer thread (no changes in flight on that index); {@link
 * #load} and {@link #reconcile} from the thread that owns the not yet published index.
 */
public final class CollectionIndexFiles {
  /** Changes applied per call while reconciling. */
  private static final int RECONCILE_CHUNK_RECORDS = 4096;

  private CollectionIndexFiles() {}

  /** The native index file of collection {@code collectionId} in {@code dir}. */
  public static String indexFileName(long collectionId) {
    return "collection-" + collectionId + ".index";
  }

  /** The slot table file of collection {@code collectionId} in {@code dir}. */
  public static String slotFileName(long collectionId) {
    return "collection-" + collectionId + ".slots";
  }

  /**
   * Writes {@code index}'s two files into {@code dir} (each durable and atomically replaced).
   *
   * @throws io.trident.error.TridentException when the index failed or cannot be written
   */
  public static void save(CollectionIndex index, Path dir) {
    RuntimeException failure = index.failure();
    if (failure != null || index.nativeIndex() == null) {
      throw new io.trident.error.StorageIoException("the index of collection " + index.name()
          + " failed earlier (" + failure + "); it is not saved", failure);
    }
    index.nativeIndex().save(dir.resolve(indexFileName(index.collectionId())));
    IndexSlotFile.write(dir.resolve(slotFileName(index.collectionId())), index.slotTable());
  }

  /**
   * Loads collection {@code collectionId}'s index from {@code dir}; its attributes are empty
   * until {@link #reconcile}; {@code searchPlacement} places its asynchronous search workers.
   *
   * @throws io.trident.error.StorageIoException when a file is missing or unreadable
   * @throws CorruptIndexException when a file is corrupt or the two do not match the spec or
   *     each other
   */
  public static CollectionIndex load(Path dir, long collectionId, String name,
      CollectionSpec spec, io.trident.nativelib.ThreadPlacement searchPlacement) {
    IndexSlotFile.Table slots = IndexSlotFile.read(dir.resolve(slotFileName(collectionId)));
    if (slots.collectionId() != collectionId) {
      throw new CorruptIndexException("slot table of collection " + collectionId + " in " + dir
          + " names collection " + slots.collectionId());
    }
    VectorIndex loaded = VectorIndex.load(dir.resolve(indexFileName(collectionId)));
    try {
      if (loaded.dimension() != spec.dimension()
          || !loaded.spec().factory().equals(spec.index().factory())
          || loaded.spec().metric() != spec.index().metric()) {
        throw new CorruptIndexException("index file of collection " + name + " in " + dir
            + " holds " + loaded.spec() + " d=" + loaded.dimension() + ", the collection is "
            + spec.index() + " d=" + spec.dimension());
      }
      int live = slots.live().cardinality();
      if (loaded.size() != live) {
        throw new CorruptIndexException("index file of collection " + name + " in " + dir
            + " holds " + loaded.size() + " vectors, its slot table " + live);
      }
      return new CollectionIndex(collectionId, name, spec, loaded, slots, searchPlacement);
    } catch (RuntimeException e) {
      loaded.close();
      throw e;
    }
  }

  /**
   * Brings a freshly loaded {@code index} to the stored records that {@code forEachStored} visits
   * (id, record); returns how many changes (upserts and deletes) that took.
   *
   * @throws io.trident.error.StorageIoException when applying them failed (the index is unusable)
   */
  public static long reconcile(CollectionIndex index,
      Consumer<BiConsumer<Long, byte[]>> forEachStored) {
    BitSet liveAtLoad = index.slotTable().live();
    BitSet stored = new BitSet();
    List<CollectionIndex.Change> changes = new ArrayList<>(RECONCILE_CHUNK_RECORDS);
    long[] applied = {0};
    forEachStored.accept((id, record) -> {
      int slot = index.adoptIfUnchanged(id, record, IndexSlotFile.recordHash(record));
      if (slot >= 0) {
        stored.set(slot);
        return;
      }
      int changedSlot = index.slotOf(id); // live with another record: keeps its slot
      if (changedSlot >= 0) {
        stored.set(changedSlot);
      }
      changes.add(new CollectionIndex.Change(id, record));
      if (changes.size() == RECONCILE_CHUNK_RECORDS) {
        applied[0] += applyAndClear(index, changes);
      }
    });
    applied[0] += applyAndClear(index, changes);
    liveAtLoad.andNot(stored);
    liveAtLoad.stream().forEach(slot ->
        changes.add(new CollectionIndex.Change(index.idOfSlot(slot), null)));
    applied[0] += applyAndClear(index, changes);
    if (index.failure() != null) {
      throw new io.trident.error.StorageIoException("replaying " + applied[0] + " changes into"
          + " the loaded index of collection " + index.name() + " failed: " + index.failure(),
          index.failure());
    }
    return applied[0];
  }

  private static long applyAndClear(CollectionIndex index, List<CollectionIndex.Change> changes) {
    long count = changes.size();
    index.apply(changes);
    changes.clear();
    return count;
  }
}
