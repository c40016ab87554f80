package io.trident.bench.cluster;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a peer's sweep in a child JVM ({@link ClusterPeerMain}) whose classpath holds only the
 * cluster driver classes and that peer's own dependency tree: {@code peer-libs/<peer>} beside
 * the bench jar or {@code target/classes}, copied there by the Maven build. The child inherits
 * this JVM's {@code --add-opens/--add-exports} flags; its stderr passes through, its rows come
 * back as {@link ClusterResult} wire lines on stdout, other stdout lines are echoed to stderr.
 */
final class ClusterChildRunner {
  static final String PEER_LIBS_PROPERTY = "trident.bench.peerLibs";
  /** Per measurement: warm-up + measure + drain, plus this much for start and stop. */
  private static final long CHILD_SLACK_SECONDS = 300;

  private ClusterChildRunner() {}

  static List<ClusterResult> run(String peer, ClusterBenchOptions options) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + options.childHeap());
    command.add("-Djava.awt.headless=true");
    for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (flag.startsWith("--add-opens") || flag.startsWith("--add-exports")) {
        command.add(flag);
      }
    }
    if (peer.equals(EtcdKvSystem.NAME)) {
      Path etcd = EtcdInstaller.ensureInstalled();
      System.err.println("[cluster] etcd binary " + etcd + ": " + EtcdInstaller.version(etcd));
      command.add("-D" + EtcdKvSystem.BINARY_PROPERTY + "=" + etcd);
    }
    command.add("-cp");
    command.add(classpath(peer));
    command.add(ClusterPeerMain.class.getName());
    command.add("--system");
    command.add(peer);
    command.addAll(options.childArguments());
    long runs = (long) options.workloads().size() * options.inflights().size();
    long timeoutSeconds = CHILD_SLACK_SECONDS + runs * (long) Math.ceil(options.warmupSeconds()
        + options.seconds() + DriverSettings.DRAIN_SECONDS_MAX_DEFAULT);
    return runChild(command, peer, timeoutSeconds);
  }

  private static List<ClusterResult> runChild(List<String> command, String peer,
      long timeoutSeconds) throws IOException, InterruptedException {
    List<ClusterResult> rows = new ArrayList<>();
    Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    // The reader ends when the child's stdout closes; the watchdog bounds a hung child.
    Thread watchdog = new Thread(() -> {
      try {
        if (!child.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          System.err.println("[cluster] " + peer + " child timed out after " + timeoutSeconds
              + " s; killing it");
          child.destroyForcibly();
        }
      } catch (InterruptedException e) {
        child.destroyForcibly();
      }
    }, "cluster-child-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (ClusterResult.isWireLine(line)) {
          rows.add(ClusterResult.fromWireLine(line));
        } else {
          System.err.println("[" + peer + "] " + line);
        }
      }
    }
    child.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    watchdog.interrupt();
    if (child.isAlive() || child.exitValue() != 0) {
      child.destroyForcibly();
      throw new IllegalStateException(peer + " child failed (exit "
          + (child.isAlive() ? "none" : child.exitValue()) + "): " + String.join(" ", command));
    }
    return rows;
  }

  /**
   * The driver classes (target/classes in a build tree; {@code peer-libs/cluster-driver} beside
   * the uber jar, which must stay off the child's classpath: it holds jraft 1.4.1 and bolt's
   * netty), then {@code peer-libs/common} (HdrHistogram) and {@code peer-libs/<peer>}.
   */
  static String classpath(String peer) {
    Path codeSource = codeSource();
    Path peerLibs = peerLibsDirectory(codeSource);
    List<String> entries = new ArrayList<>();
    if (Files.isDirectory(codeSource)) {
      entries.add(codeSource.toString());
    } else {
      entries.addAll(jars(peerLibs.resolve("cluster-driver")));
    }
    entries.addAll(jars(peerLibs.resolve("common")));
    List<String> peerJars = jars(peerLibs.resolve(peer));
    if (peerJars.isEmpty() || entries.size() < 2) {
      throw new IllegalStateException("no " + peer + " peer jars (or driver jar) under " + peerLibs
          + ": build the bench module (mvn package) first");
    }
    entries.addAll(peerJars);
    return String.join(File.pathSeparator, entries);
  }

  private static Path peerLibsDirectory(Path codeSource) {
    String override = System.getProperty(PEER_LIBS_PROPERTY);
    return override != null ? Path.of(override) : codeSource.getParent().resolve("peer-libs");
  }

  private static Path codeSource() {
    try {
      return Path.of(ClusterPeerMain.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI()).toAbsolutePath();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> jars(Path directory) {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted()
          .map(Path::toString).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
