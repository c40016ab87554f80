package io.trident.bench.data;

import io.trident.bench.cli.Arguments;
import io.trident.search.Metric;
import io.trident.search.eval.GroundTruth;
import io.trident.search.io.VectorFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * {@code bench.sh gen}: writes a clustered data set (base.fvecs, query.fvecs, groundtruth.ivecs
 * with the exact top-{@code gt-k} neighbours) to a directory, or reuses it when the directory
 * already holds a set made with the same parameters (recorded in dataset.properties).
 *
 * <p>Usage: {@code gen --n 100000 --d 128 --queries 1000 [--clusters 1000] [--seed S]
 * [--gt-k 100] [--out DIR]}; DIR defaults to {@code data-gen/clustered-<n>x<d>-q<queries>}
 * (git-ignored).
 */
public final class GenerateCommand {
  public static final String BASE_FILE = "base.fvecs";
  public static final String QUERY_FILE = "query.fvecs";
  public static final String GROUND_TRUTH_FILE = "groundtruth.ivecs";
  private static final String PROPERTIES_FILE = "dataset.properties";

  private GenerateCommand() {}

  public static void main(String[] args) {
    Arguments arguments = Arguments.parse(args);
    int count = arguments.intValue("n", 100_000);
    int dimension = arguments.intValue("d", 128);
    int queryCount = arguments.intValue("queries", 1000);
    int clusters = arguments.intValue("clusters", ClusteredDataGenerator.DEFAULT_CLUSTER_COUNT);
    long seed = arguments.longValue("seed", ClusteredDataGenerator.DEFAULT_SEED);
    int groundTruthK = arguments.intValue("gt-k", 100);
    Path out = Path.of(arguments.string("out",
        "data-gen/clustered-" + count + "x" + dimension + "-q" + queryCount));
    arguments.rejectUnused();
    generate(out, count, dimension, queryCount, clusters, seed, groundTruthK);
    System.out.println("dataset " + out.toAbsolutePath() + ": " + count + " x " + dimension
        + ", " + queryCount + " queries, ground truth top-" + groundTruthK);
  }

  /**
   * Makes sure {@code out} holds the described data set, generating it only when missing or
   * made with other parameters. Returns true when it generated, false when it reused.
   */
  public static boolean generate(Path out, int count, int dimension, int queryCount,
      int clusters, long seed, int groundTruthK) {
    Properties wanted = new Properties();
    wanted.setProperty("generator", "clustered-v1");
    wanted.setProperty("n", Integer.toString(count));
    wanted.setProperty("d", Integer.toString(dimension));
    wanted.setProperty("queries", Integer.toString(queryCount));
    wanted.setProperty("clusters", Integer.toString(clusters));
    wanted.setProperty("seed", Long.toString(seed));
    wanted.setProperty("gt-k", Integer.toString(groundTruthK));
    if (wanted.equals(readProperties(out.resolve(PROPERTIES_FILE)))
        && Files.isRegularFile(out.resolve(BASE_FILE))
        && Files.isRegularFile(out.resolve(QUERY_FILE))
        && Files.isRegularFile(out.resolve(GROUND_TRUTH_FILE))) {
      System.err.println("[gen] reusing " + out);
      return false;
    }
    try {
      Files.createDirectories(out);
      Files.deleteIfExists(out.resolve(PROPERTIES_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(out.toString(), e);
    }
    long startNanos = System.nanoTime();
    ClusteredDataGenerator generator = new ClusteredDataGenerator(dimension, clusters, seed);
    float[][] base = generator.base(count);
    float[][] queries = generator.queries(queryCount);
    System.err.printf("[gen] generated %d + %d vectors in %.1f s; exact ground truth...%n",
        count, queryCount, seconds(startNanos));
    int[][] groundTruth = GroundTruth.exact(base, queries, groundTruthK, Metric.L2);
    System.err.printf("[gen] ground truth done at %.1f s%n", seconds(startNanos));
    VectorFiles.writeFvecs(out.resolve(BASE_FILE), base);
    VectorFiles.writeFvecs(out.resolve(QUERY_FILE), queries);
    VectorFiles.writeIvecs(out.resolve(GROUND_TRUTH_FILE), groundTruth);
    // Written last: its presence marks a complete set.
    try (Writer writer = Files.newBufferedWriter(out.resolve(PROPERTIES_FILE))) {
      wanted.store(writer, "made by bench.sh gen");
    } catch (IOException e) {
      throw new UncheckedIOException(out.toString(), e);
    }
    return true;
  }

  private static Properties readProperties(Path file) {
    Properties properties = new Properties();
    if (!Files.isRegularFile(file)) {
      return properties;
    }
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    } catch (IOException e) {
      return new Properties();
    }
    return properties;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
