package io.trident.internal.node;

import io.trident.CollectionSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The collection changes of one {@link StateStore#write} call, in apply order, kept until the
 * call commits: then the registry takes them ({@link CollectionRegistry#publish}); if it fails
 * they are {@link #clear}ed, like the call's state changes. While the call runs, lookups see the
 * registry as it will be after the creates and drops applied so far.
 *
 * <p>Threads: the state-machine thread only.
 */
final class CollectionChanges {
  /** A collection created by the call. */
  record Created(long collectionId, String name, CollectionSpec spec) {}

  /** A collection dropped by the call. */
  record Dropped(long collectionId, String name) {}

  /** A collection's trained quantizer was stored ({@link CollectionApplier}). */
  record Trained(long collectionId, byte[] quantizer) {}

  /** A stored record changed: an upsert of {@code record}, or a delete when it is null. */
  record Changed(long collectionId, long id, byte[] record) {}

  private final CollectionRegistry registry;
  private final List<Object> changes = new ArrayList<>();
  /** Names created (-> id) or dropped (-> null) by this call. */
  private final Map<String, Long> names = new HashMap<>();
  /** Ids created (true) or dropped (false) by this call. */
  private final Map<Long, Boolean> live = new HashMap<>();
  private long recordBytes;

  CollectionChanges(CollectionRegistry registry) {
    this.registry = registry;
  }

  /** The id of the live collection named {@code name}, or null. */
  Long collectionId(String name) {
    return names.containsKey(name) ? names.get(name) : registry.collectionId(name);
  }

  boolean isLive(long collectionId) {
    Boolean created = live.get(collectionId);
    return created != null ? created : registry.byId(collectionId) != null;
  }

  void created(long collectionId, String name, CollectionSpec spec) {
    names.put(name, collectionId);
    live.put(collectionId, true);
    changes.add(new Created(collectionId, name, spec));
  }

  void dropped(long collectionId, String name) {
    names.put(name, null);
    live.put(collectionId, false);
    changes.add(new Dropped(collectionId, name));
  }

  void trained(long collectionId, byte[] quantizer) {
    changes.add(new Trained(collectionId, quantizer));
    recordBytes += quantizer.length;
  }

  void changed(long collectionId, long id, byte[] record) {
    changes.add(new Changed(collectionId, id, record));
    recordBytes += record == null ? Long.BYTES : record.length;
  }

  /** The changes in apply order. */
  List<Object> list() {
    return changes;
  }

  /** Bytes of records the changes hold (for the indexer's bound). */
  long recordBytes() {
    return recordBytes;
  }

  boolean isEmpty() {
    return changes.isEmpty();
  }

  void clear() {
    changes.clear();
    names.clear();
    live.clear();
    recordBytes = 0;
  }
}
