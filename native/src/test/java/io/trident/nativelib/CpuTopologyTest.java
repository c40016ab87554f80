package io.trident.nativelib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.error.StorageIoException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CpuTopology over the fixture /sys trees in test resources (sys-fixtures/README.md). */
class CpuTopologyTest {
  static Path fixture(String name) {
    try {
      return Path.of(CpuTopologyTest.class.getResource("/sys-fixtures/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void twoSocketSmtHost() {
    CpuTopology topology = CpuTopology.read(fixture("two-socket-smt"));
    assertEquals(8, topology.logicalCpuCount());
    assertEquals(4, topology.physicalCoreCount());
    assertEquals(2, topology.smtThreadsPerCore());
    assertEquals(2, topology.packageCount());
    assertEquals(List.of(0, 1), topology.nodes());
    assertArrayEquals(new int[] {0, 1, 4, 5}, topology.cpusOfNode(0));
    assertArrayEquals(new int[] {2, 3, 6, 7}, topology.cpusOfNode(1));
    assertArrayEquals(new int[] {3, 7}, topology.siblingsOf(7));
    assertEquals(1, topology.nodeOf(6));
    assertEquals(-1, topology.nodeOf(8));
    assertEquals(new CpuTopology.Cpu(5, 0, 1, 0, 1), topology.cpus().get(5));
    assertEquals(48 << 10, topology.l1DataCacheBytes());
    assertEquals(32 << 10, topology.l1InstructionCacheBytes());
    assertEquals(2 << 20, topology.l2CacheBytes());
    assertEquals(105L << 20, topology.l3CacheBytes());
    assertEquals("cpus=8 cores=4 smt=2 packages=2 numa_nodes=2 [0:0-1,4-5 1:2-3,6-7]"
        + " l1d=48KiB l2=2MiB l3=105MiB", topology.summary());
  }

  @Test
  void oneNodeHostAndKernelWithoutNuma() {
    CpuTopology one = CpuTopology.read(fixture("one-node"));
    assertEquals("cpus=2 cores=2 smt=1 packages=1 numa_nodes=1 [0:0-1] l1d=32KiB l2=1MiB"
        + " l3=32MiB", one.summary());
    CpuTopology noNuma = CpuTopology.read(fixture("no-numa"));
    assertEquals(List.of(0), noNuma.nodes());
    assertEquals(0, noNuma.l2CacheBytes());
  }

  @Test
  void thisMachineMatchesItsOnlineList() throws Exception {
    CpuTopology topology = CpuTopology.current();
    String online = Files.readString(Path.of("/sys/devices/system/cpu/online")).strip();
    assertEquals(CpuLists.parse(online, "online").length, topology.logicalCpuCount());
    assertTrue(topology.nodeCount() >= 1 && topology.physicalCoreCount() >= 1);
  }

  @Test
  void missingTreeIsATypedIoError() {
    StorageIoException error = assertThrows(StorageIoException.class,
        () -> CpuTopology.read(Path.of("/nonexistent-sys")));
    assertTrue(error.getMessage().contains("/nonexistent-sys/devices/system/cpu/online"),
        error.getMessage());
  }
}
