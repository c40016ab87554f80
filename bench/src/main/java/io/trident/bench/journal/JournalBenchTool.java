package io.trident.bench.journal;

import io.trident.bench.cli.Arguments;
import io.trident.bench.plot.LinePlot;
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
 * [--warmup-seconds 1] [--storages chronicle,rocksdb,raw] [--out DIR] [--data-dir DIR]
 * [--seed 42]}
 *
 * <p>For each storage and batch size: one fresh journal in its own directory, appendEntries from
 * one thread (jraft's disk thread does the same), each call durable on return. Prints entries/s,
 * fsyncs/s, MiB/s and p50/p99 appendEntries latency; writes {@code journal.csv} and {@code
 * journal-entries-per-s.png} (entries/s vs batch size, one line per storage) to {@code --out};
 * ends with {@code entries_per_s=<chronicle> ratio_vs_rocksdb=<x> ratio_vs_raw=<y>} at batch 128
 * (or the largest batch measured when 128 is not in the list). Journal files are deleted after
 * each cell; the data directory defaults to {@code <out>/data} (put it on the disk under test).
 */
public final class JournalBenchTool {
  static final int HEADLINE_BATCH_SIZE = 128;

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
    arguments.rejectUnused();
    if (entryBytes <= 0 || seconds <= 0 || warmupSeconds < 0) {
      throw new IllegalArgumentException("--entry-bytes and --seconds must be > 0, "
          + "--warmup-seconds >= 0");
    }
    List<JournalStoreKind> kinds = new ArrayList<>();
    for (String name : storageNames.isEmpty() ? List.of("chronicle", "rocksdb", "raw")
        : storageNames) {
      kinds.add(JournalStoreKind.parse(name));
    }

    PrintStream console = System.out;
    console.printf(Locale.ROOT, "journal benchmark: entry=%d B, batches=%s, %.1f s per cell "
        + "(+%.1f s warm-up), data in %s%n", entryBytes, batchSizes, seconds, warmupSeconds,
        dataDirectory.toAbsolutePath());
    console.println("raw baseline: " + RawJournalStores.describe());
    List<JournalResult> results = new ArrayList<>();
    int cell = 0;
    // Batch-major order: the storages compared at one batch size run back to back, so they see
    // the same disk and machine conditions as far as possible.
    for (int batchSize : batchSizes) {
      for (JournalStoreKind kind : kinds) {
        cell++;
        console.printf(Locale.ROOT, "[%d/%d] %s batch=%d%n", cell,
            kinds.size() * batchSizes.size(), kind.cliName(), batchSize);
        results.add(measureCell(kind, batchSize, entryBytes, warmupSeconds, seconds,
            dataDirectory.resolve(kind.cliName() + "-" + batchSize), seed, console));
      }
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

  private static JournalResult measureCell(JournalStoreKind kind, int batchSize, int entryBytes,
      double warmupSeconds, double seconds, Path directory, long seed, PrintStream console) {
    deleteRecursively(directory);
    try {
      Files.createDirectories(directory);
      try (JournalStore store = kind.open(directory)) {
        return store.measure(batchSize, entryBytes, warmupSeconds, seconds, seed, console);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + directory, e);
    } finally {
      deleteRecursively(directory);
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
