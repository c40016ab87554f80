package io.trident.search.io;

import io.trident.error.CorruptFileException;
import io.trident.error.StorageIoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads and writes the texmex vector formats: {@code .fvecs} (per vector: int32 dimension, then
 * that many float32), {@code .ivecs} (int32 count, then int32 values) and {@code .bvecs} (int32
 * dimension, then that many unsigned bytes, read as floats). Little-endian. Stateless.
 *
 * <p>Every row must have the same length; a truncated file, a negative or changing length, or a
 * file whose size is not a whole number of rows throws {@link CorruptFileException} naming the
 * file and the row.
 */
public final class VectorFiles {
  /** Rows longer than this are taken as corruption rather than allocated. */
  public static final int ROW_LENGTH_MAX = 1 << 20;

  private VectorFiles() {}

  public static float[][] readFvecs(Path file) {
    return readFvecs(file, Integer.MAX_VALUE);
  }

  /** Reads at most {@code rowsMax} vectors. */
  public static float[][] readFvecs(Path file, int rowsMax) {
    ByteBuffer bytes = readAll(file);
    int rows = countRows(file, bytes, Float.BYTES, rowsMax);
    float[][] vectors = new float[rows][];
    for (int i = 0; i < rows; i++) {
      float[] row = new float[bytes.getInt()];
      bytes.asFloatBuffer().get(row);
      bytes.position(bytes.position() + row.length * Float.BYTES);
      vectors[i] = row;
    }
    return vectors;
  }

  public static int[][] readIvecs(Path file) {
    ByteBuffer bytes = readAll(file);
    int rows = countRows(file, bytes, Integer.BYTES, Integer.MAX_VALUE);
    int[][] values = new int[rows][];
    for (int i = 0; i < rows; i++) {
      int[] row = new int[bytes.getInt()];
      bytes.asIntBuffer().get(row);
      bytes.position(bytes.position() + row.length * Integer.BYTES);
      values[i] = row;
    }
    return values;
  }

  /** Reads byte vectors (e.g. SIFT1B) widened to floats. */
  public static float[][] readBvecs(Path file, int rowsMax) {
    ByteBuffer bytes = readAll(file);
    int rows = countRows(file, bytes, 1, rowsMax);
    float[][] vectors = new float[rows][];
    for (int i = 0; i < rows; i++) {
      float[] row = new float[bytes.getInt()];
      for (int j = 0; j < row.length; j++) {
        row[j] = bytes.get() & 0xff;
      }
      vectors[i] = row;
    }
    return vectors;
  }

  public static void writeFvecs(Path file, float[][] vectors) {
    long size = 0;
    for (float[] v : vectors) {
      size += Integer.BYTES + (long) v.length * Float.BYTES;
    }
    ByteBuffer out = allocate(file, size);
    for (float[] v : vectors) {
      out.putInt(v.length);
      out.asFloatBuffer().put(v);
      out.position(out.position() + v.length * Float.BYTES);
    }
    writeAll(file, out);
  }

  public static void writeIvecs(Path file, int[][] rows) {
    long size = 0;
    for (int[] r : rows) {
      size += Integer.BYTES + (long) r.length * Integer.BYTES;
    }
    ByteBuffer out = allocate(file, size);
    for (int[] r : rows) {
      out.putInt(r.length);
      out.asIntBuffer().put(r);
      out.position(out.position() + r.length * Integer.BYTES);
    }
    writeAll(file, out);
  }

  /** Validates the row structure of the whole buffer and returns min(rows, rowsMax). */
  private static int countRows(Path file, ByteBuffer bytes, int elementBytes, int rowsMax) {
    int rows = 0;
    int firstLength = -1;
    int position = 0;
    int limit = bytes.limit();
    while (position < limit && rows < rowsMax) {
      if (limit - position < Integer.BYTES) {
        throw new CorruptFileException(file + ": truncated header of row " + rows);
      }
      int length = bytes.getInt(position);
      if (length <= 0 || length > ROW_LENGTH_MAX || (firstLength >= 0 && length != firstLength)) {
        throw new CorruptFileException(file + ": row " + rows + " declares length " + length
            + (firstLength >= 0 ? " (row 0 has " + firstLength + ")" : "") + "; not a vector file?");
      }
      firstLength = length;
      long next = (long) position + Integer.BYTES + (long) length * elementBytes;
      if (next > limit) {
        throw new CorruptFileException(file + ": row " + rows + " is truncated (file ends at byte "
            + limit + ", row needs " + next + ")");
      }
      position = (int) next;
      rows++;
    }
    if (rows == 0) {
      throw new CorruptFileException(file + ": holds no vectors");
    }
    return rows;
  }

  private static ByteBuffer readAll(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size > Integer.MAX_VALUE - 8) {
        throw new StorageIoException(file + " is " + size + " bytes; files over 2 GiB must be read"
            + " with a row limit in several calls");
      }
      ByteBuffer bytes = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
      while (bytes.hasRemaining() && channel.read(bytes) >= 0) {
        // read until full or end of file
      }
      bytes.flip();
      return bytes;
    } catch (IOException e) {
      throw new StorageIoException("cannot read " + file + ": " + e, e);
    }
  }

  private static ByteBuffer allocate(Path file, long size) {
    if (size > Integer.MAX_VALUE - 8) {
      throw new StorageIoException("cannot write " + file + ": " + size + " bytes is over 2 GiB");
    }
    return ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void writeAll(Path file, ByteBuffer out) {
    out.flip();
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        while (out.hasRemaining()) {
          channel.write(out);
        }
      }
    } catch (IOException e) {
      throw new StorageIoException("cannot write " + file + ": " + e, e);
    }
  }
}
