package io.trident.raftlog;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.alipay.sofa.jraft.entity.codec.v2.LogEntryV2CodecFactory;
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

  @Test
  void fuzzedHeadersAreReportedAsCorruptNeverThrown() {
    long seed = Long.getLong("trident.codec.seed", System.nanoTime());
    System.out.println("LogRecordCodecFuzzTest seed=" + seed + " (replay: -Dtrident.codec.seed=" + seed + ")");
    SplittableRandom random = new SplittableRandom(seed);
    LogRecordCodec.RecordEncoder encoder = new LogRecordCodec.RecordEncoder();
    int length = encoder.encodeEntries(LogRecordCodec.BATCH, TestEntries.batch(1, 3, 1, seed),
        LogEntryV2CodecFactory.getInstance().encoder());
    byte[] sound = Arrays.copyOf(encoder.array(), length);
    for (int i = 0; i < CASES; i++) {
      byte[] record = sound.clone();
      ByteBuffer header = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
      switch (random.nextInt(3)) {
        case 0 -> header.putInt(10, random.nextInt()); // any count
        case 1 -> header.putInt(10, (1 << 27) + random.nextInt(1 << 27)); // 16 * count wraps negative
        default -> record[random.nextInt(LogRecordCodec.payloadsOffset(3))] ^= (byte) (1 + random.nextInt(255));
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
}
