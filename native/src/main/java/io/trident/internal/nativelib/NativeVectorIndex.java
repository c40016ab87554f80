package io.trident.internal.nativelib;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Const;
import org.bytedeco.javacpp.annotation.Name;
import org.bytedeco.javacpp.annotation.Namespace;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * JavaCPP mapping of {@code trident::VectorIndex} (see native/include/trident/vector_index.h for
 * shapes, thread rules and errors). Internal: the owner is io.trident.search.VectorIndex, which
 * validates every argument first and calls {@link #destroy} exactly once.
 *
 * <p>Thread rules (enforced natively): any number of threads may call {@link #search} and the
 * getters at once; {@link #add}, {@link #remove}, {@link #train} and {@link #save} are exclusive
 * and a waiting one goes before later searches. Every failure arrives as a RuntimeException whose
 * message starts with a "[KIND] " tag; {@link NativeErrors#translate} types it.
 */
@Platform(include = "trident/vector_index.h", link = "trident_core")
@Namespace("trident")
@Name("VectorIndex")
public class NativeVectorIndex extends Pointer {
  static {
    Loader.load();
  }

  /** {@code trident::kFilterSortedIds}: strictly ascending int64 ids. */
  public static final int FILTER_SORTED_IDS = 1;
  /** {@code trident::kFilterIdBitset}: uint64 words, bit i = id i allowed. */
  public static final int FILTER_ID_BITSET = 2;

  /** Wraps a pointer returned by {@link #create} or {@link #load}. */
  public NativeVectorIndex(Pointer p) {
    super(p);
  }

  public static native NativeVectorIndex create(
      int dimension, @Cast("const char*") String spec, int metric, int efConstruction);

  public static native NativeVectorIndex load(@Cast("const char*") String path);

  /**
   * Frees the native index; the Java owner calls it once, after every other call returned. Maps
   * to the free function {@code trident::destroy_vector_index} (the "::" namespace keeps JavaCPP
   * from qualifying it with the class).
   */
  @Name("destroy_vector_index")
  @Namespace("::trident")
  public static native void destroy(NativeVectorIndex index);

  public native int dimension();

  public native int metric();

  public native @Cast("const char*") String spec();

  public native @Cast("int64_t") long size();

  public native @Cast("int64_t") long bytes_used();

  public native @Cast("bool") boolean is_trained();

  public native @Cast("bool") boolean contains(@Cast("int64_t") long id);

  public native void train(@Cast("int64_t") long n, @Const FloatPointer vectors);

  public native void add(
      @Cast("int64_t") long n, @Const FloatPointer vectors, @Cast("const int64_t*") LongPointer ids);

  /** add on {@code ompThreads} OpenMP threads (0 = every core); see vector_index.h. */
  public native void add(@Cast("int64_t") long n, @Const FloatPointer vectors,
      @Cast("const int64_t*") LongPointer ids, int ompThreads);

  public native void remove(@Cast("int64_t") long n, @Cast("const int64_t*") LongPointer ids);

  public native void search(
      @Cast("int64_t") long n,
      @Const FloatPointer queries,
      int k,
      int efSearch,
      int nprobe,
      int ompThreads,
      FloatPointer distances,
      @Cast("int64_t*") LongPointer labels);

  /**
   * Filtered search; {@code filterKind} is one of the {@code FILTER_*} codes, {@code filterData}
   * holds {@code filterLength} sorted ids or a bitset of {@code filterLength} bits (see
   * {@code trident::IdFilterKind}). The memory must stay valid and unchanged during the call.
   */
  public native void search(
      @Cast("int64_t") long n,
      @Const FloatPointer queries,
      int k,
      int efSearch,
      int nprobe,
      int ompThreads,
      int filterKind,
      @Cast("const void*") Pointer filterData,
      @Cast("int64_t") long filterLength,
      FloatPointer distances,
      @Cast("int64_t*") LongPointer labels);

  public native void save(@Cast("const char*") String path);

  public native @Cast("int64_t") long tombstone_count();

  public native @Cast("bool") boolean compact(int omp_threads);

  public static native @Cast("const char*") String kernel_variant();
}
