package io.trident.search;

import io.trident.error.InvalidArgumentException;
import io.trident.error.StorageIoException;
import io.trident.internal.nativelib.NativeErrors;
import io.trident.internal.nativelib.NativeVectorIndex;
import io.trident.nativelib.TridentNative;
import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;

/**
 * One native vector index (flat, IVF, HNSW, SQ, PQ) with caller-given 64-bit ids.
 *
 * <p>Thread rules: any number of threads may search at once. {@code add}, {@code remove} and
 * {@code train} are serialised against searches and each other inside the native index. {@code
 * save} does not hold searches up: it copies the index in memory under the shared lock and writes
 * the file unlocked (saves run one at a time). {@link #close()} may be called from any thread, any number of times: it waits for
 * calls in flight, then frees the native memory; later calls throw
 * {@link io.trident.error.ClosedHandleException}.
 *
 * <p>Errors: every argument is checked in Java before crossing JNI (dimension, NaN/Inf, k, batch
 * size); a failed call throws a {@link io.trident.error.TridentException} subclass and leaves the
 * index unchanged.
 *
 * <p>Fewer hits than k: k larger than the index (or than the ids a {@link SearchParams#filter()}
 * allows that the index holds) is not an error, as in FAISS and Lucene: a search returns the hits
 * there are. {@link SearchResult}s then simply hold fewer ids; the array forms
 * ({@link #searchFlat}, the direct-buffer {@link #searchBatch}) fill the unused slots of each
 * query's k with id -1 and the metric's worst distance (+inf for L2, -inf otherwise). The index
 * size may change between calls; no search fails because of it.
 *
 * <p>Memory: vectors are copied into the index on add; searches borrow native scratch buffers
 * from a process-wide pool (one per concurrent search, not per caller thread) and, through {@link #searchBatch(FloatBuffer, int, int, SearchParams, FloatBuffer, LongBuffer)},
 * read queries from and write results into the caller's direct buffers without copies.
 */
public final class VectorIndex implements AutoCloseable {
  /** Largest k a search may ask for. */
  public static final int K_MAX = 10_000;
  /** Largest batch of vectors one add/train/search call may pass, in bytes. */
  public static final long BATCH_BYTES_MAX = 1L << 30;
  /** Rows per native call of the progress-reporting {@link #add(long[], float[], AddProgress)}. */
  public static final int ADD_CHUNK_ROWS = 10_000;
  /** Largest supported dimension. */
  public static final int DIMENSION_MAX = 1 << 16;

  private final NativeVectorIndex handle;
  private final IndexSpec spec;
  private final int dimension;
  private final HandleGuard guard;

  private VectorIndex(NativeVectorIndex handle, IndexSpec spec, int dimension) {
    this.handle = handle;
    this.spec = spec;
    this.dimension = dimension;
    this.guard = new HandleGuard("vector index " + spec);
  }

  /** Creates an empty index of {@code dimension}-float vectors. */
  public static VectorIndex create(int dimension, IndexSpec spec) {
    Objects.requireNonNull(spec, "spec");
    if (dimension <= 0 || dimension > DIMENSION_MAX) {
      throw new InvalidArgumentException(
          "dimension must be in 1.." + DIMENSION_MAX + ", got " + dimension);
    }
    TridentNative.ensureAvailability();
    try {
      NativeVectorIndex handle = NativeVectorIndex.create(
          dimension, spec.factory(), spec.metric().nativeCode(), spec.efConstruction());
      return new VectorIndex(handle, spec, dimension);
    } catch (RuntimeException e) {
      throw NativeErrors.translate(e);
    }
  }

  /**
   * Loads an index written by {@link #save(Path)}.
   *
   * @throws StorageIoException when the file is missing or unreadable
   * @throws io.trident.error.CorruptIndexException when it is truncated, altered or foreign
   */
  public static VectorIndex load(Path file) {
    Objects.requireNonNull(file, "file");
    if (!Files.isRegularFile(file)) {
      throw new StorageIoException("cannot load index: no such file " + file.toAbsolutePath());
    }
    TridentNative.ensureAvailability();
    try {
      NativeVectorIndex handle = NativeVectorIndex.load(file.toAbsolutePath().toString());
      IndexSpec spec = IndexSpec.parse(handle.spec())
          .withMetric(Metric.ofNativeCode(handle.metric()));
      return new VectorIndex(handle, spec, handle.dimension());
    } catch (RuntimeException e) {
      throw NativeErrors.translate(e);
    }
  }

  /** Name of the native distance-kernel variant in use: "avx512", "avx2" or "scalar". */
  public static String kernelVariant() {
    TridentNative.ensureAvailability();
    return NativeVectorIndex.kernel_variant();
  }

  public int dimension() {
    return dimension;
  }

  public IndexSpec spec() {
    return spec;
  }

  /** Vectors searchable now (removed ids excluded). */
  public long size() {
    return call(() -> handle.size());
  }

  /** Approximate native memory held, in bytes. */
  public long bytesUsed() {
    return call(() -> handle.bytes_used());
  }

  public boolean isTrained() {
    return call(() -> handle.is_trained());
  }

  /**
   * HNSW nodes whose ids were removed: they stay in the graph (routing searches, never returned)
   * until {@link #compact}. Always 0 for other structures, which drop removed vectors at once.
   */
  public long tombstoneCount() {
    return call(() -> handle.tombstone_count());
  }

  /**
   * HNSW: rebuilds the graph from the live vectors only (same ids, same spec, on the spec's
   * {@link IndexSpec#buildThreads()}) and swaps it in, dropping every tombstone. Searches run on
   * throughout (the build holds no lock; the swap is a pointer exchange); the results of the new
   * graph equal those of a fresh build of the live vectors. Returns false and changes nothing
   * when there is no tombstone, or when an {@code add}/{@code remove} ran meanwhile: call it from
   * the thread that writes this index. Memory: a second graph until the swap.
   */
  public boolean compact() {
    int threads = spec.buildThreads();
    return call(() -> handle.compact(threads));
  }

  public boolean contains(long id) {
    return call(() -> handle.contains(id));
  }

  /** Trains IVF/PQ/SQ structures on representative vectors; a no-op for Flat and HNSW. */
  public void train(float[][] vectors) {
    float[] flat = VectorBatch.flatten(vectors, dimension, "training batch");
    train(flat, vectors.length);
  }

  /** Trains on {@code n} vectors stored row-major in {@code flat} (n * dimension floats). */
  public void train(float[] flat, int n) {
    VectorBatch.checkFlat(flat, n, dimension, "training batch");
    try (FloatPointer vectors = VectorBatch.toNative(flat, n, dimension, spec.metric())) {
      runExclusive(() -> handle.train(n, vectors));
    }
  }

  /** Adds vectors with caller ids; ids must be new. All or nothing. */
  public void add(long[] ids, float[][] vectors) {
    Objects.requireNonNull(ids, "ids");
    if (ids.length != vectors.length) {
      throw new InvalidArgumentException(
          "got " + ids.length + " ids for " + vectors.length + " vectors; they must match");
    }
    add(ids, VectorBatch.flatten(vectors, dimension, "add batch"));
  }

  /**
   * Adds {@code ids.length} vectors stored row-major in {@code flat}, on the spec's
   * {@link IndexSpec#buildThreads()}. All or nothing.
   */
  public void add(long[] ids, float[] flat) {
    Objects.requireNonNull(ids, "ids");
    addRows(ids, flat, 0, ids.length, spec.buildThreads());
  }

  /**
   * As {@link #add(long[], float[])}, on {@code threads} threads for this call only (0 = every
   * core) instead of the spec's {@link IndexSpec#buildThreads()}: a writer that knows the cores
   * are otherwise idle (a catch-up after an ingest) uses them all, and runs on one while they are
   * busy. HNSW only uses more than one thread; the add holds the index exclusively throughout, so
   * searches wait for it (keep such batches to what the threads insert in well under a second).
   */
  public void add(long[] ids, float[] flat, int threads) {
    Objects.requireNonNull(ids, "ids");
    if (threads < 0 || threads > IndexSpec.BUILD_THREADS_MAX) {
      throw new InvalidArgumentException("add threads must be in 0.." + IndexSpec.BUILD_THREADS_MAX
          + " (0 = every core), got " + threads);
    }
    VectorBatch.checkFlat(flat, ids.length, dimension, "add batch");
    addRows(ids, flat, 0, ids.length, threads);
  }

  /**
   * Bulk add with progress: adds the rows in chunks of {@link #ADD_CHUNK_ROWS} (each chunk one
   * native call on the spec's {@link IndexSpec#buildThreads()}, all or nothing) and reports to
   * {@code progress} after each. Every argument, and that no id repeats within the call, is
   * checked before the first chunk; an id already in the index fails the chunk that holds it,
   * and the chunks before it stay added.
   */
  public void add(long[] ids, float[] flat, AddProgress progress) {
    Objects.requireNonNull(ids, "ids");
    Objects.requireNonNull(progress, "progress");
    int n = ids.length;
    VectorBatch.checkFlat(flat, n, dimension, "add batch");
    VectorBatch.requireDistinct(ids);
    for (int start = 0; start < n; start += ADD_CHUNK_ROWS) {
      int end = Math.min(n, start + ADD_CHUNK_ROWS);
      addRows(ids, flat, start, end, spec.buildThreads());
      progress.added(end, n);
    }
  }

  /** Adds rows [start, end) of ids/flat in one native call on {@code threads} (0 = all). */
  private void addRows(long[] ids, float[] flat, int start, int end, int threads) {
    int n = end - start;
    if (start == 0 && end == ids.length) {
      VectorBatch.checkFlat(flat, n, dimension, "add batch");
    }
    try (FloatPointer vectors = VectorBatch.toNative(flat, start, n, dimension, spec.metric());
        LongPointer nativeIds = new LongPointer(n)) {
      nativeIds.put(ids, start, n);
      runExclusive(() -> handle.add(n, vectors, nativeIds, threads));
    }
  }

  /**
   * Removes ids. Throws {@link io.trident.error.UnknownIdException} naming the first id the index
   * does not hold, and then removes nothing.
   */
  public void remove(long... ids) {
    Objects.requireNonNull(ids, "ids");
    if (ids.length == 0) {
      return;
    }
    try (LongPointer nativeIds = new LongPointer(ids)) {
      runExclusive(() -> handle.remove(ids.length, nativeIds));
    }
  }

  public SearchResult search(float[] query, int k) {
    return search(query, k, SearchParams.defaults());
  }

  /** The k nearest neighbours of one query, best first (fewer when the index holds fewer). */
  public SearchResult search(float[] query, int k, SearchParams params) {
    return searchBatch(new float[][] {query}, k, params)[0];
  }

  /** The k nearest neighbours of each query, in one native call. */
  public SearchResult[] searchBatch(float[][] queries, int k, SearchParams params) {
    Objects.requireNonNull(params, "params");
    checkOutputs(queries.length, k, Long.MAX_VALUE, Long.MAX_VALUE);
    float[] flat = VectorBatch.flatten(queries, dimension, "query batch");
    int n = queries.length;
    float[] distances = new float[n * k];
    long[] labels = new long[n * k];
    searchFlat(flat, n, k, params, distances, labels);
    SearchResult[] results = new SearchResult[n];
    for (int i = 0; i < n; i++) {
      results[i] = SearchResult.fromRow(labels, distances, i * k, k);
    }
    return results;
  }

  /**
   * Searches {@code n} queries held row-major in {@code flatQueries}, writing n * k distances and
   * ids (best first, id -1 in empty slots) into the caller's arrays.
   */
  public void searchFlat(float[] flatQueries, int n, int k, SearchParams params, float[] distancesOut,
      long[] idsOut) {
    Objects.requireNonNull(params, "params");
    VectorBatch.checkFlat(flatQueries, n, dimension, "query batch");
    checkOutputs(n, k, distancesOut.length, idsOut.length);
    guard.enter();
    try {
      long slots = (long) n * k;
      if (NativeScratch.fits((long) n * dimension, slots)) {
        NativeScratch scratch = NativeScratch.get();
        FloatPointer queries = scratch.queries((long) n * dimension);
        VectorBatch.copyIn(flatQueries, n, dimension, spec.metric(), queries);
        FloatPointer distances = scratch.distances(slots);
        LongPointer labels = scratch.labels(slots);
        searchNative(n, queries, k, params, distances, labels);
        distances.get(distancesOut, 0, (int) slots);
        labels.get(idsOut, 0, (int) slots);
      } else {
        try (FloatPointer queries = VectorBatch.toNative(flatQueries, n, dimension, spec.metric());
            FloatPointer distances = new FloatPointer(slots);
            LongPointer labels = new LongPointer(slots)) {
          searchNative(n, queries, k, params, distances, labels);
          distances.get(distancesOut, 0, (int) slots);
          labels.get(idsOut, 0, (int) slots);
        }
      }
    } catch (RuntimeException e) {
      throw NativeErrors.translate(e);
    } finally {
      guard.exit();
    }
  }

  /**
   * Zero-copy batch search over direct buffers: reads n * dimension floats from {@code queries}
   * (from its position) and writes n * k distances and ids into the output buffers (from their
   * positions). Buffer positions are not changed. For a cosine index the queries must already be
   * unit length.
   */
  public void searchBatch(FloatBuffer queries, int n, int k, SearchParams params,
      FloatBuffer distancesOut, LongBuffer idsOut) {
    Objects.requireNonNull(params, "params");
    VectorBatch.checkDirect(queries, n, dimension, "query batch");
    checkOutputs(n, k, VectorBatch.directRemaining(distancesOut, "distances"),
        VectorBatch.directRemaining(idsOut, "ids"));
    VectorChecks.requireFinite(queries, n * dimension, dimension, "query batch");
    guard.enter();
    try {
      searchNative(n, new FloatPointer(queries), k, params, new FloatPointer(distancesOut),
          new LongPointer(idsOut));
    } catch (RuntimeException e) {
      throw NativeErrors.translate(e);
    } finally {
      guard.exit();
    }
  }

  /**
   * Writes the whole index to {@code file}, atomically replacing it (readers of the old file
   * never see a half-written one). The file holds one consistent state; searches run on while it
   * is written and synced. Memory: a transient in-memory copy of the file.
   */
  public void save(Path file) {
    Objects.requireNonNull(file, "file");
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new StorageIoException("cannot save index: directory " + parent + " does not exist");
    }
    runExclusive(() -> handle.save(file.toAbsolutePath().toString()));
  }

  public boolean isClosed() {
    return guard.isClosed();
  }

  /** Frees the native index once calls in flight have returned. Idempotent, thread-safe. */
  @Override
  public void close() {
    if (guard.closeAndAwait()) {
      NativeVectorIndex.destroy(handle);
    }
  }

  @Override
  public String toString() {
    return "VectorIndex[" + spec + ", d=" + dimension + (isClosed() ? ", closed]" : "]");
  }

  /** One native search call, filtered when params carry a filter. Inside guard.enter/exit. */
  private void searchNative(int n, FloatPointer queries, int k, SearchParams params,
      FloatPointer distances, LongPointer labels) {
    IdFilter filter = params.filter();
    if (filter == null) {
      handle.search(n, queries, k, params.efSearch(), params.nprobe(), params.ompThreads(),
          distances, labels);
      return;
    }
    try {
      handle.search(n, queries, k, params.efSearch(), params.nprobe(), params.ompThreads(),
          filter.nativeKind(), filter.nativeData(), filter.nativeLength(), distances, labels);
    } finally {
      Reference.reachabilityFence(filter); // its direct memory is read by the native call
    }
  }

  /** Runs a mutation; the native index serialises it against searches. */
  private void runExclusive(Runnable nativeCall) {
    call(() -> {
      nativeCall.run();
      return null;
    });
  }

  /** Runs one native call while the handle is guaranteed alive, with errors typed. */
  private <T> T call(Supplier<T> nativeCall) {
    guard.enter();
    try {
      return nativeCall.get();
    } catch (RuntimeException e) {
      throw NativeErrors.translate(e);
    } finally {
      guard.exit();
    }
  }

  private static void checkOutputs(int n, int k, long distanceSlots, long idSlots) {
    long needed = (long) n * k;
    VectorChecks.requireK(k);
    if (needed > Integer.MAX_VALUE) {
      throw new InvalidArgumentException(n + " queries x k " + k + " results is too many for one call");
    }
    if (distanceSlots < needed || idSlots < needed) {
      throw new InvalidArgumentException("result arrays hold " + Math.min(distanceSlots, idSlots)
          + " slots but " + n + " queries x k " + k + " = " + needed + " are needed");
    }
  }
}
