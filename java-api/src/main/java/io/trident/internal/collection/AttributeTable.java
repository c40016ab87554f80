package io.trident.internal.collection;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;
import java.util.function.IntPredicate;
import java.util.function.LongPredicate;

/**
 * The attributes of a collection's indexed records, in memory by slot (the dense number the
 * native index knows a record by), kept for filtering: LONG and DOUBLE attributes as columns
 * (scanned by range and equality filters, O(slots) per predicate), STRING and TAG attributes as
 * postings (value -> slots holding it, O(matching slots / 64) per predicate). {@link #live()}
 * holds the slots of current records.
 *
 * <p>Not thread-safe: its {@link CollectionIndex} writes it under a write lock and filters read
 * it under a read lock.
 */
final class AttributeTable {
  private static final int INITIAL_SLOTS = 1024;

  private final AttributeSchema schema;
  private final BitSet live = new BitSet();
  /** Per position: long[] or double[] (numeric columns), else Object[] of String / List. */
  private final Object[] columns;
  /** Per position: which slots hold a value (numeric columns only). */
  private final BitSet[] present;
  /** Per position: value -> slots (STRING and TAG only). */
  private final List<Map<String, BitSet>> postings;

  AttributeTable(AttributeSchema schema) {
    this.schema = schema;
    columns = new Object[schema.size()];
    present = new BitSet[schema.size()];
    Map<String, BitSet>[] maps = newMaps(schema.size());
    for (int position = 0; position < schema.size(); position++) {
      switch (schema.type(position)) {
        case LONG -> columns[position] = new long[INITIAL_SLOTS];
        case DOUBLE -> columns[position] = new double[INITIAL_SLOTS];
        case STRING, TAG -> {
          columns[position] = new Object[INITIAL_SLOTS];
          maps[position] = new HashMap<>();
        }
      }
      present[position] = new BitSet();
    }
    postings = Arrays.asList(maps);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, BitSet>[] newMaps(int count) {
    return new Map[count];
  }

  AttributeSchema schema() {
    return schema;
  }

  /** Slots of current records; read-only for callers. */
  BitSet live() {
    return live;
  }

  /** Makes {@code slot} live with {@code values} (one per position, null: absent). */
  void set(int slot, Object[] values) {
    clear(slot);
    live.set(slot);
    for (int position = 0; position < values.length; position++) {
      Object value = values[position];
      if (value == null) {
        continue;
      }
      present[position].set(slot);
      ensureCapacity(position, slot);
      switch (schema.type(position)) {
        case LONG -> ((long[]) columns[position])[slot] = (Long) value;
        case DOUBLE -> ((double[]) columns[position])[slot] = (Double) value;
        case STRING -> {
          ((Object[]) columns[position])[slot] = value;
          postings.get(position).computeIfAbsent((String) value, v -> new BitSet()).set(slot);
        }
        case TAG -> {
          ((Object[]) columns[position])[slot] = value;
          for (Object tag : (List<?>) value) {
            postings.get(position).computeIfAbsent((String) tag, v -> new BitSet()).set(slot);
          }
        }
      }
    }
  }

  /** Forgets {@code slot}'s record (no-op when it holds none). */
  void clear(int slot) {
    if (!live.get(slot)) {
      return;
    }
    live.clear(slot);
    for (int position = 0; position < columns.length; position++) {
      if (!present[position].get(slot)) {
        continue;
      }
      present[position].clear(slot);
      if (columns[position] instanceof Object[] objects) {
        Object value = objects[slot];
        objects[slot] = null;
        for (Object text : value instanceof List<?> tags ? tags : List.of(value)) {
          Map<String, BitSet> map = postings.get(position);
          BitSet slots = map.get((String) text);
          slots.clear(slot);
          if (slots.isEmpty()) {
            map.remove((String) text);
          }
        }
      }
    }
  }

  /** Slots whose STRING/TAG attribute holds {@code value} (a copy). */
  BitSet holding(int position, String value) {
    BitSet slots = postings.get(position).get(value);
    return slots == null ? new BitSet() : (BitSet) slots.clone();
  }

  /** Slots whose LONG attribute satisfies {@code test}. */
  BitSet matchingLongs(int position, LongPredicate test) {
    long[] column = (long[]) columns[position];
    return presentWhere(position, slot -> test.test(column[slot]));
  }

  /** Slots whose DOUBLE attribute satisfies {@code test}. */
  BitSet matchingDoubles(int position, DoublePredicate test) {
    double[] column = (double[]) columns[position];
    return presentWhere(position, slot -> test.test(column[slot]));
  }

  /** Slots holding attribute {@code position} for which {@code test} holds: a column scan. */
  private BitSet presentWhere(int position, IntPredicate test) {
    BitSet has = present[position];
    BitSet out = new BitSet();
    for (int slot = has.nextSetBit(0); slot >= 0; slot = has.nextSetBit(slot + 1)) {
      if (test.test(slot)) {
        out.set(slot);
      }
    }
    return out;
  }

  private void ensureCapacity(int position, int slot) {
    Object column = columns[position];
    if (column instanceof long[] longs) {
      if (slot >= longs.length) {
        columns[position] = Arrays.copyOf(longs, Math.max(slot + 1, longs.length * 2));
      }
    } else if (column instanceof double[] doubles) {
      if (slot >= doubles.length) {
        columns[position] = Arrays.copyOf(doubles, Math.max(slot + 1, doubles.length * 2));
      }
    } else {
      Object[] objects = (Object[]) column;
      if (slot >= objects.length) {
        columns[position] = Arrays.copyOf(objects, Math.max(slot + 1, objects.length * 2));
      }
    }
  }
}
