package io.trident.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.testing.LinearizabilityChecker;
import io.trident.testing.OpType;
import io.trident.testing.Operation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three members, each in its own JVM process, under a client workload on every member; the
 * leader is killed with SIGKILL at seeded random moments and restarted. Afterwards: every
 * acknowledged write is on every replica, the replicas are identical, and the recorded
 * put/get/CAS history (taken across the kills) is linearizable. Replay with
 * {@code -Dtrident.cluster.seed=N}.
 */
class ProcessClusterTest {
  private static final int WORKLOAD_SECONDS = 14;
  private static final int LEADER_KILLS = 2;

  @TempDir Path root;

  @Test
  void leaderKillsLoseNoAcknowledgedWriteAndHistoryIsLinearizable() throws Exception {
    long seed = Long.getLong("trident.cluster.seed", System.nanoTime());
    System.out.println("ProcessClusterTest seed=" + seed + " (replay: -Dtrident.cluster.seed="
        + seed + ")");
    Random random = new Random(seed);
    List<String> peers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      peers.add("127.0.0.1:" + TestCluster.freeLoopbackPort());
    }
    NodeProcessHandle[] members = new NodeProcessHandle[3];
    List<NodeProcessHandle> incarnations = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      members[i] = start(i, peers, 0, random.nextLong());
      incarnations.add(members[i]);
    }
    List<Long> killNanos = new ArrayList<>();
    try {
      for (int kill = 1; kill <= LEADER_KILLS; kill++) {
        Thread.sleep(2000 + random.nextInt(2000));
        int leader = awaitLeader(members);
        killNanos.add(System.nanoTime());
        members[leader].kill();
        Thread.sleep(500 + random.nextInt(1000));
        members[leader] = start(leader, peers, kill, random.nextLong());
        incarnations.add(members[leader]);
      }
      Thread.sleep((WORKLOAD_SECONDS + 4) * 1000L);
      awaitLeader(members);
      Map<String, String> reference = awaitConverged(members);
      Set<String> acknowledged = new HashSet<>();
      List<Long> ackNanos = new ArrayList<>();
      List<String> events = new ArrayList<>();
      for (NodeProcessHandle incarnation : incarnations) {
        for (String event : incarnation.events()) {
          String[] fields = event.split(" ");
          if (fields[1].equals("ACK")) {
            acknowledged.add(fields[2]);
            ackNanos.add(Long.parseLong(fields[0]));
          } else {
            events.add(event);
          }
        }
      }
      assertTrue(acknowledged.size() > 100, "the workload made progress: " + acknowledged.size());
      printFailoverTimes(killNanos, ackNanos);
      for (String key : acknowledged) {
        assertEquals(key, reference.get(key), "acknowledged write " + key + " (seed " + seed
            + ")");
      }
      List<Operation> history = history(events);
      LinearizabilityChecker.Result result = LinearizabilityChecker.check(history,
          new LinearizabilityChecker.Limits(1_500_000, java.time.Duration.ofSeconds(60)));
      System.out.println("ProcessClusterTest: " + acknowledged.size() + " acknowledged puts, "
          + history.size() + " register operations, " + result);
      assertTrue(result.isLinearizable(), "seed " + seed + ": " + result);
    } finally {
      for (NodeProcessHandle member : members) {
        if (member != null) {
          member.quit();
        }
      }
    }
  }

  /** Per leader kill: how long until the next put was acknowledged (evidence, not asserted). */
  private static void printFailoverTimes(List<Long> killNanos, List<Long> ackNanos) {
    for (int kill = 0; kill < killNanos.size(); kill++) {
      long killedAt = killNanos.get(kill);
      long firstAck = ackNanos.stream().filter(at -> at > killedAt).min(Long::compare)
          .orElse(Long.MAX_VALUE);
      System.out.println("ProcessClusterTest: leader kill " + (kill + 1) + ": next put"
          + " acknowledged " + (firstAck == Long.MAX_VALUE ? "never"
          : (firstAck - killedAt) / 1_000_000 + " ms") + " after the SIGKILL");
    }
  }

  private NodeProcessHandle start(int member, List<String> peers, int incarnation, long seed)
      throws Exception {
    String tag = "m" + member + "i" + incarnation;
    return NodeProcessHandle.start(root.resolve("node-" + member), peers.get(member), peers, tag,
        seed, WORKLOAD_SECONDS, root.resolve(tag + ".log"));
  }

  private static int awaitLeader(NodeProcessHandle[] members) throws InterruptedException {
    for (int attempt = 0; attempt < 300; attempt++) {
      for (int i = 0; i < members.length; i++) {
        if (members[i].isLeader()) {
          return i;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no leader among the member processes within 30 s");
  }

  private static Map<String, String> awaitConverged(NodeProcessHandle[] members)
      throws Exception {
    for (int attempt = 0; attempt < 60; attempt++) {
      List<Map<String, String>> states = new ArrayList<>();
      for (NodeProcessHandle member : members) {
        states.add(member.dump());
      }
      if (states.stream().distinct().count() == 1) {
        return states.get(0);
      }
      Thread.sleep(500);
    }
    throw new AssertionError("replica processes did not converge within 30 s");
  }

  /** Register operations from the processes' event lines (times: shared CLOCK_MONOTONIC). */
  static List<Operation> history(List<String> events) {
    Map<String, String[]> invoked = new HashMap<>();
    Map<String, Long> invokedAt = new HashMap<>();
    Map<String, String[]> completed = new HashMap<>();
    Map<String, Long> completedAt = new HashMap<>();
    for (String event : events) {
      String[] f = event.split(" ");
      long nanos = Long.parseLong(f[0]);
      switch (f[1]) {
        case "INV" -> {
          invoked.put(f[2], f);
          invokedAt.put(f[2], nanos);
        }
        case "OK", "INFO" -> {
          completed.put(f[2], f);
          completedAt.put(f[2], nanos);
        }
        default -> { }
      }
    }
    List<String> ids = new ArrayList<>(invoked.keySet());
    ids.sort(Comparator.comparing(invokedAt::get));
    Map<String, Integer> processes = new HashMap<>();
    List<Operation> operations = new ArrayList<>();
    for (String id : ids) {
      String[] inv = invoked.get(id);
      String client = id.substring(0, id.lastIndexOf('-'));
      int process = processes.computeIfAbsent(client, c -> processes.size());
      OpType type = OpType.valueOf(inv[4]);
      String expected = inv[5].equals("-") ? null : inv[5];
      String value = inv[6].equals("-") ? null : inv[6];
      String[] done = completed.get(id);
      boolean ok = done != null && done[1].equals("OK");
      String resultText = ok && done.length > 3 ? done[3] : "";
      operations.add(new Operation(operations.size(), process, inv[3], type,
          type == OpType.GET ? null : value, type == OpType.CAS ? expected : null,
          ok ? Operation.Outcome.OK : Operation.Outcome.INFO,
          ok && type == OpType.GET && !resultText.equals("-") ? resultText : null,
          ok && resultText.equals("true"), invokedAt.get(id),
          done == null ? Long.MAX_VALUE : completedAt.get(id)));
    }
    return operations;
  }
}
