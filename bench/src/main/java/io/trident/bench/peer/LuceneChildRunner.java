package io.trident.bench.peer;

import io.trident.error.TridentException;
import io.trident.search.io.VectorFiles;
import io.trident.bench.searchtool.MeasuredSetting;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs the Lucene peer in a child JVM: lucene-core 10 on a JDK 21+ (with
 * {@code --add-modules jdk.incubator.vector}) when both are installed, else lucene-core 9.12 on
 * this JVM's own java. The jars come from {@code peer-libs/lucene10} or {@code peer-libs/lucene9}
 * next to the bench classes or jar (copied there by the Maven build). Stderr of the child is
 * passed through; its measured rows are parsed from stdout.
 */
public final class LuceneChildRunner {
  /** Environment variable naming a JDK home to run Lucene 10 with, overriding the search. */
  public static final String JDK_ENV = "TRIDENT_BENCH_PEER_JDK";
  private static final Path JVM_ROOT = Path.of("/usr/lib/jvm");
  private static final int MIN_LUCENE10_FEATURE = 21;

  /** Which JVM and jars the child uses; {@code description} says so for the report. */
  public record ChildPlan(Path javaExecutable, List<Path> luceneJars, boolean vectorModule,
      String description) {}

  private LuceneChildRunner() {}

  /** Chooses Lucene 10 on a JDK 21+ when possible, else Lucene 9.12 on this JVM. */
  public static ChildPlan plan() {
    Path peerLibs = peerLibsDirectory();
    List<Path> lucene10 = jars(peerLibs.resolve("lucene10"));
    Optional<Path> newJdk = findJdk21Plus();
    if (!lucene10.isEmpty() && newJdk.isPresent()) {
      return new ChildPlan(newJdk.get().resolve("bin/java"), lucene10, true,
          "lucene-core 10 on " + newJdk.get() + " with jdk.incubator.vector");
    }
    List<Path> lucene9 = jars(peerLibs.resolve("lucene9"));
    if (lucene9.isEmpty()) {
      throw new IllegalStateException("no Lucene jars under " + peerLibs
          + ": build the bench module (mvn package) first");
    }
    Path ownJava = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ChildPlan(ownJava, lucene9, false, "lucene-core 9.12 on JDK "
        + Runtime.version().feature() + (newJdk.isEmpty() ? " (no JDK 21+ found)"
        : " (no lucene-core 10 jar found)"));
  }

  /**
   * Runs the child with {@code peerArguments} (see {@link LucenePeerMain}) and returns its rows.
   * Throws if the child fails.
   */
  public static List<MeasuredSetting> run(ChildPlan plan, List<String> peerArguments,
      String heap) {
    List<String> command = new ArrayList<>();
    command.add(plan.javaExecutable().toString());
    command.add("-Xmx" + heap);
    if (plan.vectorModule()) {
      command.add("--add-modules");
      command.add("jdk.incubator.vector");
      // Lucene 10 calls madvise through the foreign-function API.
      command.add("--enable-native-access=ALL-UNNAMED");
    }
    command.add("-cp");
    command.add(childClasspath(plan.luceneJars()));
    command.add(LucenePeerMain.class.getName());
    command.addAll(peerArguments);
    return ChildProcessRows.run(command, LucenePeerMain.VERSION_LINE_PREFIX, "lucene");
  }

  /**
   * The bench classes (or jar), the data-file readers (search module) and the exceptions they
   * throw (native module), then the Lucene jars. In the uber jar the first three are one jar.
   */
  static String childClasspath(List<Path> luceneJars) {
    Set<String> entries = new LinkedHashSet<>();
    entries.add(codeSource(LucenePeerMain.class).toString());
    entries.add(codeSource(VectorFiles.class).toString());
    entries.add(codeSource(TridentException.class).toString());
    for (Path jar : luceneJars) {
      entries.add(jar.toString());
    }
    return String.join(File.pathSeparator, entries);
  }

  /** {@code peer-libs} beside the jar, or beside {@code target/classes} in a build tree. */
  static Path peerLibsDirectory() {
    String override = System.getProperty("trident.bench.peerLibs");
    if (override != null) {
      return Path.of(override);
    }
    return codeSource(LucenePeerMain.class).getParent().resolve("peer-libs");
  }

  private static Path codeSource(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toAbsolutePath();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Path> jars(Path directory) {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The newest installed JDK of feature version 21 or more, by its {@code release} file. */
  static Optional<Path> findJdk21Plus() {
    String fromEnvironment = System.getenv(JDK_ENV);
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return Optional.of(Path.of(fromEnvironment));
    }
    if (Runtime.version().feature() >= MIN_LUCENE10_FEATURE) {
      return Optional.of(Path.of(System.getProperty("java.home")));
    }
    if (!Files.isDirectory(JVM_ROOT)) {
      return Optional.empty();
    }
    Path best = null;
    int bestFeature = 0;
    try (Stream<Path> homes = Files.list(JVM_ROOT)) {
      for (Path home : homes.sorted().toList()) {
        int feature = featureVersion(home);
        if (feature >= MIN_LUCENE10_FEATURE && feature > bestFeature
            && Files.isExecutable(home.resolve("bin/java"))) {
          best = home;
          bestFeature = feature;
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.ofNullable(best);
  }

  private static int featureVersion(Path jdkHome) {
    Path release = jdkHome.resolve("release");
    if (!Files.isRegularFile(release)) {
      return 0;
    }
    try {
      for (String line : Files.readAllLines(release)) {
        if (line.startsWith("JAVA_VERSION=")) {
          String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          String feature = version.split("[.+-]")[0];
          return Integer.parseInt(feature.startsWith("1") && version.startsWith("1.")
              ? version.split("\\.")[1] : feature);
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }
}
