package io.trident.node;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The parent's side of one {@link NodeProcess}: starts it, collects its output lines (events,
 * acknowledged keys, status, dumps) on a reader thread, kills it with SIGKILL. One incarnation
 * per handle; a restart is a new handle on the same directory.
 */
final class NodeProcessHandle {
  /** Workload events; anything else on stdout (library banners) is ignored. */
  private static final java.util.regex.Pattern EVENT =
      java.util.regex.Pattern.compile("\\d+ (INV|OK|INFO|ACK) ");

  final String tag;
  private final Process process;
  private final List<String> events = new ArrayList<>();
  private final BlockingQueue<Map<String, String>> dumps = new ArrayBlockingQueue<>(4);
  private volatile boolean leader;
  private Map<String, String> dumping;

  private NodeProcessHandle(String tag, Process process) {
    this.tag = tag;
    this.process = process;
    Thread reader = new Thread(this::readOutput, "reader-" + tag);
    reader.setDaemon(true);
    reader.start();
  }

  static NodeProcessHandle start(Path dataDir, String self, List<String> peers, String tag,
      long seed, int workloadSeconds, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (flag.startsWith("--add-") || flag.startsWith("-Dchronicle")) {
        command.add(flag);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path")));
    command.add(NodeProcess.class.getName());
    command.addAll(List.of(dataDir.toString(), TestCluster.GROUP, self, String.join(",", peers),
        tag, Long.toString(seed), Integer.toString(workloadSeconds)));
    Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    return new NodeProcessHandle(tag, process);
  }

  private void readOutput() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(
        process.getInputStream(), UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        String body = line.substring(line.indexOf(' ') + 1);
        if (body.startsWith("STATUS ")) {
          leader = body.contains("leader=true");
        } else if (body.startsWith("KV ")) {
          String[] parts = body.split(" ", 3);
          dumping.put(parts[1], parts[2]);
        } else if (body.startsWith("DUMPED")) {
          dumps.add(dumping);
        } else if (EVENT.matcher(line).lookingAt()) {
          synchronized (events) {
            events.add(line);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // The process died (killed on purpose); what was read stays.
    }
  }

  boolean isLeader() {
    return process.isAlive() && leader;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Event lines ({@code nanos INV|OK|INFO|ACK ...}) read so far. */
  List<String> events() {
    synchronized (events) {
      return new ArrayList<>(events);
    }
  }

  /** The member's whole key-value state (LOCAL scan). */
  Map<String, String> dump() throws Exception {
    dumping = new HashMap<>();
    send("DUMP");
    Map<String, String> state = dumps.poll(60, TimeUnit.SECONDS);
    if (state == null) {
      throw new AssertionError(tag + " did not answer DUMP");
    }
    return state;
  }

  /** SIGKILL: no shutdown hook, no flush, no close. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    leader = false;
  }

  void quit() throws Exception {
    if (process.isAlive()) {
      send("QUIT");
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }

  private void send(String command) throws IOException {
    OutputStream in = process.getOutputStream();
    in.write((command + "\n").getBytes(UTF_8));
    in.flush();
  }
}
