package io.trident.search;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;

/**
 * Per-thread native buffers for search inputs and outputs, so a search allocates no native
 * memory. Only small requests are served from here (at most {@link #RETAINED_BYTES_MAX} kept per
 * thread); larger ones get temporary buffers the caller closes. Confined to its thread.
 */
final class NativeScratch {
  static final long RETAINED_BYTES_MAX = 1 << 20;
  private static final ThreadLocal<NativeScratch> LOCAL = ThreadLocal.withInitial(NativeScratch::new);

  private FloatPointer queries = new FloatPointer(0L);
  private FloatPointer distances = new FloatPointer(0L);
  private LongPointer labels = new LongPointer(0L);

  static NativeScratch get() {
    return LOCAL.get();
  }

  /** True when a request of this many floats + result slots may use the retained buffers. */
  static boolean fits(long queryFloats, long resultSlots) {
    return queryFloats * Float.BYTES + resultSlots * (Float.BYTES + Long.BYTES) <= RETAINED_BYTES_MAX;
  }

  FloatPointer queries(long floats) {
    if (queries.capacity() < floats) {
      queries.close();
      queries = new FloatPointer(Math.max(floats, 256));
    }
    return queries;
  }

  FloatPointer distances(long slots) {
    if (distances.capacity() < slots) {
      distances.close();
      distances = new FloatPointer(Math.max(slots, 64));
    }
    return distances;
  }

  LongPointer labels(long slots) {
    if (labels.capacity() < slots) {
      labels.close();
      labels = new LongPointer(Math.max(slots, 64));
    }
    return labels;
  }
}
