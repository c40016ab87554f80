package io.trident.bench.journal;

import io.trident.bench.cli.Arguments;
import io.trident.bench.cli.BenchPlacement;
import io.trident.bench.plot.LinePlot;
import io.trident.nativelib.ThreadPlacement;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code scripts/bench.sh journal [--entry-bytes 100] [--batch 1,8,32,128,256] [--seconds 10]
 * [--warmup-seconds 1] [--rounds 20] [--storages chronicle,rocksdb,raw] [--out DIR]
 * [--data-dir DIR] [--seed 42] [--placement none|cpus:LIST|node:N] [--truncate-every 0]
 * [--keep-entries 100000]}
 *
 * <p>For each batch size: one fresh journal per storage, each in its own directory, appendEntries
 * from one thread (jraft's disk thread does the same), each call durable on return. The {@code
 * --seconds} of each storage are split into {@code --rounds} slices run round-robin across the
 * storages, so a disk shared with other work affects all of them alike. Prints entries/s,
 * fsyncs/s, MiB/s, p50/p99 appendEntries latency and the device KiB written per fsync (from
 * /proc/diskstats, device-wide: an upper bound that shows write amplification); writes {@code journal.csv} and {@code
 * journal-entries-per-s.png} (entries/s vs batch size, one line per storage) to {@code --out};
 * ends with {@code entries_per_s=<chronicle> ratio_vs_rocksdb=<x> ratio_vs_raw=<y>} at batch 128
 * (or the largest batch measured when 128 is not in the list). Journal files are deleted after
 * each cell; the data directory defaults to {@code <out>/data} (put it on the disk under test).
 *
 * <p>{@code --placement} places the appending thread (the stand-in for jraft's disk thread, which
 * drives every storage, so all are placed alike) and Chronicle's zeroing thread; it and any
 * {@code scripts/numa-run.sh} process placement are printed and written to {@code placement.txt}.
 *
 * <p>{@code --truncate-every N} (default 0: never) truncates each log's prefix every N calls,
 * keeping the last {@code --keep-entries}, as jraft does after each snapshot: the steady state.
 */
public final class JournalBenchTool {
  static final int HEADLINE_BATCH_SIZE = 128;
  /**
   * Slices per cell: 0.5 s each at --seconds 10. This disk's fsync latency flips between ~0.2 ms
   * and ~4 ms states lasting seconds; with 2 s slices one storage could sit out a slow state that
   * another caught (a batch-128 run gave per-round chronicle/raw ratios from 0.59 to 5.0).
   */
  static final int DEFAULT_ROUNDS = 20;

  private JournalBenchTool() {}

  public static void main(String[] args) {
    Arguments arguments = Arguments.parse(args);
    int entryBytes = arguments.intValue("entry-bytes", 100);
    List<Integer> batchSizes = arguments.intList("batch", List.of(1, 8, 32, 128, 256));
    double seconds = arguments.doubleValue("seconds", 10);
    double warmupSeconds = arguments.doubleValue("warmup-seconds", 1);
    List<String> storageNames = arguments.nameList("storages");
    Path out = Path.of(arguments.string("out", "bench-results/journal"));
    Path dataDirectory = Path.of(arguments.string("data-dir", out.resolve("data").toString()));
    long seed = arguments.longValue("seed", 42);
    int rounds = arguments.intValue("rounds", DEFAULT_ROUNDS);
    ThreadPlacement placement = BenchPlacement.option(arguments);
    PrefixTruncation truncation = new PrefixTruncation(arguments.intValue("truncate-every", 0),
        arguments.longValue("keep-entries", 100_000));
    arguments.rejectUnused();
    if (entryBytes <= 0 || seconds <= 0 || warmupSeconds < 0 || rounds <= 0) {
      throw new IllegalArgumentException("--entry-bytes, --seconds and --rounds must be > 0, "
          + "--warmup-seconds >= 0");
    }
    List<JournalStoreKind> kinds = new ArrayList<>();
    for (String name : storageNames.isEmpty() ? List.of("chronicle", "rocksdb", "raw")
        : storageNames) {
      kinds.add(JournalStoreKind.parse(name));
    }

    PrintStream console = System.out;
    console.printf(Locale.ROOT, "journal benchmark: entry=%d B, batches=%s, %.1f s per cell "
        + "(+%.1f s warm-up) in %d interleaved rounds, data in %s%n", entryBytes, batchSizes,
        seconds, warmupSeconds, rounds, dataDirectory.toAbsolutePath());
    console.println("raw baseline: " + RawJournalStores.describe());
    console.println("prefix truncation: " + truncation.describe());
    if (!placement.isNone()) {
      console.println("appending thread: " + placement.applyToCurrentThread().description());
    }
    BenchPlacement.record(placement, out);
    List<JournalResult> results = new ArrayList<>();
    for (int batchSize : batchSizes) {
      results.addAll(measureBatchSize(kinds, batchSize, entryBytes, warmupSeconds, seconds,
          rounds, dataDirectory, seed, console, placement, truncation));
    }

    console.println();
    console.println(JournalResult.tableHeader());
    results.forEach(r -> console.println(r.toTableRow()));
    writeCsv(out.resolve("journal.csv"), results);
    writePlot(out.resolve("journal-entries-per-s.png"), results, entryBytes);
    console.println("wrote " + out.resolve("journal.csv") + " and "
        + out.resolve("journal-entries-per-s.png"));
    console.println(headline(results));
  }

  /** All storages at one batch size: open, warm up, then interleaved slices; always cleaned up. */
  private static List<JournalResult> measureBatchSize(List<JournalStoreKind> kinds, int batchSize,
      int entryBytes, double warmupSeconds, double seconds, int rounds, Path dataDirectory,
      long seed, PrintStream console, ThreadPlacement placement, PrefixTruncation truncation) {
    List<Path> directories = new ArrayList<>();
    List<JournalStore> stores = new ArrayList<>();
    try {
      List<JournalRun> runs = new ArrayList<>();
      for (JournalStoreKind kind : kinds) {
        Path directory = dataDirectory.resolve(kind.cliName() + "-" + batchSize);
        deleteRecursively(directory);
        Files.createDirectories(directory);
        directories.add(directory);
        JournalStore store = kind.open(directory, placement);
        stores.add(store);
        runs.add(new JournalRun(store, new JournalBatchSource(batchSize, entryBytes, 1, seed),
            entryBytes, DeviceWriteCounter.forDirectory(directory), truncation));
      }
      console.printf(Locale.ROOT, "batch=%d: warming up %s%n", batchSize,
          runs.stream().map(JournalRun::storeName).toList());
      runs.forEach(run -> run.warmUp(warmupSeconds));
      for (int round = 1; round <= rounds; round++) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
            "batch=%d round %d/%d entries/s:", batchSize, round, rounds));
        for (JournalRun run : runs) {
          double entriesPerSecond = run.measureSlice(seconds / rounds);
          line.append(String.format(Locale.ROOT, " %s %.0f", run.storeName(), entriesPerSecond));
        }
        console.println(line);
      }
      return runs.stream().map(JournalRun::result).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare journals in " + dataDirectory, e);
    } finally {
      stores.forEach(JournalStore::close);
      directories.forEach(JournalBenchTool::deleteRecursively);
    }
  }

  /** The last line: Chronicle's entries/s at the headline batch and its ratios to the others. */
  static String headline(List<JournalResult> results) {
    int batch = results.stream().anyMatch(r -> r.batchSize() == HEADLINE_BATCH_SIZE)
        ? HEADLINE_BATCH_SIZE
        : results.stream().mapToInt(JournalResult::batchSize).max().orElse(HEADLINE_BATCH_SIZE);
    double chronicle = entriesPerSecond(results, "chronicle", batch);
    double rocksDb = entriesPerSecond(results, "rocksdb", batch);
    double raw = entriesPerSecond(results, "raw", batch);
    return String.format(Locale.ROOT, "entries_per_s=%.0f ratio_vs_rocksdb=%.3f ratio_vs_raw=%.3f",
        chronicle, chronicle / rocksDb, chronicle / raw);
  }

  /** NaN when that storage (raw matches raw-native and raw-filechannel) was not measured. */
  private static double entriesPerSecond(List<JournalResult> results, String storagePrefix,
      int batch) {
    return results.stream()
        .filter(r -> r.batchSize() == batch && r.storage().startsWith(storagePrefix))
        .mapToDouble(JournalResult::entriesPerSecond).findFirst().orElse(Double.NaN);
  }

  private static void writeCsv(Path file, List<JournalResult> results) {
    List<String> lines = new ArrayList<>();
    lines.add(JournalResult.CSV_HEADER);
    results.forEach(r -> lines.add(r.toCsvRow()));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, lines);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void writePlot(Path file, List<JournalResult> results, int entryBytes) {
    LinePlot plot = new LinePlot("appendEntries throughput, " + entryBytes
        + " B entries, durable per call", "entries per appendEntries", "entries/s", true, true);
    results.stream().map(JournalResult::storage).distinct().forEach(storage -> {
      List<JournalResult> line = results.stream().filter(r -> r.storage().equals(storage))
          .sorted(Comparator.comparingInt(JournalResult::batchSize)).toList();
      plot.add(storage, line.stream().mapToDouble(JournalResult::batchSize).toArray(),
          line.stream().mapToDouble(JournalResult::entriesPerSecond).toArray());
    });
    plot.writePng(file);
  }

  private static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + directory, e);
    }
  }
}
