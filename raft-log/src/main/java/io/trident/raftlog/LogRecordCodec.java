package io.trident.raftlog;

import com.alipay.sofa.jraft.entity.EnumOutter.EntryType;
import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.entity.codec.LogEntryEncoder;
import io.trident.error.CorruptFileException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import net.openhft.chronicle.bytes.RandomDataInput;

/**
 * Byte layout of one journal record (one Chronicle document), little-endian:
 *
 * <pre>
 *   0  byte  recordType       BATCH, RESET, TRUNCATE_SUFFIX, TRUNCATE_PREFIX or TORN_TAIL
 *   1  byte  formatVersion    1
 *   2  long  raftIndex        BATCH/RESET: index of the first entry; TRUNCATE_*: the argument;
 *                             TORN_TAIL: Chronicle index of the torn record it cut
 *  10  int   entryCount       n (BATCH: n >= 1, RESET: n == 1, TRUNCATE_* and TORN_TAIL: n == 0)
 *  14  n x 16 bytes slots     payloadOffset, payloadLength, payloadCrc32c, flags
 *  14+16n int headerCrc32c    CRC32C of bytes [0, 14+16n)
 *  18+16n payloads            jraft-encoded entries, back to back, the last one ends the record
 * </pre>
 *
 * A payload's CRC32C covers its Raft index (8 bytes, little-endian) followed by the payload, so an
 * entry read from the wrong place fails its check. A batch is one record: Chronicle publishes a
 * document only when it is complete, and the checksums catch a record torn by power loss, so a
 * batch is in the journal whole or not at all.
 */
final class LogRecordCodec {
  static final byte BATCH = 1;
  static final byte RESET = 2;
  static final byte TRUNCATE_SUFFIX = 3;
  static final byte TRUNCATE_PREFIX = 4;
  /**
   * Written by recovery after it cut a torn tail: raftIndex holds the Chronicle index of the torn
   * record, so later replays know that record was cut on purpose, not corrupted in place.
   */
  static final byte TORN_TAIL = 5;
  static final byte FORMAT_VERSION = 1;
  static final int FLAG_CONFIGURATION = 1;

  private static final int HEADER_BYTES = 14;
  private static final int SLOT_BYTES = 16;
  private static final int CRC_BYTES = 4;

  private LogRecordCodec() {}

  static int headerCrcOffset(int entryCount) {
    return HEADER_BYTES + SLOT_BYTES * entryCount;
  }

  static int payloadsOffset(int entryCount) {
    return headerCrcOffset(entryCount) + CRC_BYTES;
  }

  static int slotOffset(int ordinal) {
    return HEADER_BYTES + SLOT_BYTES * ordinal;
  }

  static int entryCrc(long raftIndex, byte[] payload, int offset, int length) {
    return entryCrc(new CRC32C(), new byte[Long.BYTES], raftIndex, payload, offset, length);
  }

  /** As {@link #entryCrc(long, byte[], int, int)} with a caller's CRC and 8-byte scratch array. */
  private static int entryCrc(CRC32C crc, byte[] indexScratch, long raftIndex, byte[] payload, int offset,
      int length) {
    for (int i = 0; i < Long.BYTES; i++) {
      indexScratch[i] = (byte) (raftIndex >>> (8 * i)); // little-endian
    }
    crc.reset();
    crc.update(indexScratch, 0, Long.BYTES);
    crc.update(payload, offset, length);
    return (int) crc.getValue();
  }

  /**
   * Builds records in a reusable heap buffer. Thread rules: one instance per journal, used only by
   * the disk thread.
   */
  static final class RecordEncoder {
    private ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    /** Per entry of the batch being encoded: its encoder's bytes (null: written directly). */
    private byte[][] payloads = new byte[256][];
    private int[] payloadLengths = new int[256];
    private final CRC32C crc = new CRC32C();
    private final byte[] indexScratch = new byte[Long.BYTES];

    /**
     * Encodes a BATCH or RESET record of {@code entries}; returns its length in bytes. With jraft's
     * V2 encoder, entries without peers are encoded straight into the record ({@link
     * V2EntryWriter}, the same bytes); others through {@code encoder}.
     */
    int encodeEntries(byte recordType, List<LogEntry> entries, LogEntryEncoder encoder) {
      int count = entries.size();
      if (payloads.length < count) {
        payloads = new byte[Math.max(count, payloads.length * 2)][];
        payloadLengths = new int[payloads.length];
      }
      boolean writeV2Directly = V2EntryWriter.reproduces(encoder);
      long totalBytes = payloadsOffset(count);
      for (int i = 0; i < count; i++) {
        LogEntry entry = entries.get(i);
        int length = writeV2Directly ? V2EntryWriter.encodedBytes(entry) : -1;
        if (length < 0) {
          payloads[i] = encoder.encode(entry);
          length = payloads[i].length;
        }
        payloadLengths[i] = length;
        totalBytes += length;
      }
      if (totalBytes > Integer.MAX_VALUE - 64) {
        throw new IllegalArgumentException("batch of " + totalBytes + " bytes exceeds 2 GiB");
      }
      ByteBuffer out = ensureCapacity((int) totalBytes);
      byte[] array = out.array();
      long firstIndex = entries.get(0).getId().getIndex();
      out.put(0, recordType).put(1, FORMAT_VERSION).putLong(2, firstIndex).putInt(10, count);
      int payloadOffset = payloadsOffset(count);
      for (int i = 0; i < count; i++) {
        LogEntry entry = entries.get(i);
        int length = payloadLengths[i];
        if (payloads[i] != null) {
          System.arraycopy(payloads[i], 0, array, payloadOffset, length);
          payloads[i] = null;
        } else {
          V2EntryWriter.write(entry, array, payloadOffset);
        }
        int slot = slotOffset(i);
        out.putInt(slot, payloadOffset)
            .putInt(slot + 4, length)
            .putInt(slot + 8,
                entryCrc(crc, indexScratch, firstIndex + i, array, payloadOffset, length))
            .putInt(slot + 12, entry.getType() == EntryType.ENTRY_TYPE_CONFIGURATION ? FLAG_CONFIGURATION : 0);
        payloadOffset += length;
      }
      writeHeaderCrc(out, count);
      return payloadOffset;
    }

    /** Encodes a TRUNCATE_SUFFIX, TRUNCATE_PREFIX or TORN_TAIL record; returns its length in bytes. */
    int encodeMarker(byte recordType, long raftIndex) {
      ByteBuffer out = ensureCapacity(payloadsOffset(0));
      out.put(0, recordType).put(1, FORMAT_VERSION).putLong(2, raftIndex).putInt(10, 0);
      writeHeaderCrc(out, 0);
      return payloadsOffset(0);
    }

    /** The encoded record occupies {@code [0, length)} of this array. */
    byte[] array() {
      return buffer.array();
    }

    /** A new buffer over {@code [0, length)} of {@link #array()}: the record just encoded. */
    ByteBuffer buffer(int length) {
      return ByteBuffer.wrap(buffer.array(), 0, length);
    }

    private void writeHeaderCrc(ByteBuffer out, int count) {
      crc.reset();
      crc.update(out.array(), 0, headerCrcOffset(count));
      out.putInt(headerCrcOffset(count), (int) crc.getValue());
    }

    private ByteBuffer ensureCapacity(int bytes) {
      if (buffer.capacity() < bytes) {
        buffer = ByteBuffer.allocate(Math.max(bytes, buffer.capacity() * 2)).order(ByteOrder.LITTLE_ENDIAN);
      }
      return buffer;
    }
  }

  /** Why a record failed validation; {@code null} from {@link #validate} means it is sound. */
  static String validate(RandomDataInput doc, long start, long length) {
    if (length < payloadsOffset(0)) {
      return "record of " + length + " bytes is shorter than a header";
    }
    byte type = doc.readByte(start);
    if (type < BATCH || type > TORN_TAIL) {
      return "unknown record type " + type;
    }
    if (doc.readByte(start + 1) != FORMAT_VERSION) {
      return "unknown format version " + doc.readByte(start + 1);
    }
    int count = doc.readInt(start + 10);
    boolean countOk =
        (type == BATCH && count >= 1) || (type == RESET && count == 1) || (type >= TRUNCATE_SUFFIX && count == 0);
    // In long arithmetic: a hostile count must not overflow 16 * count into a small or negative size.
    if (!countOk || HEADER_BYTES + (long) SLOT_BYTES * count + CRC_BYTES > length) {
      return "bad entry count " + count + " for record type " + type + " of " + length + " bytes";
    }
    byte[] header = new byte[headerCrcOffset(count)];
    doc.read(start, header, 0, header.length);
    CRC32C crc = new CRC32C();
    crc.update(header, 0, header.length);
    if ((int) crc.getValue() != doc.readInt(start + headerCrcOffset(count))) {
      return "header checksum mismatch";
    }
    long firstIndex = doc.readLong(start + 2);
    long expectedOffset = payloadsOffset(count);
    byte[] scratch = new byte[0];
    for (int i = 0; i < count; i++) {
      long slot = start + slotOffset(i);
      int offset = doc.readInt(slot);
      int payloadLength = doc.readInt(slot + 4);
      if (offset != expectedOffset || payloadLength < 0 || offset + (long) payloadLength > length) {
        return "entry " + i + " lies outside the record";
      }
      if (scratch.length < payloadLength) {
        scratch = Arrays.copyOf(scratch, Math.max(payloadLength, scratch.length * 2));
      }
      doc.read(start + offset, scratch, 0, payloadLength);
      if (entryCrc(firstIndex + i, scratch, 0, payloadLength) != doc.readInt(slot + 8)) {
        return "entry " + (firstIndex + i) + " checksum mismatch";
      }
      expectedOffset = offset + (long) payloadLength;
    }
    return expectedOffset == length ? null : "record has " + (length - expectedOffset) + " trailing bytes";
  }

  static byte recordType(RandomDataInput doc, long start) {
    return doc.readByte(start);
  }

  static long raftIndex(RandomDataInput doc, long start) {
    return doc.readLong(start + 2);
  }

  static int entryCount(RandomDataInput doc, long start) {
    return doc.readInt(start + 10);
  }

  static boolean isConfiguration(RandomDataInput doc, long start, int ordinal) {
    return (doc.readInt(start + slotOffset(ordinal) + 12) & FLAG_CONFIGURATION) != 0;
  }

  /**
   * Copies out the payload of entry {@code ordinal} of the BATCH/RESET record of {@code
   * recordBytes} bytes at {@code start}, and checks its CRC. The record was validated when the
   * journal was opened, but its bytes are read again from disk here, so nothing in it is trusted.
   *
   * @throws CorruptFileException if the header no longer frames the entry or the checksum does not match
   */
  static byte[] readPayload(RandomDataInput doc, long start, long recordBytes, int ordinal) {
    if (recordBytes < payloadsOffset(0)) {
      throw new CorruptFileException("journal record of " + recordBytes + " bytes is shorter than a header");
    }
    int count = entryCount(doc, start);
    if (ordinal < 0 || ordinal >= count || HEADER_BYTES + (long) SLOT_BYTES * count + CRC_BYTES > recordBytes) {
      throw new CorruptFileException("journal record header (entry count " + count + ", " + recordBytes
          + " bytes) does not frame entry " + ordinal);
    }
    long slot = start + slotOffset(ordinal);
    int offset = doc.readInt(slot);
    int length = doc.readInt(slot + 4);
    if (offset < payloadsOffset(count) || length < 0 || offset + (long) length > recordBytes) {
      throw new CorruptFileException("journal entry " + ordinal + " (offset " + offset + ", " + length
          + " bytes) lies outside its record of " + recordBytes + " bytes");
    }
    byte[] payload = new byte[length];
    doc.read(start + offset, payload, 0, length);
    long raftIndex = raftIndex(doc, start) + ordinal;
    if (entryCrc(raftIndex, payload, 0, length) != doc.readInt(slot + 8)) {
      throw new CorruptFileException("checksum mismatch reading log entry " + raftIndex);
    }
    return payload;
  }
}
