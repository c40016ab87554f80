package io.trident.internal.collection;

import io.trident.error.CorruptIndexException;
import io.trident.error.StorageIoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * The slot table saved beside a collection's native index file: which caller id each native slot
 * was added for, which slots are live, and a 64-bit hash of each live slot's stored record (what
 * {@link CollectionIndex#reconcile} compares against the stored state to find the records that
 * changed after the save). Stateless.
 *
 * <p>Format (big-endian): magic {@value #MAGIC_TEXT}, version:i32, collectionId:i64,
 * slotCount:i32, liveCount:i32, then per slot id:i64 hash:i64 live:u8, then the CRC32C of every
 * byte before it as i64. A file whose length, magic, version or checksum is off is corrupt.
 */
final class IndexSlotFile {
  private static final String MAGIC_TEXT = "TRDSLOT1";
  private static final long MAGIC = ByteBuffer.wrap(MAGIC_TEXT.getBytes(
      java.nio.charset.StandardCharsets.US_ASCII)).getLong();
  private static final int VERSION = 1;
  private static final int HEADER_BYTES = Long.BYTES + Integer.BYTES + Long.BYTES
      + 2 * Integer.BYTES;
  private static final int SLOT_BYTES = 2 * Long.BYTES + 1;

  private IndexSlotFile() {}

  /** A collection index's slots: {@code idsBySlot[0..slotCount)}, the live ones flagged. */
  record Table(long collectionId, int slotCount, long[] idsBySlot, long[] hashBySlot,
      BitSet live) {}

  /** Writes {@code table} to {@code file} durably: a temporary file, fsync, rename, dir fsync. */
  static void write(Path file, Table table) {
    int liveCount = table.live().cardinality();
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + table.slotCount() * SLOT_BYTES
        + Long.BYTES);
    out.putLong(MAGIC).putInt(VERSION).putLong(table.collectionId()).putInt(table.slotCount())
        .putInt(liveCount);
    for (int slot = 0; slot < table.slotCount(); slot++) {
      out.putLong(table.idsBySlot()[slot]).putLong(table.hashBySlot()[slot])
          .put((byte) (table.live().get(slot) ? 1 : 0));
    }
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, out.position());
    out.putLong(crc.getValue());
    out.flip();
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        while (out.hasRemaining()) {
          channel.write(out);
        }
        channel.force(true);
      }
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel directory = FileChannel.open(file.toAbsolutePath().getParent(),
          StandardOpenOption.READ)) {
        directory.force(true);
      }
    } catch (IOException e) {
      throw new StorageIoException("cannot write the slot table " + file + ": " + e, e);
    }
  }

  /**
   * Reads a table written by {@link #write}.
   *
   * @throws StorageIoException when the file is missing or unreadable
   * @throws CorruptIndexException when it is truncated, altered or not a slot table
   */
  static Table read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new StorageIoException("no slot table " + file);
    } catch (IOException e) {
      throw new StorageIoException("cannot read the slot table " + file + ": " + e, e);
    }
    if (bytes.length < HEADER_BYTES + Long.BYTES) {
      throw corrupt(file, "only " + bytes.length + " bytes");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - Long.BYTES);
    if (in.getLong(bytes.length - Long.BYTES) != crc.getValue()) {
      throw corrupt(file, "checksum mismatch");
    }
    if (in.getLong() != MAGIC || in.getInt() != VERSION) {
      throw corrupt(file, "not a version-" + VERSION + " slot table");
    }
    long collectionId = in.getLong();
    int slotCount = in.getInt();
    int liveCount = in.getInt();
    if (slotCount < 0 || (long) slotCount * SLOT_BYTES + HEADER_BYTES + Long.BYTES
        != bytes.length) {
      throw corrupt(file, slotCount + " slots do not fit " + bytes.length + " bytes");
    }
    long[] ids = new long[Math.max(slotCount, 1)];
    long[] hashes = new long[ids.length];
    BitSet live = new BitSet(slotCount);
    for (int slot = 0; slot < slotCount; slot++) {
      ids[slot] = in.getLong();
      hashes[slot] = in.getLong();
      if (in.get() != 0) {
        live.set(slot);
      }
    }
    if (live.cardinality() != liveCount) {
      throw corrupt(file, "live count " + liveCount + " but " + live.cardinality() + " flagged");
    }
    return new Table(collectionId, slotCount, ids, hashes, live);
  }

  /** A 64-bit hash of a stored record (CRC32C and CRC32 side by side; not adversary-proof). */
  static long recordHash(byte[] record) {
    CRC32C castagnoli = new CRC32C();
    castagnoli.update(record);
    CRC32 ieee = new CRC32();
    ieee.update(record);
    return (castagnoli.getValue() << 32) | ieee.getValue();
  }

  private static CorruptIndexException corrupt(Path file, String problem) {
    return new CorruptIndexException("slot table " + file + " is corrupt: " + problem);
  }
}
