package io.trident.internal.collection;

import io.trident.AttributeType;
import io.trident.Filter;
import io.trident.error.AttributeTypeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.function.Function;

/**
 * Turns a public {@link Filter} into a {@link Compiled} one: every attribute resolved to its
 * position and every operand checked and converted to the attribute's type (so a bad filter fails
 * on the caller's thread, before any waiting or searching), ready to be evaluated into the set of
 * slots it lets through. Stateless.
 */
public final class FilterCompiler {
  private FilterCompiler() {}

  /** A checked filter; {@link CollectionIndex} evaluates it against its current attributes. */
  public static final class Compiled {
    private final Function<AttributeTable, BitSet> evaluation;

    private Compiled(Function<AttributeTable, BitSet> evaluation) {
      this.evaluation = evaluation;
    }

    /** The live slots this filter lets through (a new set the caller owns). */
    BitSet slots(AttributeTable table) {
      return evaluation.apply(table);
    }
  }

  /**
   * @throws io.trident.error.UnknownAttributeException for an undeclared attribute
   * @throws AttributeTypeException for an operand its attribute's type does not accept, or a range
   *     on a STRING or TAG attribute
   */
  public static Compiled compile(Filter filter, AttributeSchema schema) {
    if (filter instanceof Filter.In in) {
      return compileIn(in, schema);
    }
    if (filter instanceof Filter.Range range) {
      return compileRange(range, schema);
    }
    if (filter instanceof Filter.And and) {
      List<Compiled> parts = compileAll(and.filters(), schema);
      return new Compiled(table -> {
        BitSet slots = parts.get(0).slots(table);
        for (int i = 1; i < parts.size() && !slots.isEmpty(); i++) {
          slots.and(parts.get(i).slots(table));
        }
        return slots;
      });
    }
    if (filter instanceof Filter.Or or) {
      List<Compiled> parts = compileAll(or.filters(), schema);
      return new Compiled(table -> {
        BitSet slots = new BitSet();
        parts.forEach(part -> slots.or(part.slots(table)));
        return slots;
      });
    }
    Compiled inner = compile(((Filter.Not) filter).filter(), schema);
    return new Compiled(table -> {
      BitSet slots = (BitSet) table.live().clone();
      slots.andNot(inner.slots(table));
      return slots;
    });
  }

  private static List<Compiled> compileAll(List<Filter> filters, AttributeSchema schema) {
    List<Compiled> parts = new ArrayList<>(filters.size());
    filters.forEach(part -> parts.add(compile(part, schema)));
    return parts;
  }

  private static Compiled compileIn(Filter.In in, AttributeSchema schema) {
    int position = schema.position(in.attribute());
    String where = "filter on " + in.attribute();
    switch (schema.type(position)) {
      case LONG -> {
        long[] values = in.values().stream().mapToLong(value ->
            (Long) RecordCodec.normalize(schema, position, value, where)).sorted().toArray();
        return new Compiled(table -> table.matchingLongs(position,
            v -> Arrays.binarySearch(values, v) >= 0));
      }
      case DOUBLE -> {
        double[] values = in.values().stream().mapToDouble(value ->
            (Double) RecordCodec.normalize(schema, position, value, where)).sorted().toArray();
        return new Compiled(table -> table.matchingDoubles(position,
            v -> Arrays.binarySearch(values, v) >= 0));
      }
      default -> {
        List<String> values = new ArrayList<>();
        for (Object value : in.values()) {
          if (!(value instanceof String text)) {
            throw new AttributeTypeException(where + ": attribute " + in.attribute() + " is "
                + schema.type(position) + " and takes String operands, got " + value);
          }
          values.add(text);
        }
        return new Compiled(table -> {
          BitSet slots = new BitSet();
          values.forEach(value -> slots.or(table.holding(position, value)));
          return slots;
        });
      }
    }
  }

  private static Compiled compileRange(Filter.Range range, AttributeSchema schema) {
    int position = schema.position(range.attribute());
    AttributeType type = schema.type(position);
    String where = "range filter on " + range.attribute();
    if (type == AttributeType.LONG) {
      long min = range.min() == null ? Long.MIN_VALUE
          : (Long) RecordCodec.normalize(schema, position, range.min(), where);
      long max = range.max() == null ? Long.MAX_VALUE
          : (Long) RecordCodec.normalize(schema, position, range.max(), where);
      return new Compiled(table -> table.matchingLongs(position, v -> v >= min && v <= max));
    }
    if (type == AttributeType.DOUBLE) {
      double min = range.min() == null ? Double.NEGATIVE_INFINITY
          : (Double) RecordCodec.normalize(schema, position, range.min(), where);
      double max = range.max() == null ? Double.POSITIVE_INFINITY
          : (Double) RecordCodec.normalize(schema, position, range.max(), where);
      return new Compiled(table -> table.matchingDoubles(position,
          v -> v >= min && v <= max));
    }
    throw new AttributeTypeException(where + ": attribute " + range.attribute() + " is " + type
        + "; ranges apply to LONG and DOUBLE attributes");
  }
}
