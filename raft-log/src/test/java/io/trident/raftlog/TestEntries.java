package io.trident.raftlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.alipay.sofa.jraft.entity.EnumOutter.EntryType;
import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.entity.LogId;
import com.alipay.sofa.jraft.entity.PeerId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Deterministic log entries: the payload of an entry is a function of (index, term, seed). */
final class TestEntries {
  private TestEntries() {}

  static byte[] payload(long index, long seed, int bytes) {
    byte[] data = new byte[bytes];
    new SplittableRandom(index * 0x9E3779B97F4A7C15L ^ seed).nextBytes(data);
    return data;
  }

  /** Payload length derived from (index, seed), in [16, 400) bytes. */
  static int payloadBytes(long index, long seed) {
    return 16 + (int) Long.remainderUnsigned(index * 31 + seed, 384);
  }

  static LogEntry data(long index, long term, long seed) {
    LogEntry entry = new LogEntry(EntryType.ENTRY_TYPE_DATA);
    entry.setId(new LogId(index, term));
    long payloadSeed = seed ^ (term * 0xC2B2AE3D27D4EB4FL);
    entry.setData(ByteBuffer.wrap(payload(index, payloadSeed, payloadBytes(index, payloadSeed))));
    return entry;
  }

  static List<LogEntry> batch(long firstIndex, int count, long term, long seed) {
    List<LogEntry> entries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      entries.add(data(firstIndex + i, term, seed));
    }
    return entries;
  }

  static LogEntry configuration(long index, long term, String... peers) {
    LogEntry entry = new LogEntry(EntryType.ENTRY_TYPE_CONFIGURATION);
    entry.setId(new LogId(index, term));
    List<PeerId> peerIds = new ArrayList<>();
    for (String peer : peers) {
      peerIds.add(PeerId.parsePeer(peer));
    }
    entry.setPeers(peerIds);
    return entry;
  }

  static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return new byte[0];
    }
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }

  static void assertSameEntry(LogEntry expected, LogEntry actual) {
    assertNotNull(actual, "missing entry " + expected.getId());
    assertEquals(expected.getId(), actual.getId());
    assertEquals(expected.getType(), actual.getType());
    assertArrayEquals(bytes(expected.getData()), bytes(actual.getData()), "payload of " + expected.getId());
    assertEquals(String.valueOf(expected.getPeers()), String.valueOf(actual.getPeers()));
  }
}
