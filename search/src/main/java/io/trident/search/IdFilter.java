package io.trident.search;

import io.trident.error.InvalidArgumentException;
import io.trident.internal.nativelib.NativeVectorIndex;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;
import org.bytedeco.javacpp.LongPointer;

/**
 * Which ids a search may return: pass one with {@link SearchParams#withFilter(IdFilter)}. The
 * native search consults it while it scans or walks the index (an HNSW walk still passes through
 * disallowed nodes but never returns them), so a filter that lets 1% of the vectors through still
 * yields k hits whenever the index holds k allowed ids. Ids the index does not hold are allowed
 * and simply never match.
 *
 * <p>Forms: a bitset over ids {@code 0..n-1} (membership O(1) in the native search), or a sorted
 * id list (the native search builds a hash set of it once per call, O(ids)). {@link #of(long...)}
 * picks the bitset whenever it is no larger than the list, so dense ids never pay for hashing;
 * for very large filters over sparse ids, pass the same filter to a batch of queries to share
 * that cost.
 *
 * <p>Immutable and thread-safe: any number of concurrent searches may use one filter, and
 * concurrent searches may use different filters. The ids live in direct memory (released with
 * the object by the garbage collector) and cross JNI once per search call, without copies.
 */
public final class IdFilter {
  /** Largest number of ids a list filter may hold (its direct buffer is at most 2 GiB). */
  public static final int IDS_MAX = Integer.MAX_VALUE / Long.BYTES;

  private static final IdFilter EMPTY = new IdFilter(NativeVectorIndex.FILTER_ID_BITSET, 0, 0,
      ByteBuffer.allocateDirect(Long.BYTES));

  private final int kind;
  private final long length; // ids, or bits
  private final long cardinality;
  private final LongBuffer data; // direct, native order; read-only by convention
  private final LongPointer pointer;

  private IdFilter(int kind, long length, long cardinality, ByteBuffer bytes) {
    this.kind = kind;
    this.length = length;
    this.cardinality = cardinality;
    this.data = bytes.order(ByteOrder.nativeOrder()).asLongBuffer();
    this.pointer = new LongPointer(data);
  }

  /**
   * A filter allowing exactly {@code ids} (any order; repeats are fine). -1 is never an index id
   * and is ignored.
   *
   * @throws InvalidArgumentException when there are more than {@link #IDS_MAX} distinct ids
   */
  public static IdFilter of(long... ids) {
    Objects.requireNonNull(ids, "ids");
    long[] sorted = Arrays.stream(ids).filter(id -> id != -1).sorted().distinct().toArray();
    if (sorted.length == 0) {
      return EMPTY;
    }
    if (sorted.length > IDS_MAX) {
      throw new InvalidArgumentException(
          "an id filter holds at most " + IDS_MAX + " ids, got " + sorted.length);
    }
    long max = sorted[sorted.length - 1];
    // A bitset over 0..max costs (max + 1) / 8 bytes, the list 8 per id.
    if (sorted[0] >= 0 && max < 64L * sorted.length) {
      ByteBuffer bytes = ByteBuffer.allocateDirect(wordsFor(max + 1) * Long.BYTES);
      IdFilter filter = new IdFilter(NativeVectorIndex.FILTER_ID_BITSET, max + 1, sorted.length, bytes);
      for (long id : sorted) {
        int word = (int) (id >>> 6);
        filter.data.put(word, filter.data.get(word) | (1L << id));
      }
      return filter;
    }
    ByteBuffer bytes = ByteBuffer.allocateDirect(sorted.length * Long.BYTES);
    IdFilter filter = new IdFilter(NativeVectorIndex.FILTER_SORTED_IDS, sorted.length, sorted.length, bytes);
    filter.data.put(0, sorted);
    return filter;
  }

  /** A filter allowing id {@code i} exactly when bit {@code i} of {@code allowed} is set. */
  public static IdFilter ofBitSet(BitSet allowed) {
    Objects.requireNonNull(allowed, "allowed");
    int bits = allowed.length();
    if (bits == 0) {
      return EMPTY;
    }
    long[] words = allowed.toLongArray();
    ByteBuffer bytes = ByteBuffer.allocateDirect(words.length * Long.BYTES);
    IdFilter filter = new IdFilter(NativeVectorIndex.FILTER_ID_BITSET, bits, allowed.cardinality(), bytes);
    filter.data.put(0, words);
    return filter;
  }

  /** A filter allowing nothing: a search with it returns no hits. */
  public static IdFilter empty() {
    return EMPTY;
  }

  /** Number of ids allowed (including ids the index may not hold). */
  public long cardinality() {
    return cardinality;
  }

  public boolean isEmpty() {
    return cardinality == 0;
  }

  /** True when a search with this filter may return {@code id}. */
  public boolean allows(long id) {
    if (kind == NativeVectorIndex.FILTER_ID_BITSET) {
      return id >= 0 && id < length && (data.get((int) (id >>> 6)) & (1L << id)) != 0;
    }
    int low = 0;
    int high = (int) length - 1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      long value = data.get(middle);
      if (value < id) {
        low = middle + 1;
      } else if (value > id) {
        high = middle - 1;
      } else {
        return true;
      }
    }
    return false;
  }

  /** Native form code ({@code NativeVectorIndex.FILTER_*}). */
  int nativeKind() {
    return kind;
  }

  /** Native length: ids of a list, bits of a bitset. */
  long nativeLength() {
    return length;
  }

  /** The direct memory the native search reads; keep this filter reachable during the call. */
  LongPointer nativeData() {
    return pointer;
  }

  @Override
  public String toString() {
    return "IdFilter[" + cardinality + " ids, "
        + (kind == NativeVectorIndex.FILTER_ID_BITSET ? "bitset of " + length + " bits]" : "sorted list]");
  }

  private static int wordsFor(long bits) {
    long words = (bits + 63) >>> 6;
    if (words * Long.BYTES > Integer.MAX_VALUE) {
      throw new InvalidArgumentException("an id filter bitset covers ids below 2^34, got " + bits + " bits");
    }
    return (int) words;
  }
}
