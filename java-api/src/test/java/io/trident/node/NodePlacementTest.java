package io.trident.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.CollectionSpec;
import io.trident.NodeOptions;
import io.trident.SearchRequest;
import io.trident.TridentNode;
import io.trident.VectorCollection;
import io.trident.error.InvalidOptionException;
import io.trident.nativelib.ThreadPlacement;
import io.trident.search.Metric;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NodeOptions' placements reach the threads they name in a real node: jraft's disk thread (the
 * journal's commit path) and the collection's search workers end up on the chosen CPU, other
 * threads do not. Thread CPUs are read from /proc/self/task/TID/{comm,status}.
 */
class NodePlacementTest {
  @TempDir Path root;

  /** Cpus_allowed_list of every thread of this process, by thread name (15-char comm). */
  private static Map<String, List<String>> cpusByThreadName() throws IOException {
    Map<String, List<String>> byName = new TreeMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : tasks.toList()) {
        try {
          String comm = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip();
          String cpus = Files.readAllLines(task.resolve("status")).stream()
              .filter(line -> line.startsWith("Cpus_allowed_list:"))
              .map(line -> line.substring("Cpus_allowed_list:".length()).strip())
              .findFirst().orElse("?");
          byName.computeIfAbsent(comm, name -> new ArrayList<>()).add(cpus);
        } catch (IOException threadEnded) {
          // the thread exited while listing
        }
      }
    }
    return byName;
  }

  @Test
  void journalAndSearchThreadsRunWhereTheOptionsSay() throws Exception {
    int[] allowed = ThreadPlacement.currentThreadCpus();
    int last = allowed[allowed.length - 1];
    ThreadPlacement placement = ThreadPlacement.cpus(last);
    try (TestCluster cluster = new TestCluster(root, 1, builder -> builder
        .journalThreadPlacement(placement).set("searchThreadPlacement", "cpus:" + last))
        .startAll()) {
      TridentNode node = cluster.node(0);
      VectorCollection docs = node.collections().create("docs", CollectionSpec.builder()
          .dimension(4).metric(Metric.L2).index("Flat").build()).get(30, TimeUnit.SECONDS);
      for (int i = 0; i < 20; i++) {
        docs.upsert(i, new float[] {i, 0, 0, 1}, null).get(30, TimeUnit.SECONDS);
      }
      assertEquals(3, docs.searchAsync(SearchRequest.builder(new float[] {3, 0, 0, 1}).k(1)
          .build()).get(30, TimeUnit.SECONDS).hits().get(0).id());
      Map<String, List<String>> threads = cpusByThreadName();
      List<String> disk = threads.get("JRaft-LogManage");
      List<String> search = threads.get("trident-search-");
      assertTrue(disk != null && search != null, "threads: " + threads.keySet());
      for (List<String> placed : List.of(disk, search)) {
        assertTrue(placed.stream().allMatch(cpus -> cpus.equals(String.valueOf(last))),
            "placed threads' CPUs: " + placed + " (want " + last + ")");
      }
      // Threads without a placement (this one, jraft's others) keep every CPU they had.
      assertArrayEquals(allowed, ThreadPlacement.currentThreadCpus());
      if (allowed.length > 1) {
        assertTrue(threads.values().stream().flatMap(List::stream)
            .anyMatch(cpus -> !cpus.equals(String.valueOf(last))), "threads: " + threads);
      }
    }
  }

  @Test
  void placementOptionsParseByNameAndRejectBadText() {
    NodeOptions options = NodeOptions.builder().dataDir(root).groupId("g").self("127.0.0.1:7001")
        .set("journalThreadPlacement", "node:1").set("searchThreadPlacement", "cpus:0-3,8")
        .build();
    assertEquals(ThreadPlacement.numaNode(1), options.journalThreadPlacement());
    assertEquals("cpus:0-3,8", options.searchThreadPlacement().toString());
    assertTrue(options.toString().contains("journalThreadPlacement=node:1"));
    NodeOptions defaults = NodeOptions.builder().dataDir(root).groupId("g")
        .self("127.0.0.1:7001").build();
    assertEquals(ThreadPlacement.NONE, defaults.journalThreadPlacement());
    assertEquals(ThreadPlacement.NONE, defaults.searchThreadPlacement());
    InvalidOptionException bad = assertThrows(InvalidOptionException.class,
        () -> NodeOptions.builder().set("searchThreadPlacement", "socket:2"));
    assertTrue(bad.getMessage().contains("NodeOptions.searchThreadPlacement"), bad.getMessage());
    assertThrows(InvalidOptionException.class, () -> NodeOptions.builder().dataDir(root)
        .groupId("g").self("127.0.0.1:7001").journalThreadPlacement(null).build());
  }
}
