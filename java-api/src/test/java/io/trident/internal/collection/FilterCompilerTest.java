package io.trident.internal.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.trident.AttributeType;
import io.trident.CollectionSpec;
import io.trident.Filter;
import io.trident.testing.Seeds;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * Compiled filters evaluated over an {@link AttributeTable} select exactly the slots a plain
 * predicate over the same records selects, while records are set, replaced and cleared. Seeded.
 */
class FilterCompilerTest {
  private static final String[] WORDS = {"red", "green", "blue", "grey"};

  private final CollectionSpec spec = CollectionSpec.builder().dimension(2)
      .attribute("n", AttributeType.LONG).attribute("x", AttributeType.DOUBLE)
      .attribute("word", AttributeType.STRING).attribute("tags", AttributeType.TAG).build();
  private final AttributeSchema schema = new AttributeSchema("test", spec);

  @Test
  void compiledFiltersMatchAPlainPredicate() {
    SplittableRandom random = new SplittableRandom(Seeds.of("FilterCompilerTest"));
    AttributeTable table = new AttributeTable(schema);
    Object[][] records = new Object[3000][];
    current = records;
    for (int round = 0; round < 4; round++) {
      for (int step = 0; step < 2000; step++) {
        int slot = random.nextInt(records.length);
        if (random.nextInt(5) == 0) {
          table.clear(slot);
          records[slot] = null;
        } else {
          records[slot] = randomValues(random);
          table.set(slot, records[slot]);
        }
      }
      for (int i = 0; i < 50; i++) {
        Case check = randomCase(random, 3);
        BitSet expected = new BitSet();
        for (int slot = 0; slot < records.length; slot++) {
          if (records[slot] != null && check.predicate.test(slot)) {
            expected.set(slot);
          }
        }
        assertEquals(expected, FilterCompiler.compile(check.filter, schema).slots(table),
            check.filter.toString());
      }
    }
  }

  private record Case(Filter filter, IntPredicate predicate) {}

  /** The records the test has set, by slot (null: none). */
  private Object[][] current;

  private Object[] randomValues(SplittableRandom random) {
    Object[] values = new Object[schema.size()];
    if (random.nextInt(10) > 0) {
      values[0] = (long) random.nextInt(20) - 5;
    }
    if (random.nextInt(10) > 0) {
      values[1] = random.nextInt(100) / 4.0;
    }
    if (random.nextInt(10) > 0) {
      values[2] = WORDS[random.nextInt(WORDS.length)];
    }
    List<String> tags = new ArrayList<>();
    for (String word : WORDS) {
      if (random.nextInt(3) == 0) {
        tags.add(word);
      }
    }
    values[3] = tags.isEmpty() ? null : List.copyOf(tags);
    return values;
  }

  /** A random filter and the predicate it should equal, over {@link #current} by slot. */
  private Case randomCase(SplittableRandom random, int depth) {
    int kind = random.nextInt(depth == 0 ? 5 : 8);
    switch (kind) {
      case 0: {
        long value = random.nextInt(20) - 5;
        return new Case(Filter.eq("n", value), slot -> value(slot, 0) != null
            && (Long) value(slot, 0) == value);
      }
      case 1: {
        long min = random.nextInt(20) - 5;
        long max = min + random.nextInt(10);
        return new Case(Filter.range("n", min, max), slot -> value(slot, 0) != null
            && (Long) value(slot, 0) >= min && (Long) value(slot, 0) <= max);
      }
      case 2: {
        double min = random.nextInt(100) / 4.0;
        return new Case(Filter.range("x", min, null), slot -> value(slot, 1) != null
            && (Double) value(slot, 1) >= min);
      }
      case 3: {
        String a = WORDS[random.nextInt(WORDS.length)];
        String b = WORDS[random.nextInt(WORDS.length)];
        return new Case(Filter.in("word", a, b), slot -> a.equals(value(slot, 2))
            || b.equals(value(slot, 2)));
      }
      case 4: {
        String tag = WORDS[random.nextInt(WORDS.length)];
        return new Case(Filter.eq("tags", tag), slot -> value(slot, 3) != null
            && ((List<?>) value(slot, 3)).contains(tag));
      }
      case 5: {
        Case left = randomCase(random, depth - 1);
        Case right = randomCase(random, depth - 1);
        return new Case(Filter.and(left.filter, right.filter),
            slot -> left.predicate.test(slot) && right.predicate.test(slot));
      }
      case 6: {
        Case left = randomCase(random, depth - 1);
        Case right = randomCase(random, depth - 1);
        return new Case(Filter.or(left.filter, right.filter),
            slot -> left.predicate.test(slot) || right.predicate.test(slot));
      }
      default: {
        Case inner = randomCase(random, depth - 1);
        return new Case(Filter.not(inner.filter), slot -> !inner.predicate.test(slot));
      }
    }
  }

  private Object value(int slot, int position) {
    return current[slot][position];
  }
}
