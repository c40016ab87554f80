package io.trident.bench.searchtool;

import static io.trident.bench.searchtool.MeasuredSettings.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EqualRecallComparisonTest {
  private final EqualRecallComparison comparison = new EqualRecallComparison("trident", List.of(
      row("trident", "HNSW32", 16, 0.91, 30_000),
      row("trident", "HNSW32", 32, 0.96, 20_000),
      row("trident", "HNSW32", 64, 0.99, 11_000),
      // Listed out of order: the lowest reaching setting is chosen by ef, not by position.
      row("lucene", "M16 efC100", 64, 0.97, 4_000),
      row("lucene", "M16 efC100", 32, 0.95, 6_000),
      row("lucene", "M32 efC100", 32, 0.96, 7_000),
      row("lucene", "M32 efC100", 64, 0.985, 5_000),
      row("hnswlib", "M16 efC100", 16, 0.93, 9_000),
      row("hnswlib", "M16 efC100", 32, 0.94, 8_000)));

  @Test
  void pointIsLowestReachingSettingOfTheFastestConfig() {
    MeasuredSetting lucene = comparison.pointAt("lucene", 0.95).orElseThrow();
    assertEquals("M32 efC100", lucene.config());
    assertEquals(32, lucene.setting().efSearch());
    assertEquals(7_000, lucene.singleThreadQps(), 1e-9);
  }

  @Test
  void unreachedTargetHasNoPoint() {
    assertTrue(comparison.pointAt("lucene", 0.99).isEmpty());
    assertTrue(comparison.pointAt("hnswlib", 0.95).isEmpty());
  }

  @Test
  void bestPeerAndRatioAtTarget() {
    assertEquals("hnswlib", comparison.bestPeerAt(0.90).orElseThrow().system());
    assertEquals("lucene", comparison.bestPeerAt(0.95).orElseThrow().system());
    assertEquals(20_000.0 / 7_000, comparison.ratioToBestPeer(0.95), 1e-12);
    assertEquals(30_000.0 / 9_000, comparison.ratioToBestPeer(0.90), 1e-12);
    assertTrue(Double.isNaN(comparison.ratioToBestPeer(0.99)));
  }

  @Test
  void peersExcludeTheSubject() {
    assertEquals(List.of("lucene", "hnswlib"), comparison.peers());
  }

  @Test
  void reportHasALinePerTarget() {
    List<String> lines = comparison.reportLines(10);
    assertEquals(1 + EqualRecallComparison.TARGETS.length, lines.size());
    assertTrue(lines.get(2).contains("trident/lucene = 2.86x"), lines.get(2));
    assertTrue(lines.get(3).contains("lucene not reached"), lines.get(3));
  }
}
