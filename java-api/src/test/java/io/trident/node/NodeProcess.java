package io.trident.node;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.trident.KeyValue;
import io.trident.NodeOptions;
import io.trident.ReadConsistency;
import io.trident.Trident;
import io.trident.TridentNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Child-JVM main for {@link ProcessClusterTest}: one Trident member in its own process, with a
 * client workload that prints every operation as events on stdout (times are {@link
 * System#nanoTime()}, CLOCK_MONOTONIC, shared by every process of this machine):
 *
 * <pre>
 * INV id key PUT|GET|CAS [expected|-] [value|-]    OK id [result]    INFO id
 * ACK key                                           STATUS leader=true|false applied=N
 * KV key value ... DUMPED count                     (answer to "DUMP" on stdin)
 * </pre>
 *
 * Args: dataDir groupId self peers(comma) process-tag seed workloadSeconds. Every loop is bounded
 * by count and time; the process exits on "QUIT" or when stdin closes.
 */
public final class NodeProcess {
  static final List<String> LIN_KEYS = List.of("lin-0", "lin-1", "lin-2", "lin-3");
  private static final int CLIENT_LOOPS = 3;
  private static final int LIN_OPS_PER_LOOP_MAX = 120;
  private static final int ACK_PUTS_PER_LOOP_MAX = 2000;
  private static final PrintStream OUT = new PrintStream(System.out, false, UTF_8);

  private NodeProcess() {}

  public static void main(String[] args) throws Exception {
    String tag = args[4];
    long seed = Long.parseLong(args[5]);
    long workloadNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[6]));
    TridentNode node = Trident.open(NodeOptions.builder().dataDir(Path.of(args[0]))
        .groupId(args[1]).self(args[2]).peers(Arrays.asList(args[3].split(",")))
        .electionTimeout(Duration.ofMillis(800)).requestTimeout(Duration.ofSeconds(4)).build());
    Thread status = daemon(() -> reportStatus(node));
    status.start();
    long deadline = System.nanoTime() + workloadNanos;
    for (int loop = 0; loop < CLIENT_LOOPS; loop++) {
      int loopId = loop;
      daemon(() -> linearizabilityClient(node, tag + "." + loopId, new Random(seed * 31 + loopId),
          deadline)).start();
      daemon(() -> acknowledgedPuts(node, tag + "." + loopId, deadline)).start();
    }
    BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, UTF_8));
    for (String line = commands.readLine(); line != null && !line.equals("QUIT");
        line = commands.readLine()) {
      if (line.equals("DUMP")) {
        dump(node);
      }
    }
    node.close();
    System.exit(0);
  }

  /** Random put / linearizable get / CAS on a few keys, one at a time, each logged. */
  private static void linearizabilityClient(TridentNode node, String client, Random random,
      long deadline) {
    String lastRead = null;
    for (int n = 0; n < LIN_OPS_PER_LOOP_MAX && System.nanoTime() < deadline; n++) {
      String key = LIN_KEYS.get(random.nextInt(LIN_KEYS.size()));
      String id = client + "-" + n;
      String value = "v-" + id;
      int choice = random.nextInt(10);
      CompletableFuture<?> call;
      String result;
      if (choice < 4) {
        emit("INV " + id + " " + key + " PUT - " + value);
        call = node.kv().put(key.getBytes(UTF_8), value.getBytes(UTF_8));
      } else if (choice < 8) {
        emit("INV " + id + " " + key + " GET - -");
        call = node.kv().get(key.getBytes(UTF_8), ReadConsistency.LINEARIZABLE);
      } else {
        emit("INV " + id + " " + key + " CAS " + (lastRead == null ? "-" : lastRead) + " "
            + value);
        call = node.kv().compareAndSet(key.getBytes(UTF_8),
            lastRead == null ? null : lastRead.getBytes(UTF_8), value.getBytes(UTF_8));
      }
      try {
        Object answer = call.get(10, TimeUnit.SECONDS);
        if (answer instanceof byte[] bytes) {
          result = new String(bytes, UTF_8);
          lastRead = result;
        } else if (answer == null && choice >= 4 && choice < 8) {
          result = "-";
          lastRead = null;
        } else {
          result = answer == null ? "" : answer.toString();
        }
        emit("OK " + id + " " + result);
      } catch (Exception e) {
        emit("INFO " + id);
      }
      sleepQuietly(10 + random.nextInt(40));
    }
  }

  /** Unique keys written in pipelined bursts; ACK printed only once the put is acknowledged. */
  private static void acknowledgedPuts(TridentNode node, String client, long deadline) {
    for (int n = 0; n < ACK_PUTS_PER_LOOP_MAX && System.nanoTime() < deadline; n += 16) {
      CompletableFuture<?>[] burst = new CompletableFuture<?>[16];
      for (int i = 0; i < burst.length; i++) {
        String key = "ack-" + client + "-" + (n + i);
        burst[i] = node.kv().put(key.getBytes(UTF_8), key.getBytes(UTF_8))
            .thenRun(() -> emit("ACK " + key));
      }
      try {
        CompletableFuture.allOf(burst).get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        sleepQuietly(50);
      }
    }
  }

  private static void reportStatus(TridentNode node) {
    while (true) {
      try {
        emit("STATUS leader=" + node.isLeader());
      } catch (RuntimeException e) {
        return;
      }
      sleepQuietly(100);
    }
  }

  private static void dump(TridentNode node) throws Exception {
    List<KeyValue> all = node.kv().scan(null, null, Integer.MAX_VALUE, ReadConsistency.LOCAL)
        .get(30, TimeUnit.SECONDS);
    StringBuilder out = new StringBuilder();
    for (KeyValue entry : all) {
      out.append("0 KV ").append(new String(entry.key(), UTF_8)).append(' ')
          .append(new String(entry.value(), UTF_8)).append('\n');
    }
    out.append("0 DUMPED ").append(all.size());
    synchronized (OUT) {
      OUT.println(out);
      OUT.flush();
    }
  }

  private static void emit(String line) {
    synchronized (OUT) {
      OUT.println(System.nanoTime() + " " + line);
      OUT.flush();
    }
  }

  private static Thread daemon(Runnable body) {
    Thread thread = new Thread(body);
    thread.setDaemon(true);
    return thread;
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
