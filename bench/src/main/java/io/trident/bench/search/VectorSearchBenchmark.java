package io.trident.bench.search;

import io.trident.bench.data.ClusteredDataGenerator;
import io.trident.search.IndexSpec;
import io.trident.search.SearchParams;
import io.trident.search.VectorIndex;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Search throughput of one Trident index over clustered synthetic data (see the .md beside this
 * file). One operation = one native search call of {@code batchSize} queries; queries/s =
 * score x batchSize. Threads: JMH's {@code -t}; every thread searches the same index.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@State(Scope.Benchmark)
public class VectorSearchBenchmark {
  private static final int QUERY_COUNT = 1000;
  private static final int K = 10;

  /** FAISS factory string of the index under test. */
  @Param({"HNSW32", "IVF256,Flat"})
  public String spec;

  /** HNSW beam width (ignored by IVF specs). */
  @Param({"16", "64"})
  public int efSearch;

  /** IVF lists probed (ignored by HNSW specs). */
  @Param({"8"})
  public int nprobe;

  /** Queries per native call. */
  @Param({"1", "16"})
  public int batchSize;

  /** Base vectors indexed (dimension 128). */
  @Param({"50000"})
  public int baseSize;

  private VectorIndex index;
  private float[][] queryBatches;
  private SearchParams params;

  @Setup(Level.Trial)
  public void buildIndex() {
    ClusteredDataGenerator generator = new ClusteredDataGenerator(128, Math.max(10, baseSize / 100),
        ClusteredDataGenerator.DEFAULT_SEED);
    float[][] base = generator.base(baseSize);
    float[][] queries = generator.queries(QUERY_COUNT);
    IndexSpec indexSpec = IndexSpec.parse(spec);
    index = VectorIndex.create(128, indexSpec);
    if (indexSpec.needsTraining()) {
      index.train(base);
    }
    long[] ids = new long[base.length];
    Arrays.setAll(ids, i -> i);
    index.add(ids, base);
    params = SearchParams.defaults().withOmpThreads(1)
        .withEfSearch(indexSpec.isGraph() ? efSearch : 0)
        .withNprobe(indexSpec.factory().contains("IVF") ? nprobe : 0);
    queryBatches = new float[QUERY_COUNT / batchSize][];
    for (int b = 0; b < queryBatches.length; b++) {
      float[] flat = new float[batchSize * 128];
      for (int q = 0; q < batchSize; q++) {
        System.arraycopy(queries[b * batchSize + q], 0, flat, q * 128, 128);
      }
      queryBatches[b] = flat;
    }
  }

  @TearDown(Level.Trial)
  public void closeIndex() {
    index.close();
  }

  /** Per-thread output arrays and position in the query list. */
  @State(Scope.Thread)
  public static class ThreadState {
    float[] distances;
    long[] ids;
    int next;

    @Setup(Level.Trial)
    public void allocate(VectorSearchBenchmark benchmark) {
      distances = new float[benchmark.batchSize * K];
      ids = new long[benchmark.batchSize * K];
      next = (int) (Thread.currentThread().getId() % benchmark.queryBatches.length);
    }
  }

  /** Returns the ids so the JIT cannot drop the call. */
  @Benchmark
  public long[] search(ThreadState state) {
    float[] batch = queryBatches[state.next];
    state.next = (state.next + 1) % queryBatches.length;
    index.searchFlat(batch, batchSize, K, params, state.distances, state.ids);
    return state.ids;
  }
}
