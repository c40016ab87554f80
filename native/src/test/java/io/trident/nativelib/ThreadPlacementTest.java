package io.trident.nativelib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.error.InvalidArgumentException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Placement plans on fixture topologies (what it does on a 2-socket host), and applying them on
 * this machine: applied where the kernel allows it, a clean no-op where it does not. Each apply
 * runs on a fresh thread so the test JVM's threads keep their affinity.
 */
class ThreadPlacementTest {
  private static final CpuTopology TWO_SOCKETS =
      CpuTopology.read(CpuTopologyTest.fixture("two-socket-smt"));
  private static final CpuTopology ONE_NODE = CpuTopology.read(CpuTopologyTest.fixture("one-node"));

  private static <T> T onFreshThread(Supplier<T> body) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        result.complete(body.get());
      } catch (Throwable failure) {
        result.completeExceptionally(failure);
      }
    }, "placement-test");
    thread.start();
    return result.join();
  }

  @Test
  void textFormsRoundTripAndBadTextIsTyped() {
    for (String text : new String[] {"none", "node:1", "cpus:0-3,8", "cpus:5"}) {
      assertEquals(text, ThreadPlacement.parse(text).toString());
    }
    assertEquals("cpus:0-2", ThreadPlacement.parse(" cpus:2,0,1,1 ").toString());
    assertEquals(ThreadPlacement.NONE, ThreadPlacement.parse("none"));
    for (String bad : new String[] {"", "node:", "node:-1", "node:x", "cpus:", "cpus:3-1",
        "cpus:1,,2", "cpus:4096", "socket:0", "cpus:0-99999"}) {
      assertThrows(InvalidArgumentException.class, () -> ThreadPlacement.parse(bad), bad);
    }
    assertThrows(InvalidArgumentException.class, () -> ThreadPlacement.cpus());
    assertThrows(InvalidArgumentException.class, () -> ThreadPlacement.numaNode(1024));
  }

  @Test
  void onATwoSocketHostANodePlacementPinsItsCpusAndPrefersItsMemory() {
    ThreadPlacement.Plan node1 = ThreadPlacement.numaNode(1).plan(TWO_SOCKETS);
    assertArrayEquals(new int[] {2, 3, 6, 7}, node1.cpus());
    assertEquals(1, node1.memoryNode());
    ThreadPlacement.Plan siblings = ThreadPlacement.cpus(0, 4).plan(TWO_SOCKETS);
    assertEquals(0, siblings.memoryNode());  // both CPUs on node 0
    ThreadPlacement.Plan spread = ThreadPlacement.cpus(0, 2).plan(TWO_SOCKETS);
    assertArrayEquals(new int[] {0, 2}, spread.cpus());
    assertEquals(-1, spread.memoryNode());  // spans both nodes: memory left to the OS
    ThreadPlacement.Plan absentCpus = ThreadPlacement.cpus(8, 9).plan(TWO_SOCKETS);
    assertFalse(absentCpus.pins());
    ThreadPlacement.Plan absentNode = ThreadPlacement.numaNode(3).plan(TWO_SOCKETS);
    assertFalse(absentNode.pins());
    assertEquals(-1, absentNode.memoryNode());
  }

  @Test
  void onOneNodeANodePlacementIsANoOp() {
    ThreadPlacement.Plan plan = ThreadPlacement.numaNode(0).plan(ONE_NODE);
    assertFalse(plan.pins());
    assertEquals(-1, plan.memoryNode());
    ThreadPlacement.Outcome outcome = onFreshThread(() -> {
      int[] before = ThreadPlacement.currentThreadCpus();
      ThreadPlacement.Outcome applied = ThreadPlacement.numaNode(0).applyToCurrentThread(ONE_NODE);
      assertArrayEquals(before, ThreadPlacement.currentThreadCpus());
      assertEquals(-1, ThreadPlacement.currentThreadPreferredMemoryNode());
      return applied;
    });
    assertFalse(outcome.pinned() || outcome.memoryPlaced());
    assertTrue(outcome.description().contains("one NUMA node"), outcome.description());
    assertFalse(ThreadPlacement.NONE.applyToCurrentThread().pinned());
  }

  @Test
  void pinningToAnAllowedCpuApplies() {
    int[] allowed = ThreadPlacement.currentThreadCpus();
    int last = allowed[allowed.length - 1];
    int[] after = onFreshThread(() -> {
      assertTrue(ThreadPlacement.cpus(last).applyToCurrentThread().pinned());
      return ThreadPlacement.currentThreadCpus();
    });
    assertArrayEquals(new int[] {last}, after);
  }

  @Test
  void theTwoSocketPlanAppliesHereWhereTheKernelAllowsIt() {
    // Node 0 of the fixture is CPUs 0-1,4-5: CPUs 0-1 exist here, so the kernel pins to those
    // and the memory policy (node 0 exists everywhere) is set.
    ThreadPlacement.Outcome outcome = onFreshThread(() -> {
      ThreadPlacement.Outcome applied =
          ThreadPlacement.numaNode(0).applyToCurrentThread(TWO_SOCKETS);
      assertEquals(0, ThreadPlacement.currentThreadPreferredMemoryNode());
      return applied;
    });
    assertTrue(outcome.pinned() && outcome.memoryPlaced(), outcome.description());
  }

  @Test
  void aRefusedPlacementIsACleanNoOp() {
    // The fixture's CPUs 4000-4001 exist on no test machine: the kernel refuses (EINVAL), nothing
    // changes and nothing throws.
    CpuTopology absent = CpuTopology.read(CpuTopologyTest.fixture("absent-cpus"));
    ThreadPlacement.Outcome outcome = onFreshThread(() -> {
      int[] before = ThreadPlacement.currentThreadCpus();
      ThreadPlacement.Outcome applied = ThreadPlacement.numaNode(1).applyToCurrentThread(absent);
      assertArrayEquals(before, ThreadPlacement.currentThreadCpus());
      assertEquals(-1, ThreadPlacement.currentThreadPreferredMemoryNode());
      return applied;
    });
    assertFalse(outcome.pinned() || outcome.memoryPlaced());
    assertTrue(outcome.description().contains("refused (EINVAL)"), outcome.description());
  }
}
