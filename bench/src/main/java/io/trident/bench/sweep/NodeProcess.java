package io.trident.bench.sweep;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator's handle on one {@link SweepNodeMain} child JVM: sends it one command line at
 * a time and takes its {@code @} answer lines (other stdout lines are echoed to stderr with the
 * node's name; its stderr passes through). The child gets this JVM's {@code --add-opens},
 * {@code --add-exports} and {@code -D} flags, the same classpath, {@code -Xms = -Xmx = heap}
 * with {@code -XX:+AlwaysPreTouch} (a heap sized and made resident up front, as servers run it -
 * Elasticsearch's default jvm.options pre-touch too - so heap pages first touched late in the
 * run are not counted as per-caller memory: -Xms alone only reserves them, and in a sweep
 * without pre-touch the RSS ratio of 256 callers to 1 was 1.28, almost all of it heap pages)
 * and any {@code extraJvmArguments} (e.g. a profiler agent). Not thread-safe.
 */
final class NodeProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Writer commands;
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

  private NodeProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(this::readAnswers, name + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  static NodeProcess start(int index, List<String> peers, Path dataDir, Path data, String heap,
      List<String> nodeOptions, List<String> extraJvmArguments) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (flag.startsWith("--add-") || flag.startsWith("-D")) {
        command.add(flag);
      }
    }
    command.add("-Xms" + heap);
    command.add("-Xmx" + heap);
    command.add("-XX:+AlwaysPreTouch");
    command.addAll(extraJvmArguments);
    command.add("-cp");
    command.add(classpath());
    command.add(SweepNodeMain.class.getName());
    command.addAll(List.of("--node", Integer.toString(index), "--peers", String.join(",", peers),
        "--dir", dataDir.toString(), "--data", data.toString()));
    for (String option : nodeOptions) {
      command.addAll(List.of("--option", option));
    }
    Process process = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    return new NodeProcess("node-" + index, process);
  }

  long pid() {
    return process.pid();
  }

  /** Sends {@code command} without waiting for its answer. */
  void send(String command) throws IOException {
    commands.write(command + "\n");
    commands.flush();
  }

  /** The next answer (without its {@code @}); throws when none comes in time or the child died. */
  String answer(long timeoutSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (System.nanoTime() < deadline) {
      String line = answers.poll(200, TimeUnit.MILLISECONDS);
      if (line != null) {
        return line;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue());
      }
    }
    throw new IllegalStateException(name + " gave no answer in " + timeoutSeconds + " s");
  }

  /** Sends {@code command} and returns its answer, which must start with {@code expected}. */
  String call(String command, String expected, long timeoutSeconds) throws Exception {
    send(command);
    return expect(expected, timeoutSeconds);
  }

  /** The next answer, which must start with {@code expected}. */
  String expect(String expected, long timeoutSeconds) throws InterruptedException {
    String line = answer(timeoutSeconds);
    if (!line.startsWith(expected)) {
      throw new IllegalStateException(name + " answered '" + line + "', expected " + expected);
    }
    return line;
  }

  private void readAnswers() {
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("@")) {
          answers.add(line.substring(1));
        } else {
          System.err.println("[" + name + "] " + line);
        }
      }
    } catch (IOException e) {
      System.err.println("[" + name + "] stdout closed: " + e);
    }
  }

  /** Asks the child to quit, then kills it if it is still there after 30 s. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      try {
        send("quit");
      } catch (IOException e) {
        // already gone
      }
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Kills the child at once (SIGKILL), as a crash would. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** This JVM's classpath: the bench jar, or a build tree's classes and dependencies. */
  private static String classpath() {
    return System.getProperty("java.class.path");
  }
}
