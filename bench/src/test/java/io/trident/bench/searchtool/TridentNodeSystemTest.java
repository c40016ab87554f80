package io.trident.bench.searchtool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The single-node Trident side of the Lucene comparison, on a real node. */
class TridentNodeSystemTest {
  private static final long SEED = 8L;

  @TempDir Path root;

  @Test
  void buildEndsWithEveryRowSearchableAndCloseDeletesTheNode() {
    System.out.println("seed " + SEED);
    SplittableRandom random = new SplittableRandom(SEED);
    float[][] base = new float[2500][16]; // more than two ingest batches
    for (float[] row : base) {
      for (int j = 0; j < row.length; j++) {
        row[j] = (float) random.nextGaussian();
      }
    }
    Path work = root.resolve("work");
    TridentNodeSystem system = new TridentNodeSystem(16, 64, List.of(SearchSetting.ef(128)),
        work);
    try (system) {
      system.build(base, BuildProgress.silent(base.length));
      system.apply(system.settings().get(0));
      for (int row = base.length - 50; row < base.length; row++) {
        assertArrayEquals(new int[] {row}, system.search(base[row], 1), "row " + row);
      }
      assertEquals(5, system.search(base[0], 5).length);
    }
    assertFalse(Files.exists(work), "work directory left behind");
  }
}
