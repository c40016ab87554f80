package io.trident.internal.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.CollectionSpec;
import io.trident.error.CorruptIndexException;
import io.trident.search.Metric;
import io.trident.search.VectorIndex;
import io.trident.testing.Seeds;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What the leader ships for an IVF/PQ collection: trained, empty, of the collection's spec; bytes
 * of another spec or altered bytes are refused. Real FAISS structures. Seeded.
 */
class TrainedQuantizerTest {
  private static final int D = 8;

  @Test
  void ivfPqTrainsOnceAndLoadsAsTheSameTrainedEmptyStructure() {
    SplittableRandom random = new SplittableRandom(Seeds.of("TrainedQuantizerTest"));
    CollectionSpec spec = CollectionSpec.builder().dimension(D).metric(Metric.L2)
        .index("IVF4,PQ4").build();
    assertEquals(39 * 256, spec.trainingRecords());
    int count = 300;
    float[] sample = new float[count * D];
    for (int i = 0; i < sample.length; i++) {
      sample[i] = (float) random.nextGaussian();
    }
    byte[] quantizer = TrainedQuantizer.train(spec, sample, count);
    try (VectorIndex loaded = TrainedQuantizer.load(quantizer, spec)) {
      assertTrue(loaded.isTrained());
      assertEquals(0, loaded.size());
      loaded.add(new long[] {7}, Arrays.copyOf(sample, D));
      assertEquals(7, loaded.search(Arrays.copyOf(sample, D), 1).ids()[0]);
    }
    CollectionSpec other = CollectionSpec.builder().dimension(D).metric(Metric.L2)
        .index("IVF4,Flat").build();
    assertThrows(CorruptIndexException.class, () -> TrainedQuantizer.load(quantizer, other));
    byte[] altered = quantizer.clone();
    altered[altered.length / 2] ^= 0x40;
    assertThrows(CorruptIndexException.class, () -> TrainedQuantizer.load(altered, spec));
  }
}
