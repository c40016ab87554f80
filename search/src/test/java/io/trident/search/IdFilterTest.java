package io.trident.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class IdFilterTest {
  @Test
  void denseIdsBecomeABitsetSparseIdsASortedList() {
    IdFilter dense = IdFilter.of(5, 3, 3, 9, 0);
    assertEquals(4, dense.cardinality());
    assertTrue(dense.toString().contains("bitset"), dense.toString());
    IdFilter sparse = IdFilter.of(1L << 40, -5, 7, 7);
    assertEquals(3, sparse.cardinality());
    assertTrue(sparse.toString().contains("sorted list"), sparse.toString());
    for (long id : new long[] {0, 3, 5, 9}) {
      assertTrue(dense.allows(id), "dense allows " + id);
    }
    for (long id : new long[] {1, 4, 10, -1, 64, 1L << 40}) {
      assertFalse(dense.allows(id), "dense rejects " + id);
    }
    assertTrue(sparse.allows(1L << 40) && sparse.allows(-5) && sparse.allows(7));
    assertFalse(sparse.allows(6) || sparse.allows(0) || sparse.allows(-1));
  }

  @Test
  void bitSetFormAndEmptyFilters() {
    BitSet bits = new BitSet();
    bits.set(1);
    bits.set(130);
    IdFilter filter = IdFilter.ofBitSet(bits);
    assertEquals(2, filter.cardinality());
    assertTrue(filter.allows(1) && filter.allows(130));
    assertFalse(filter.allows(0) || filter.allows(129) || filter.allows(131) || filter.allows(1 << 20));
    assertTrue(IdFilter.ofBitSet(new BitSet()).isEmpty());
    assertTrue(IdFilter.of().isEmpty());
    assertTrue(IdFilter.of(-1).isEmpty(), "-1 is never an index id");
    assertFalse(IdFilter.empty().allows(0));
  }
}
