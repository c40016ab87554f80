package io.trident.bench.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Durable {@code appendEntries} throughput and latency: Trident's ChronicleLogStorage, jraft's
 * RocksDBLogStorage (sync on) and the raw baseline (the batch's bytes written and fdatasynced,
 * no log structure) over batch sizes 1..256 of 100 B and 4 KiB entries. One thread, one call at
 * a time, each durable on return: the shape of jraft's disk thread. See
 * JournalAppendBenchmark.md.
 */
@State(Scope.Thread)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
    "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class JournalAppendBenchmark {
  @Param({"chronicle", "rocksdb", "raw"})
  public String storage;

  @Param({"1", "8", "32", "128", "256"})
  public int batchSize;

  @Param({"100", "4096"})
  public int entryBytes;

  /** Where journals are created; put it on the disk under test. */
  @Param({"target/journal-bench"})
  public String dataDirectory;

  private Path directory;
  private JournalStore store;
  private JournalBatchSource batches;

  /** Entries made durable, reported by JMH as a rate next to the calls/s of the primary score. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class EntryCounter {
    public long entries;

    @Setup(Level.Iteration)
    public void reset() {
      entries = 0;
    }
  }

  @Setup(Level.Trial)
  public void open() throws IOException {
    Files.createDirectories(Path.of(dataDirectory));
    directory = Files.createTempDirectory(Path.of(dataDirectory), storage + "-");
    store = JournalStoreKind.parse(storage).open(directory);
    batches = new JournalBatchSource(batchSize, entryBytes, 1, 42);
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    store.close();
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Calls/s; the {@code entries} secondary result is entries/s. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void appendEntries(EntryCounter counter) {
    store.append(batches.nextBatch());
    counter.entries += batchSize;
  }

  /** Latency distribution of one durable appendEntries call (p50, p99, ... in the report). */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public void appendEntriesLatency() {
    store.append(batches.nextBatch());
  }
}
