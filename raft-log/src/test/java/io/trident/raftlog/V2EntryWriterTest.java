package io.trident.raftlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.alipay.sofa.jraft.entity.EnumOutter.EntryType;
import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.entity.LogId;
import com.alipay.sofa.jraft.entity.codec.LogEntryEncoder;
import com.alipay.sofa.jraft.entity.codec.v2.V2Encoder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link V2EntryWriter} writes exactly the bytes of jraft's {@link V2Encoder}, over seeded random
 * entries (types, extreme terms and indexes, data absent, empty, in heap buffers at an offset or
 * in direct buffers, checksums set or not), and a whole record encoded through it equals the
 * record encoded through the encoder. Seed printed; replay with -Dtrident.v2.seed=N.
 */
class V2EntryWriterTest {
  private static final long[] EDGE_VALUES = {0, 1, 127, 128, 16_383, 16_384, Integer.MAX_VALUE,
      Long.MAX_VALUE, -1, Long.MIN_VALUE};
  private final long seed = Long.getLong("trident.v2.seed", System.nanoTime());

  @Test
  void writesTheBytesOfJraftsV2Encoder() {
    System.out.println(
        "V2EntryWriterTest seed=" + seed + " (replay: -Dtrident.v2.seed=" + seed + ")");
    SplittableRandom random = new SplittableRandom(seed);
    for (int round = 0; round < 5_000; round++) {
      LogEntry entry = randomEntry(random);
      byte[] expected = V2Encoder.INSTANCE.encode(entry);
      int bytes = V2EntryWriter.encodedBytes(entry);
      assertEquals(expected.length, bytes, "size of " + entry + "; seed=" + seed);
      byte[] out = new byte[bytes + 20];
      int dataPosition = entry.getData() == null ? -1 : entry.getData().position();
      assertEquals(7 + bytes, V2EntryWriter.write(entry, out, 7));
      assertArrayEquals(expected, Arrays.copyOfRange(out, 7, 7 + bytes), entry + "; seed=" + seed);
      if (dataPosition >= 0) {
        assertEquals(dataPosition, entry.getData().position(), "data position left unchanged");
      }
    }
  }

  @Test
  void entriesWithPeersAreLeftToTheEncoder() {
    LogEntry configuration = TestEntries.configuration(5, 2, "127.0.0.1:8081", "127.0.0.1:8082");
    assertEquals(-1, V2EntryWriter.encodedBytes(configuration));
    assertTrue(V2EntryWriter.reproduces(V2Encoder.INSTANCE));
    assertFalse(V2EntryWriter.reproduces(delegatingEncoder()));
  }

  @Test
  void recordsEncodedDirectlyEqualRecordsEncodedThroughTheEncoder() {
    SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    LogRecordCodec.RecordEncoder direct = new LogRecordCodec.RecordEncoder();
    LogRecordCodec.RecordEncoder viaEncoder = new LogRecordCodec.RecordEncoder();
    for (int round = 0; round < 50; round++) {
      List<LogEntry> batch = new ArrayList<>();
      long first = 1 + random.nextInt(1_000_000);
      for (int i = 0, count = 1 + random.nextInt(200); i < count; i++) {
        LogEntry entry = randomEntry(random);
        entry.setId(new LogId(first + i, 3));
        batch.add(i % 50 == 7 ? TestEntries.configuration(first + i, 3, "127.0.0.1:9000") : entry);
      }
      int length = direct.encodeEntries(LogRecordCodec.BATCH, batch, V2Encoder.INSTANCE);
      assertEquals(length,
          viaEncoder.encodeEntries(LogRecordCodec.BATCH, batch, delegatingEncoder()));
      assertArrayEquals(Arrays.copyOf(viaEncoder.array(), length),
          Arrays.copyOf(direct.array(), length),
          "record of " + batch.size() + " entries; seed=" + seed);
    }
  }

  /** jraft's V2 encoder behind another class: the record encoder then calls it per entry. */
  private static LogEntryEncoder delegatingEncoder() {
    return entry -> V2Encoder.INSTANCE.encode(entry);
  }

  private static LogEntry randomEntry(SplittableRandom random) {
    EntryType[] types = {EntryType.ENTRY_TYPE_DATA, EntryType.ENTRY_TYPE_NO_OP,
        EntryType.ENTRY_TYPE_UNKNOWN, EntryType.ENTRY_TYPE_CONFIGURATION};
    LogEntry entry = new LogEntry(types[random.nextInt(types.length)]);
    entry.setId(new LogId(randomLong(random), randomLong(random)));
    entry.setData(randomData(random));
    if (random.nextBoolean()) {
      entry.setChecksum(randomLong(random));
    }
    return entry;
  }

  private static long randomLong(SplittableRandom random) {
    return random.nextInt(3) == 0
        ? EDGE_VALUES[random.nextInt(EDGE_VALUES.length)]
        : random.nextLong(1L << 40);
  }

  private static ByteBuffer randomData(SplittableRandom random) {
    int kind = random.nextInt(5);
    if (kind == 0) {
      return null;
    }
    int bytes = kind == 1 ? 0 : random.nextInt(kind == 4 ? 20_000 : 300);
    byte[] array = new byte[bytes + 16];
    random.nextBytes(array);
    if (kind == 3) {
      ByteBuffer direct = ByteBuffer.allocateDirect(bytes);
      direct.put(array, 0, bytes).flip();
      return direct;
    }
    int offset = random.nextInt(8);
    return ByteBuffer.wrap(array, offset, bytes); // position = offset, remaining = bytes
  }
}
