package io.trident.bench.peer;

import io.trident.bench.cli.Arguments;
import io.trident.bench.data.BenchVectors;
import io.trident.bench.searchtool.BuildProgress;
import io.trident.bench.searchtool.MeasuredSetting;
import io.trident.bench.searchtool.SearchMeasurement;
import io.trident.bench.searchtool.SearchSetting;
import io.trident.search.io.VectorFiles;
import java.nio.file.Path;
import java.util.List;

/**
 * Main of the Lucene peer's child JVM (started by {@link LuceneChildRunner}): builds one Lucene
 * index per M, measures it with the shared {@link SearchMeasurement}, and prints one
 * {@link MeasuredSetting#toWireLine} per setting on stdout; the first stdout line is
 * {@code LUCENE_VERSION Version.LATEST=<v> on JDK <v>}. Progress goes to stderr.
 *
 * <p>Arguments: {@code --base F --query F --gt F --k K --m 16,32 --ef-construction 100
 * --ef 16,32 --threads 1,2 --warmup-seconds S --measure-seconds S --system-warmup-seconds S --work DIR}
 */
public final class LucenePeerMain {
  static final String VERSION_LINE_PREFIX = "LUCENE_VERSION\t";

  private LucenePeerMain() {}

  public static void main(String[] args) {
    Arguments arguments = Arguments.parse(args);
    Path basePath = Path.of(arguments.required("base"));
    Path queryPath = Path.of(arguments.required("query"));
    Path groundTruthPath = Path.of(arguments.required("gt"));
    int k = arguments.intValue("k", 10);
    List<Integer> connections = arguments.intList("m", List.of(16, 32));
    int efConstruction = arguments.intValue("ef-construction", 100);
    List<Integer> efValues = arguments.intList("ef", List.of(16, 32, 64));
    int[] threads = arguments.intList("threads", List.of(1)).stream()
        .mapToInt(Integer::intValue).toArray();
    double warmupSeconds = arguments.doubleValue("warmup-seconds", 0.5);
    double measureSeconds = arguments.doubleValue("measure-seconds", 1.0);
    double systemWarmupSeconds = arguments.doubleValue("system-warmup-seconds", 3.0);
    Path work = Path.of(arguments.required("work"));
    arguments.rejectUnused();

    System.out.println(VERSION_LINE_PREFIX + "Version.LATEST=" + LuceneSystem.luceneVersion()
        + " on JDK " + Runtime.version());
    System.out.flush();
    float[][] base = BenchVectors.read(basePath);
    float[][] queries = BenchVectors.read(queryPath);
    int[][] groundTruth = VectorFiles.readIvecs(groundTruthPath);
    SearchMeasurement measurement = new SearchMeasurement(queries, groundTruth, k, threads,
        warmupSeconds, measureSeconds, systemWarmupSeconds);
    List<SearchSetting> settings = efValues.stream().map(SearchSetting::ef).toList();
    for (int m : connections) {
      try (LuceneSystem system = new LuceneSystem(m, efConstruction, settings,
          work.resolve("lucene-m" + m))) {
        double buildSeconds;
        try (BuildProgress progress = BuildProgress.start(
            "lucene " + system.version() + " " + system.config(), base.length)) {
          system.build(base, progress);
          buildSeconds = progress.elapsedSeconds();
        }
        for (MeasuredSetting row : measurement.measureAll(system, buildSeconds)) {
          System.out.println(row.toWireLine());
          System.out.flush();
          System.err.println("[bench]   " + row);
        }
      }
    }
  }
}
