package io.trident;

import io.trident.internal.node.ReplicatedNode;
import io.trident.nativelib.TridentNative;
import io.trident.search.ConcurrentSearcher;
import io.trident.search.IndexSpec;
import io.trident.search.VectorIndex;
import java.nio.file.Path;

/**
 * Entry point of the Trident library: replicated nodes ({@link #open}), availability of the native
 * kernels, and vector indexes (one copy per process, served to any number of threads). Stateless
 * and thread-safe.
 *
 * <pre>{@code
 * try (VectorIndex index = Trident.createIndex(128, IndexSpec.parse("HNSW32"))) {
 *   index.add(ids, vectors);
 *   ConcurrentSearcher searcher = Trident.searcher(index);
 *   SearchResult nearest = searcher.search(query, 10, SearchParams.defaults().withEfSearch(64));
 * }
 * }</pre>
 */
public final class Trident {
  private Trident() {}

  /** True when the native kernels loaded on this machine; see {@link #unavailabilityCause()}. */
  public static boolean isAvailable() {
    return TridentNative.isAvailable();
  }

  /** Why the native kernels did not load, or null. */
  public static Throwable unavailabilityCause() {
    return TridentNative.unavailabilityCause();
  }

  /** "avx512", "avx2" or "scalar": the distance kernels chosen for this CPU. */
  public static String kernelVariant() {
    return TridentNative.simdVariant();
  }

  /**
   * Opens (creating on first use) a member of a Raft group in {@code options.dataDir()}: a
   * single-node store when {@code options.peers()} is empty, else one of the listed members.
   * Returns once the member is running; call {@link TridentNode#awaitReady} before the first
   * call if it must not wait for an election inside the call's timeout.
   *
   * @throws io.trident.error.MissingJvmFlagsException when the JVM lacks the needed flags
   * @throws io.trident.error.DirectoryInUseException when another open node holds the directory
   * @throws io.trident.error.GroupMismatchException when the directory holds another group
   */
  public static TridentNode open(NodeOptions options) {
    if (options == null) {
      throw new io.trident.error.InvalidOptionException("options is null");
    }
    return ReplicatedNode.open(options);
  }

  /** A new empty index; close it to free its native memory. */
  public static VectorIndex createIndex(int dimension, IndexSpec spec) {
    return VectorIndex.create(dimension, spec);
  }

  /** An index saved with {@link VectorIndex#save(Path)}. */
  public static VectorIndex loadIndex(Path file) {
    return VectorIndex.load(file);
  }

  /** A searcher that serves concurrent callers from {@code index}, batching where it pays. */
  public static ConcurrentSearcher searcher(VectorIndex index) {
    return new ConcurrentSearcher(index);
  }
}
