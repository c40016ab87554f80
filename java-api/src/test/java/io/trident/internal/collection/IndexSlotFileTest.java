package io.trident.internal.collection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.trident.error.CorruptIndexException;
import io.trident.error.StorageIoException;
import io.trident.testing.Seeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slot table file: a round trip keeps every slot; any flipped byte and any truncation is
 * {@link CorruptIndexException}, a missing file {@link StorageIoException}. Seeded.
 */
class IndexSlotFileTest {
  @TempDir Path dir;

  @Test
  void roundTripsAndRejectsEveryFlippedByteAndTruncation() throws Exception {
    SplittableRandom random = new SplittableRandom(Seeds.of("IndexSlotFileTest"));
    int slots = 50;
    long[] ids = random.longs(slots).toArray();
    long[] hashes = random.longs(slots).toArray();
    BitSet live = new BitSet();
    for (int slot = 0; slot < slots; slot++) {
      if (random.nextInt(3) != 0) {
        live.set(slot);
      }
    }
    Path file = dir.resolve("c.slots");
    IndexSlotFile.write(file, new IndexSlotFile.Table(42, slots, ids, hashes, live));
    IndexSlotFile.Table read = IndexSlotFile.read(file);
    assertEquals(42, read.collectionId());
    assertEquals(slots, read.slotCount());
    assertArrayEquals(ids, Arrays.copyOf(read.idsBySlot(), slots));
    assertArrayEquals(hashes, Arrays.copyOf(read.hashBySlot(), slots));
    assertEquals(live, read.live());

    byte[] good = Files.readAllBytes(file);
    for (int offset = 0; offset < good.length; offset++) {
      byte[] bad = good.clone();
      bad[offset] ^= (byte) (1 + random.nextInt(255));
      Files.write(file, bad);
      assertThrows(CorruptIndexException.class, () -> IndexSlotFile.read(file),
          "flipped byte at " + offset);
    }
    for (int length : new int[] {0, 7, good.length / 2, good.length - 1}) {
      Files.write(file, Arrays.copyOf(good, length));
      assertThrows(CorruptIndexException.class, () -> IndexSlotFile.read(file),
          "truncated to " + length);
    }
    Files.delete(file);
    assertThrows(StorageIoException.class, () -> IndexSlotFile.read(file));
  }

  @Test
  void recordHashSeesEveryByte() {
    byte[] record = new byte[64];
    long hash = IndexSlotFile.recordHash(record);
    for (int i = 0; i < record.length; i++) {
      byte[] changed = record.clone();
      changed[i] = 1;
      assertNotEquals(hash, IndexSlotFile.recordHash(changed), "byte " + i);
    }
  }
}
