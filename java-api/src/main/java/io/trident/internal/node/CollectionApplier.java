package io.trident.internal.node;

import io.trident.BatchResult.Outcome;
import io.trident.CollectionSpec;
import io.trident.internal.collection.SpecCodec;
import java.nio.ByteBuffer;

/**
 * Applies the collection operations of an {@link EntryFormat} entry: catalogue changes and
 * records go into the state through the {@link StateWrite} (so into LMDB with the applied index),
 * and every change is noted in the call's {@link CollectionChanges} for the native indexes.
 * Deterministic: every replica computes the same state, ids and results.
 *
 * <p>Threads: the state-machine thread only.
 */
final class CollectionApplier {
  private static final byte APPLIED = Outcome.APPLIED.code();
  private static final byte NOT_FOUND = Outcome.NOT_FOUND.code();

  private CollectionApplier() {}

  static boolean handles(byte kind) {
    return kind >= EntryFormat.CREATE_COLLECTION && kind <= EntryFormat.TRAIN_COLLECTION;
  }

  /** Applies operation {@code position} of the entry at Raft {@code index}; adds its results. */
  static void apply(byte kind, long index, int position, ByteBuffer in, StateWrite write,
      CollectionChanges changes, EntryApplier.ResultWriter results) {
    switch (kind) {
      case EntryFormat.CREATE_COLLECTION -> create(index, position, in, write, changes, results);
      case EntryFormat.DROP_COLLECTION -> {
        String name = EntryFormat.nextText(in);
        Long collectionId = changes.collectionId(name);
        if (collectionId == null) {
          results.add(EntryFormat.COLLECTION_MISSING);
        } else {
          write.dropCollection(name, collectionId);
          changes.dropped(collectionId, name);
          results.add(APPLIED);
        }
      }
      case EntryFormat.UPSERT_VECTOR, EntryFormat.DELETE_VECTOR -> {
        long collectionId = in.getLong();
        boolean live = changes.isLive(collectionId);
        results.add(applyRecord(kind, collectionId, live, in, write, changes));
      }
      case EntryFormat.VECTOR_BATCH -> applyBatch(index, in, write, changes, results);
      case EntryFormat.TRAIN_COLLECTION -> results.add(train(in, write, changes));
      default -> throw new IllegalStateException("unknown collection operation kind " + kind);
    }
  }

  private static void create(long index, int position, ByteBuffer in, StateWrite write,
      CollectionChanges changes, EntryApplier.ResultWriter results) {
    String name = EntryFormat.nextText(in);
    ByteBuffer specBytes = EntryFormat.nextSized(in);
    if (changes.collectionId(name) != null) {
      results.add(EntryFormat.COLLECTION_EXISTS);
      results.addLong(0);
      return;
    }
    byte[] spec = StateStore.copy(specBytes);
    CollectionSpec decoded = SpecCodec.decode(ByteBuffer.wrap(spec));
    long collectionId = CollectionCatalogue.collectionId(index, position);
    write.putCollection(name, CollectionCatalogue.entry(collectionId, spec));
    changes.created(collectionId, name, decoded);
    results.add(APPLIED);
    results.addLong(collectionId);
  }

  /** Keeps the first trained quantizer of a live collection; returns its code. */
  private static byte train(ByteBuffer in, StateWrite write, CollectionChanges changes) {
    long collectionId = in.getLong();
    ByteBuffer quantizer = EntryFormat.nextSized(in);
    if (!changes.isLive(collectionId)) {
      return EntryFormat.COLLECTION_MISSING;
    }
    if (write.trainedQuantizer(collectionId) != null) {
      return NOT_FOUND; // trained already (two leaders both trained): the first one stays
    }
    changes.trained(collectionId, write.putTrainedQuantizer(collectionId, quantizer));
    return APPLIED;
  }

  /** One upsert or delete (its collection id already read); returns its code. */
  private static byte applyRecord(byte kind, long collectionId, boolean live, ByteBuffer in,
      StateWrite write, CollectionChanges changes) {
    long id = in.getLong();
    ByteBuffer record = kind == EntryFormat.UPSERT_VECTOR ? EntryFormat.nextSized(in) : null;
    if (!live) {
      return EntryFormat.COLLECTION_MISSING;
    }
    if (record != null) {
      changes.changed(collectionId, id, write.putVector(collectionId, id, record));
      return APPLIED;
    }
    if (!write.deleteVector(collectionId, id)) {
      return NOT_FOUND;
    }
    changes.changed(collectionId, id, null);
    return APPLIED;
  }

  private static void applyBatch(long index, ByteBuffer in, StateWrite write,
      CollectionChanges changes, EntryApplier.ResultWriter results) {
    long collectionId = in.getLong();
    byte[] id = new byte[Short.toUnsignedInt(in.getShort())];
    in.get(id);
    int count = in.getInt();
    byte[] batchKey = EntryFormat.vectorBatchKey(collectionId, id);
    byte[] earlier = write.dedupResults(batchKey, index);
    boolean live = earlier == null && changes.isLive(collectionId);
    byte[] codes = new byte[count];
    for (int i = 0; i < count; i++) {
      codes[i] = applyRecord(in.get(), collectionId, live, in, write, changes);
    }
    if (earlier != null) {
      codes = earlier.length == count ? earlier : codes;
    } else {
      write.rememberResults(index, batchKey, codes);
    }
    results.add((byte) (earlier != null ? 1 : 0));
    for (byte code : codes) {
      results.add(code);
    }
  }
}
