package io.trident.raftlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.alipay.sofa.jraft.entity.codec.v2.LogEntryV2CodecFactory;
import io.trident.error.CorruptFileException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;

/**
 * {@link LogRecordCodec#validate} on hostile headers (issue 6, point 4): every damaged record is
 * reported as corrupt, never as an exception (e.g. NegativeArraySizeException from an entry count
 * whose 16 * count overflows). Seeded; replay with -Dtrident.codec.seed=N.
 */
class LogRecordCodecFuzzTest {
  private static final int CASES = 20_000;

  private static final int ENTRIES = 3;
  private final long seed = Long.getLong("trident.codec.seed", System.nanoTime());
  private final SplittableRandom random = new SplittableRandom(seed);

  /** A sound BATCH record of entries 1..ENTRIES (term 1); prints the seed. */
  private byte[] soundRecord() {
    System.out.println("LogRecordCodecFuzzTest seed=" + seed + " (replay: -Dtrident.codec.seed=" + seed + ")");
    LogRecordCodec.RecordEncoder encoder = new LogRecordCodec.RecordEncoder();
    int length = encoder.encodeEntries(LogRecordCodec.BATCH, TestEntries.batch(1, ENTRIES, 1, seed),
        LogEntryV2CodecFactory.getInstance().encoder());
    return Arrays.copyOf(encoder.array(), length);
  }

  @Test
  void fuzzedHeadersAreReportedAsCorruptNeverThrown() {
    byte[] sound = soundRecord();
    for (int i = 0; i < CASES; i++) {
      byte[] record = sound.clone();
      ByteBuffer header = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
      switch (random.nextInt(3)) {
        case 0 -> header.putInt(10, random.nextInt()); // any count
        case 1 -> header.putInt(10, (1 << 27) + random.nextInt(1 << 27)); // 16 * count wraps negative
        default -> record[random.nextInt(LogRecordCodec.payloadsOffset(ENTRIES))] ^= (byte) (1 + random.nextInt(255));
      }
      int flipCount = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN).getInt(10);
      String context = "seed=" + seed + " case " + i + " count=" + flipCount;
      String problem;
      try {
        problem = LogRecordCodec.validate(Bytes.wrapForRead(record), 0, record.length);
      } catch (RuntimeException e) {
        throw new AssertionError("validate threw instead of reporting corruption; " + context, e);
      }
      if (!Arrays.equals(record, sound)) {
        assertNotNull(problem, "damaged record passed validation; " + context);
      }
    }
  }

  /**
   * A record read back for getEntry is read from disk again, so its header is untrusted there too:
   * a damaged slot or count is a {@link CorruptFileException} (getEntry then returns null and jraft
   * reports EIO), never NegativeArraySizeException or an out-of-bounds read.
   */
  @Test
  void fuzzedSlotsReadBackAsCorruptNeverAsOtherExceptions() {
    byte[] sound = soundRecord();
    for (int i = 0; i < CASES; i++) {
      byte[] record = sound.clone();
      ByteBuffer header = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
      int ordinal = random.nextInt(ENTRIES);
      switch (random.nextInt(4)) {
        case 0 -> header.putInt(10, random.nextInt()); // any count
        case 1 -> header.putInt(LogRecordCodec.slotOffset(ordinal), random.nextInt()); // payload offset
        case 2 -> header.putInt(LogRecordCodec.slotOffset(ordinal) + 4, random.nextInt()); // payload length
        default -> header.putInt(LogRecordCodec.slotOffset(ordinal) + 4, Integer.MIN_VALUE + random.nextInt(1 << 20));
      }
      String context = "seed=" + seed + " case " + i;
      try {
        byte[] payload = LogRecordCodec.readPayload(Bytes.wrapForRead(record), 0, record.length, ordinal);
        assertArrayEquals(TestEntries.bytes(TestEntries.data(1 + ordinal, 1, seed).getData()),
            TestEntries.bytes(LogEntryV2CodecFactory.getInstance().decoder().decode(payload).getData()), context);
      } catch (CorruptFileException expected) {
        // reported as corruption
      } catch (RuntimeException e) {
        throw new AssertionError("readPayload threw " + e + " instead of CorruptFileException; " + context, e);
      }
    }
  }
}
