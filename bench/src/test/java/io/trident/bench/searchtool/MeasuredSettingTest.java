package io.trident.bench.searchtool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MeasuredSettingTest {
  @Test
  void wireLineRoundTrips() {
    MeasuredSetting row = new MeasuredSetting("lucene", "10.6.0 on JDK 25 (vector module)",
        "M32 efC100", new SearchSetting(64, 0), 12.5, 0.9731, new int[] {1, 2},
        new double[] {10_900.5, 20_100.25}, 88.1, 140.2, 190.3);
    String line = row.toWireLine();
    assertTrue(MeasuredSetting.isWireLine(line));
    assertFalse(line.contains("\n"));
    MeasuredSetting back = MeasuredSetting.fromWireLine(line);
    assertEquals(row.system(), back.system());
    assertEquals(row.version(), back.version());
    assertEquals(row.config(), back.config());
    assertEquals(row.setting(), back.setting());
    assertEquals(row.recall(), back.recall());
    assertArrayEquals(row.threadCounts(), back.threadCounts());
    assertArrayEquals(row.queriesPerSecond(), back.queriesPerSecond());
    assertEquals(row.latencyP99Micros(), back.latencyP99Micros());
  }

  @Test
  void singleThreadQpsIsTheSmallestThreadCount() {
    MeasuredSetting row = new MeasuredSetting("x", "v", "c", SearchSetting.ef(8), 1, 1,
        new int[] {4, 2}, new double[] {400, 250}, 1, 1, 1);
    assertEquals(250, row.singleThreadQps());
    assertEquals(400, row.qpsAt(4));
    assertTrue(Double.isNaN(row.qpsAt(1)));
  }
}
