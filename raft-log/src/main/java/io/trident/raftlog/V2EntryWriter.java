package io.trident.raftlog;

import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.entity.LogId;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.codec.LogEntryEncoder;
import com.alipay.sofa.jraft.entity.codec.v2.LogEntryV2CodecFactory;
import com.alipay.sofa.jraft.entity.codec.v2.V2Encoder;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Writes the bytes jraft's {@link V2Encoder} produces for an entry without peers or learners (a
 * data or no-op entry), straight into the caller's array: no protobuf builder, message or
 * intermediate array. The bytes are identical (LogEntryV2Codec header, then the PBLogEntry
 * message: type (1), term (2), index (3), data (6), checksum (7) if set, in field order), so any
 * jraft decoder reads them; entries with peers or learners go through the encoder itself.
 *
 * <p>Stateless; thread-safe.
 */
final class V2EntryWriter {
  private static final int TAG_TYPE = 1 << 3; // field 1, varint
  private static final int TAG_TERM = 2 << 3; // field 2, varint
  private static final int TAG_INDEX = 3 << 3; // field 3, varint
  private static final int TAG_DATA = (6 << 3) | 2; // field 6, length-delimited
  private static final int TAG_CHECKSUM = 7 << 3; // field 7, varint
  private static final int HEADER_BYTES = LogEntryV2CodecFactory.HEADER_SIZE;

  private V2EntryWriter() {}

  /** Whether {@code encoder} is jraft's V2 encoder, whose output this class reproduces. */
  static boolean reproduces(LogEntryEncoder encoder) {
    return encoder != null && encoder.getClass() == V2Encoder.class;
  }

  /** The encoded size of {@code entry} in bytes, or -1 when it has peers or learners. */
  static int encodedBytes(LogEntry entry) {
    if (hasAny(entry.getPeers()) || hasAny(entry.getOldPeers()) || hasAny(entry.getLearners())
        || hasAny(entry.getOldLearners())) {
      return -1;
    }
    LogId id = entry.getId();
    int dataBytes = dataBytes(entry.getData());
    long messageBytes = 1L + int32Bytes(entry.getType().getNumber())
        + 1 + varintBytes(id.getTerm())
        + 1 + varintBytes(id.getIndex())
        + 1 + varintBytes(dataBytes) + dataBytes
        + (entry.hasChecksum() ? 1 + varintBytes(entry.getChecksum()) : 0);
    long total = HEADER_BYTES + messageBytes;
    if (total > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("log entry of " + total + " bytes exceeds 2 GiB");
    }
    return (int) total;
  }

  /**
   * Writes {@code entry} (for which {@link #encodedBytes} was not -1) at {@code offset}; returns
   * the offset just past it. The data buffer's position is left unchanged.
   */
  static int write(LogEntry entry, byte[] out, int offset) {
    int at = offset;
    out[at++] = LogEntryV2CodecFactory.MAGIC_BYTES[0];
    out[at++] = LogEntryV2CodecFactory.MAGIC_BYTES[1];
    out[at++] = LogEntryV2CodecFactory.VERSION;
    for (int i = 0; i < LogEntryV2CodecFactory.RESERVED.length; i++) {
      out[at++] = LogEntryV2CodecFactory.RESERVED[i];
    }
    LogId id = entry.getId();
    out[at++] = TAG_TYPE;
    at = writeInt32(entry.getType().getNumber(), out, at);
    out[at++] = TAG_TERM;
    at = writeVarint(id.getTerm(), out, at);
    out[at++] = TAG_INDEX;
    at = writeVarint(id.getIndex(), out, at);
    ByteBuffer data = entry.getData();
    int dataBytes = dataBytes(data);
    out[at++] = TAG_DATA;
    at = writeVarint(dataBytes, out, at);
    if (dataBytes > 0) {
      data.get(data.position(), out, at, dataBytes); // from its position, as ByteString.wrap
      at += dataBytes;
    }
    if (entry.hasChecksum()) {
      out[at++] = TAG_CHECKSUM;
      at = writeVarint(entry.getChecksum(), out, at);
    }
    return at;
  }

  private static boolean hasAny(List<PeerId> peers) {
    return peers != null && !peers.isEmpty();
  }

  private static int dataBytes(ByteBuffer data) {
    return data == null ? 0 : data.remaining();
  }

  /** Protobuf int32 encoding: a negative value takes 10 bytes (sign-extended to 64 bits). */
  private static int int32Bytes(int value) {
    return varintBytes((long) value);
  }

  private static int writeInt32(int value, byte[] out, int at) {
    return writeVarint((long) value, out, at);
  }

  /** Bytes of {@code value} as an unsigned base-128 varint (1..10). */
  static int varintBytes(long value) {
    int bytes = 1;
    while ((value & ~0x7FL) != 0) {
      value >>>= 7;
      bytes++;
    }
    return bytes;
  }

  private static int writeVarint(long value, byte[] out, int at) {
    while ((value & ~0x7FL) != 0) {
      out[at++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out[at++] = (byte) value;
    return at;
  }
}
