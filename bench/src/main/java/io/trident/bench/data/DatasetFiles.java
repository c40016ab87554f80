package io.trident.bench.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Texmex vector files as used by the benchmark tools: {@code .fvecs} (per row an int32 length
 * then that many float32), {@code .ivecs} (int32 rows) and {@code .bvecs} (uint8 rows), all
 * little-endian. Rows are returned as one array per row. Stateless; thread-safe.
 */
public final class DatasetFiles {
  private static final int ROW_LENGTH_MAX = 1 << 20;

  private DatasetFiles() {}

  /** Reads every row of an {@code .fvecs} file. */
  public static float[][] readFvecs(Path file) {
    List<float[]> rows = new ArrayList<>();
    readRows(file, 4, (buffer, length) -> {
      float[] row = new float[length];
      buffer.asFloatBuffer().get(row);
      rows.add(row);
    });
    return rows.toArray(new float[0][]);
  }

  /** Reads every row of an {@code .ivecs} file. */
  public static int[][] readIvecs(Path file) {
    List<int[]> rows = new ArrayList<>();
    readRows(file, 4, (buffer, length) -> {
      int[] row = new int[length];
      buffer.asIntBuffer().get(row);
      rows.add(row);
    });
    return rows.toArray(new int[0][]);
  }

  /** Reads every row of a {@code .bvecs} file, widening each unsigned byte to a float. */
  public static float[][] readBvecs(Path file) {
    List<float[]> rows = new ArrayList<>();
    readRows(file, 1, (buffer, length) -> {
      float[] row = new float[length];
      for (int i = 0; i < length; i++) {
        row[i] = buffer.get(i) & 0xFF;
      }
      rows.add(row);
    });
    return rows.toArray(new float[0][]);
  }

  /** Reads vectors in the format named by the file's extension (fvecs or bvecs). */
  public static float[][] readVectors(Path file) {
    String name = file.getFileName().toString();
    if (name.endsWith(".bvecs")) {
      return readBvecs(file);
    }
    if (name.endsWith(".fvecs")) {
      return readFvecs(file);
    }
    throw new IllegalArgumentException("expected a .fvecs or .bvecs file: " + file);
  }

  /** Writes rows as {@code .fvecs}, replacing the file. */
  public static void writeFvecs(Path file, float[][] rows) {
    writeRows(file, rows.length, (buffer, index) -> {
      buffer.putInt(rows[index].length);
      for (float value : rows[index]) {
        buffer.putFloat(value);
      }
    }, index -> 4 + 4 * rows[index].length);
  }

  /** Writes rows as {@code .ivecs}, replacing the file. */
  public static void writeIvecs(Path file, int[][] rows) {
    writeRows(file, rows.length, (buffer, index) -> {
      buffer.putInt(rows[index].length);
      for (int value : rows[index]) {
        buffer.putInt(value);
      }
    }, index -> 4 + 4 * rows[index].length);
  }

  private interface RowSink {
    void accept(ByteBuffer rowBytes, int length);
  }

  private interface RowSource {
    void put(ByteBuffer buffer, int index);
  }

  private interface RowSize {
    int bytes(int index);
  }

  private static void readRows(Path file, int valueBytes, RowSink sink) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      DataInputStream data = new DataInputStream(in);
      byte[] header = new byte[4];
      while (true) {
        int first = in.read();
        if (first < 0) {
          return;
        }
        header[0] = (byte) first;
        data.readFully(header, 1, 3);
        int length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (length <= 0 || length > ROW_LENGTH_MAX) {
          throw new IllegalArgumentException(file + ": bad row length " + length);
        }
        byte[] row = new byte[length * valueBytes];
        data.readFully(row);
        sink.accept(ByteBuffer.wrap(row).order(ByteOrder.LITTLE_ENDIAN), length);
      }
    } catch (EOFException e) {
      throw new IllegalArgumentException(file + ": truncated file", e);
    } catch (IOException e) {
      throw new UncheckedIOException(file.toString(), e);
    }
  }

  private static void writeRows(Path file, int count, RowSource source, RowSize size) {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      for (int i = 0; i < count; i++) {
        ByteBuffer buffer = ByteBuffer.allocate(size.bytes(i)).order(ByteOrder.LITTLE_ENDIAN);
        source.put(buffer, i);
        out.write(buffer.array());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(file.toString(), e);
    }
  }
}
