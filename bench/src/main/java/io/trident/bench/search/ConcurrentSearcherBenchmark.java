package io.trident.bench.search;

import io.trident.search.ConcurrentSearcher;
import io.trident.search.IndexSpec;
import io.trident.search.SearchParams;
import io.trident.search.SearchResult;
import io.trident.search.VectorIndex;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Many caller threads each asking one query at a time of one shared index: does gathering
 * concurrent queries into one native batch call (ConcurrentSearcher, batching ALWAYS) beat each
 * caller searching on its own (NEVER)? See ConcurrentSearcherBenchmark.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Threads(16)
public class ConcurrentSearcherBenchmark {
  @Param({"Flat", "IVF256,Flat", "HNSW32"})
  public String spec;

  @Param({"ALWAYS", "NEVER"})
  public ConcurrentSearcher.Batching batching;

  @Param({"50000"})
  public int vectors;

  @Param({"128"})
  public int dimension;

  private VectorIndex index;
  private ConcurrentSearcher searcher;
  private float[][] queries;
  private final SearchParams params = SearchParams.defaults().withEfSearch(64).withNprobe(16);

  @Setup(Level.Trial)
  public void build() {
    Random random = new Random(7);
    float[][] base = new float[vectors][dimension];
    for (float[] v : base) {
      for (int j = 0; j < dimension; j++) {
        v[j] = random.nextFloat();
      }
    }
    long[] ids = new long[vectors];
    for (int i = 0; i < vectors; i++) {
      ids[i] = i;
    }
    index = VectorIndex.create(dimension, IndexSpec.parse(spec));
    if (!index.isTrained()) {
      index.train(base);
    }
    index.add(ids, base);
    queries = new float[1024][dimension];
    for (float[] q : queries) {
      for (int j = 0; j < dimension; j++) {
        q[j] = random.nextFloat();
      }
    }
    searcher = new ConcurrentSearcher(index, batching, 64,
        Runtime.getRuntime().availableProcessors(), 4096);
  }

  @TearDown(Level.Trial)
  public void close() {
    index.close();
  }

  @Benchmark
  public SearchResult singleQueryFromManyCallers() {
    float[] query = queries[ThreadLocalRandom.current().nextInt(queries.length)];
    return searcher.search(query, 10, params);
  }
}
