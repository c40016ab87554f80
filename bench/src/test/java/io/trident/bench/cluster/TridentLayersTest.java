package io.trident.bench.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.NodeStats;
import java.util.List;
import org.junit.jupiter.api.Test;

class TridentLayersTest {
  @Test
  void describesEachMembersLayersOverTheWindow() {
    NodeStats zero = new NodeStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    // 2 s: 2,000 ops in 100 entries (queued 1 ms each), 10 forwarded answered at 6 ms, 100
    // committed at 4 ms each, 50 journal appends of 2 entries at 0.5 ms, 20 applies at 0.25 ms
    // holding 6,000 ops, 2 flushes of 150 ms.
    NodeStats later = new NodeStats(2_000, 100, 2_000_000_000L, 10, 10, 60_000_000L, 100,
        400_000_000L, 50, 100, 25_000_000L, 20, 300, 6_000, 5_000_000L, 2, 300_000_000L, 0, 0);
    List<String> lines = new TridentLayers(List.of(later), List.of(true))
        .describeSince(new TridentLayers(List.of(zero), List.of(true)), 2.0);
    assertEquals(TridentLayers.HEADER, lines.get(0));
    String[] row = lines.get(1).trim().split("\\s+");
    assertEquals(List.of("0", "leader", "1000", "50", "20.0", "1.000", "5", "6.000", "4.000", "25",
        "2.0", "0.500", "10", "0.250", "3000", "2", "150.0"), List.of(row));
    assertTrue(lines.get(0).contains("p2a_ms"));
  }
}
