package io.trident.raftlog;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;

/**
 * A power-loss file system below the kernel's page cache: a FUSE mount of {@code powerloss_fs}
 * (raft-log/src/test/native/powerloss_fs.cc; see raft-log/POWER_LOSS_TESTING.md). Everything
 * written through the mount, including stores through a shared mmap once the kernel writes them
 * back, stays in the daemon's memory until the file is fsync'd or fdatasync'd; {@link
 * #crashAndRemount} is the power cut (and the reboot): unsynced writes are lost, or a seeded random
 * subset of their pages is kept, as torn writes.
 *
 * <p>Needs /dev/fuse, the Debian packages fuse3 and libfuse3-dev, g++ and pkg-config
 * (scripts/install-deps.sh installs them): without them {@link #mount} fails, saying what to
 * install; these tests never skip. The daemon is compiled once per JVM into target/.
 *
 * <p>Thread rules: one test thread; a crash only while nothing has a file of the mount open
 * (journals shut down, child processes dead).
 */
final class FusePowerLossFileSystem implements AutoCloseable {
  static final String INSTALL_HINT = "the FUSE power-loss tests need /dev/fuse and the Debian packages fuse3,"
      + " libfuse3-dev, g++ and pkg-config: run scripts/install-deps.sh (as root)";
  private static final Path SOURCE = Path.of("src/test/native/powerloss_fs.cc");
  private static final Path BINARY = Path.of("target/powerloss_fs");
  private static final long MOUNT_WAIT_MILLIS_MAX = 10_000;

  private final Path backing;
  private final Path mountPoint;
  private final Path control;
  private final Path daemonLog;
  private Process daemon;

  private FusePowerLossFileSystem(Path backing, Path mountPoint, Path control, Path daemonLog) {
    this.backing = backing;
    this.mountPoint = mountPoint;
    this.control = control;
    this.daemonLog = daemonLog;
  }

  /** Mounts a fresh power-loss file system at {@code mountPoint}, its durable state in {@code work}. */
  static FusePowerLossFileSystem mount(Path mountPoint, Path work) throws IOException, InterruptedException {
    if (!Files.exists(Path.of("/dev/fuse"))) {
      throw new AssertionError("no /dev/fuse: " + INSTALL_HINT);
    }
    Path binary = daemonBinary();
    Files.createDirectories(mountPoint);
    Files.createDirectories(work.resolve("backing"));
    FusePowerLossFileSystem fileSystem = new FusePowerLossFileSystem(work.resolve("backing"), mountPoint,
        work.resolve("crash-control"), work.resolve("powerloss_fs.log"));
    fileSystem.start(binary);
    return fileSystem;
  }

  /** The mount: journals under it live on the power-loss file system. */
  Path root() {
    return mountPoint;
  }

  /**
   * The power cut, then a reboot: the daemon dies, keeping each unsynced page with probability
   * {@code keepProbability} (chosen with {@code seed}; 0 loses them all), the mount and the
   * kernel's cache of it go, and a fresh daemon mounts the durable state.
   */
  void crashAndRemount(long seed, double keepProbability) throws IOException, InterruptedException {
    BackgroundResourceReleaser.releasePendingResources(); // Chronicle unmaps closed files lazily
    if (keepProbability > 0) {
      Files.writeString(control, Long.toUnsignedString(seed) + " " + keepProbability + "\n");
      run(List.of("kill", "-USR1", Long.toString(daemon.pid())), "signal powerloss_fs");
    } else {
      daemon.destroyForcibly();
    }
    if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("powerloss_fs did not die; log " + daemonLog);
    }
    detach();
    start(daemonBinary());
  }

  @Override
  public void close() throws IOException, InterruptedException {
    BackgroundResourceReleaser.releasePendingResources();
    if (daemon != null && daemon.isAlive()) {
      detach();
      daemon.destroy();
      daemon.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private void start(Path binary) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(binary.toString(), backing.toString(), mountPoint.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(daemonLog.toFile()));
    builder.environment().put("POWERLOSS_CONTROL", control.toString());
    daemon = builder.start();
    long deadline = System.currentTimeMillis() + MOUNT_WAIT_MILLIS_MAX;
    while (!isMounted()) {
      if (!daemon.isAlive() || System.currentTimeMillis() > deadline) {
        daemon.destroyForcibly();
        throw new AssertionError("powerloss_fs did not mount " + mountPoint + " (" + INSTALL_HINT + "): "
            + Files.readString(daemonLog));
      }
      Thread.sleep(10);
    }
  }

  private boolean isMounted() throws IOException {
    String target = " " + mountPoint.toAbsolutePath() + " ";
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      if (line.contains(target) && line.contains("fuse.powerloss_fs")) {
        return true;
      }
    }
    return false;
  }

  /** Lazy unmount: works on a dead daemon's mount, and drops the kernel's page cache of it. */
  private void detach() throws IOException, InterruptedException {
    if (isMounted()) {
      run(List.of("fusermount3", "-u", "-z", mountPoint.toString()), "unmount " + mountPoint);
    }
  }

  /** Compiles powerloss_fs.cc into target/ unless an up-to-date binary is there. */
  private static synchronized Path daemonBinary() throws IOException, InterruptedException {
    if (Files.exists(BINARY) && Files.getLastModifiedTime(BINARY).compareTo(Files.getLastModifiedTime(SOURCE)) >= 0) {
      return BINARY;
    }
    List<String> command = new ArrayList<>(List.of("g++", "-O1", "-std=c++17", "-Wall", "-o", BINARY + ".tmp",
        SOURCE.toString()));
    command.addAll(List.of(run(List.of("pkg-config", "--cflags", "--libs", "fuse3"), "find libfuse3").trim()
        .split("\\s+")));
    run(command, "compile " + SOURCE);
    Files.move(Path.of(BINARY + ".tmp"), BINARY, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return BINARY;
  }

  /** Runs {@code command} (bounded: 120 s), returning its output; fails naming what to install. */
  private static String run(List<String> command, String what) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("cannot " + what + " (" + command.get(0) + " missing?): " + INSTALL_HINT, e);
    }
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new AssertionError("cannot " + what + ": " + String.join(" ", command) + ": "
          + new String(output, StandardCharsets.UTF_8) + " (" + INSTALL_HINT + ")");
    }
    return new String(output, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "powerloss_fs " + backing + " on " + mountPoint + File.separator;
  }
}
