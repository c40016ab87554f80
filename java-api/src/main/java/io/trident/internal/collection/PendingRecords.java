package io.trident.internal.collection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The records of a collection whose index structure is not trained yet (IVF, PQ, SQ): kept in
 * arrival order, the last change of an id winning, until the trained quantizer arrives through
 * the log ({@link CollectionIndex#installTrained}); then they are added to the index in one go.
 * The leader's first {@code trainingRecords} of them are also the training sample.
 *
 * <p>Threads: the indexer thread only (or the loading thread before the index is published).
 */
final class PendingRecords {
  private final LinkedHashMap<Long, byte[]> records = new LinkedHashMap<>();

  /** Applies upserts (record) and deletes (null) in order. */
  void add(List<CollectionIndex.Change> changes) {
    for (CollectionIndex.Change change : changes) {
      if (change.record() == null) {
        records.remove(change.id());
      } else {
        records.put(change.id(), change.record());
      }
    }
  }

  int size() {
    return records.size();
  }

  /** The vectors of the first {@code count} records, row-major (count * dimension floats). */
  float[] sample(int count, AttributeSchema schema, int dimension) {
    float[] flat = new float[count * dimension];
    int row = 0;
    for (byte[] record : records.values()) {
      if (row == count) {
        break;
      }
      float[] vector = RecordCodec.decode(schema, dimension, record).vector();
      System.arraycopy(vector, 0, flat, row * dimension, dimension);
      row++;
    }
    return flat;
  }

  /** Every pending record as upserts, in arrival order; leaves this empty. */
  List<CollectionIndex.Change> drain() {
    List<CollectionIndex.Change> changes = new ArrayList<>(records.size());
    for (Map.Entry<Long, byte[]> record : records.entrySet()) {
      changes.add(new CollectionIndex.Change(record.getKey(), record.getValue()));
    }
    records.clear();
    return changes;
  }
}
