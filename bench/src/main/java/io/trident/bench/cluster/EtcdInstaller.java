package io.trident.bench.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds the etcd binary, installing Debian's {@code etcd-server} (3.4) with apt-get when it is
 * missing. Only the bench command calls this, never the tests.
 */
final class EtcdInstaller {
  private static final List<Path> CANDIDATES = List.of(Path.of("/usr/bin/etcd"),
      Path.of("/usr/local/bin/etcd"));
  private static final long APT_MINUTES_MAX = 10;

  private EtcdInstaller() {}

  /** The etcd binary; installs it first if none is found. Throws if that fails. */
  static Path ensureInstalled() throws IOException, InterruptedException {
    Path found = find();
    if (found != null) {
      return found;
    }
    System.err.println("[cluster] etcd not found: apt-get install -y etcd-server");
    if (run(List.of("apt-get", "install", "-y", "--no-install-recommends", "etcd-server")) != 0) {
      run(List.of("apt-get", "update"));
      run(List.of("apt-get", "install", "-y", "--no-install-recommends", "etcd-server"));
    }
    found = find();
    if (found == null) {
      throw new IllegalStateException("etcd is missing and apt-get could not install"
          + " etcd-server (run as root: apt-get install etcd-server)");
    }
    return found;
  }

  /** {@code etcd --version}'s first line, for the report. */
  static String version(Path binary) {
    try {
      Process process = new ProcessBuilder(binary.toString(), "--version")
          .redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor(10, TimeUnit.SECONDS);
      return output.lines().findFirst().orElse("unknown version").trim();
    } catch (IOException e) {
      return "unknown version";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown version";
    }
  }

  private static Path find() {
    return CANDIDATES.stream().filter(Files::isExecutable).findFirst().orElse(null);
  }

  private static int run(List<String> command) throws IOException, InterruptedException {
    // apt's output goes to stderr: stdout carries the bench's table.
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().transferTo(System.err);
    if (!process.waitFor(APT_MINUTES_MAX, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }
}
