package io.trident.nativelib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.error.ClosedHandleException;
import io.trident.error.InvalidArgumentException;
import io.trident.error.StorageIoException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GroupCommitFile contract on io_uring; {@link GroupCommitFileFallbackTest} runs the same
 * tests on the forced blocking fallback (Netty-style: one suite, subclassed per transport).
 */
class GroupCommitFileTest {
  @TempDir Path dir;

  /** Whether this suite forces the blocking fallback. */
  boolean forceFallback() {
    return false;
  }

  @BeforeEach
  void requireBackend() {
    if (!forceFallback()) {
      Assumptions.assumeTrue(GroupCommitFile.isIoUringAvailable(),
          () -> "io_uring unavailable: " + GroupCommitFile.ioUringUnavailabilityCause());
    }
  }

  GroupCommitFile open(Path path, int syncsInFlightMax) {
    return GroupCommitFile.open(path, syncsInFlightMax, forceFallback());
  }

  static byte[] pattern(int length, int seed) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) ('A' + (i * 7 + seed * 13) % 58);
    }
    return bytes;
  }

  static ByteBuffer direct(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length);
    buffer.put(bytes).flip();
    return buffer;
  }

  @Test
  void usesTheRequestedBackend() {
    try (GroupCommitFile file = open(dir.resolve("journal"), 4)) {
      assertEquals(!forceFallback(), file.usesIoUring());
    }
    assertEquals(GroupCommitFile.isIoUringAvailable(),
        GroupCommitFile.ioUringUnavailabilityCause() == null);
  }

  @Test
  void ticketsIncreaseAndBecomeDurableInOrder() {
    try (GroupCommitFile file = open(dir.resolve("journal"), 4)) {
      long previous = 0;
      for (int i = 0; i < 200; i++) {
        long ticket = file.requestSync();
        assertEquals(previous + 1, ticket);
        assertTrue(file.durableTicket() >= ticket - 4, "window bounds pending tickets");
        if (i % 5 == 0) {
          file.awaitDurable(ticket);
          assertTrue(file.durableTicket() >= ticket);
        }
        previous = ticket;
      }
      file.awaitDurable(previous);
      assertEquals(200, file.durableTicket());
      file.awaitDurable(1);
    }
  }

  @Test
  void writtenBytesReadBackFromTheBufferPosition() throws Exception {
    Path path = dir.resolve("journal");
    byte[] bytes = pattern(10_000, 1);
    ByteBuffer buffer = direct(bytes);
    buffer.position(3);
    try (GroupCommitFile file = open(path, 4)) {
      long first = file.writeAndRequestSync(buffer, 0, 5_000);
      long second = file.writeAndRequestSync(buffer, 20_000, 4_000);
      assertEquals(first + 1, second);
      file.awaitDurable(second);
    }
    assertEquals(3, buffer.position(), "the call does not move the buffer");
    byte[] content = Files.readAllBytes(path);
    assertEquals(24_000, content.length);
    assertArrayEquals(Arrays.copyOfRange(bytes, 3, 5_003), Arrays.copyOfRange(content, 0, 5_000));
    assertArrayEquals(new byte[15_000], Arrays.copyOfRange(content, 5_000, 20_000));
    assertArrayEquals(
        Arrays.copyOfRange(bytes, 3, 4_003), Arrays.copyOfRange(content, 20_000, 24_000));
  }

  @Test
  void syncCoversBytesStoredThroughAMemoryMap() throws Exception {
    Path path = dir.resolve("mapped");
    byte[] bytes = pattern(4096, 2);
    try (GroupCommitFile file = open(path, 2);
        FileChannel channel =
            FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      file.preallocate(0, 1 << 20);
      // The zeros are made durable by a ticket of the file's one sync pipeline (issue 6: no
      // fdatasync of their own that could swallow a commit's writeback error): ticket 1.
      assertEquals(1, file.durableTicket());
      MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, 1 << 20);
      map.put(8192, bytes);
      long ticket = file.requestSync();
      assertEquals(2, ticket);
      file.awaitDurable(ticket);
      assertEquals(ticket, file.durableTicket());
    }
    byte[] content = Files.readAllBytes(path);
    assertArrayEquals(bytes, Arrays.copyOfRange(content, 8192, 8192 + 4096));
  }

  @Test
  void concurrentWritersAllLandDurably() throws Exception {
    Path path = dir.resolve("journal");
    int threads = 4;
    int recordsPerThread = 40;
    int recordBytes = 256;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (GroupCommitFile file = open(path, 4)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int r = 0; r < recordsPerThread; r++) {
            int index = thread * recordsPerThread + r;
            long ticket = file.writeAndRequestSync(
                direct(pattern(recordBytes, index)), (long) index * recordBytes, recordBytes);
            file.awaitDurable(ticket);
          }
          return null;
        }));
      }
      for (Future<?> future : done) {
        future.get(30, TimeUnit.SECONDS);
      }
      assertEquals(threads * recordsPerThread, file.durableTicket());
    } finally {
      pool.shutdownNow();
    }
    byte[] content = Files.readAllBytes(path);
    for (int index = 0; index < threads * recordsPerThread; index++) {
      assertArrayEquals(pattern(recordBytes, index),
          Arrays.copyOfRange(content, index * recordBytes, (index + 1) * recordBytes));
    }
  }

  @Test
  void preallocateExtendsWithZerosAndKeepsExistingBytes() throws Exception {
    Path path = dir.resolve("journal");
    byte[] head = pattern(3000, 3);
    try (GroupCommitFile file = open(path, 4)) {
      file.awaitDurable(file.writeAndRequestSync(direct(head), 0, head.length));
      file.preallocate(0, 1 << 20);
      assertEquals(1 << 20, Files.size(path));
      file.preallocate(1 << 20, 0);
    }
    byte[] content = Files.readAllBytes(path);
    assertArrayEquals(head, Arrays.copyOfRange(content, 0, 3000));
    assertArrayEquals(new byte[(1 << 20) - 3000], Arrays.copyOfRange(content, 3000, 1 << 20));
  }

  @Test
  void preallocatePageByPageZerosAroundExistingBytes() throws Exception {
    Path path = dir.resolve("journal");
    byte[] head = pattern(3000, 5);
    byte[] middle = pattern(5000, 6);
    int end = (2 << 20) + 777;
    try (GroupCommitFile file = open(path, 1)) {
      file.awaitDurable(file.writeAndRequestSync(direct(head), 0, head.length));
      file.awaitDurable(file.writeAndRequestSync(direct(middle), 600_000, middle.length));
      file.preallocatePageByPage(100, end - 100);
      assertEquals(end, Files.size(path));
      assertThrows(InvalidArgumentException.class, () -> file.preallocatePageByPage(-1, 10));
    }
    byte[] expected = new byte[end];
    System.arraycopy(head, 0, expected, 0, head.length);
    System.arraycopy(middle, 0, expected, 600_000, middle.length);
    assertArrayEquals(expected, Files.readAllBytes(path));
  }

  /**
   * Zeroing beside commits: while one thread zeroes [1 MiB, 3 MiB + 777) through its own
   * descriptor, this one keeps committing below it with ranged syncs; afterwards the commits'
   * bytes and the bytes that were there are intact, and the rest of the range reads as zeros.
   */
  @Test
  void preallocateBesideCommitsZerosAboveWhileRangedCommitsRunBelow() throws Exception {
    Path path = dir.resolve("journal");
    byte[] existing = pattern(5000, 7);
    int zeroFrom = 1 << 20;
    int end = (3 << 20) + 777;
    byte[] expected = new byte[end];
    try (GroupCommitFile file = open(path, 1)) {
      file.awaitDurable(file.writeAndRequestSync(direct(existing), 2_000_000, existing.length));
      System.arraycopy(existing, 0, expected, 2_000_000, existing.length);
      ExecutorService zeroing = Executors.newSingleThreadExecutor();
      try {
        Future<?> zeros =
            zeroing.submit(() -> file.preallocateBesideCommits(zeroFrom, end - zeroFrom));
        for (int batch = 0; batch < 64; batch++) {
          byte[] record = pattern(4000, batch);
          long ticket = file.writeAndRequestSync(direct(record), batch * 4000L, record.length);
          file.awaitDurable(ticket);
          file.syncRange(0, zeroFrom);
          System.arraycopy(record, 0, expected, batch * 4000, record.length);
        }
        zeros.get(60, TimeUnit.SECONDS);
      } finally {
        zeroing.shutdown();
      }
      assertEquals(end, Files.size(path));
      assertThrows(InvalidArgumentException.class, () -> file.preallocateBesideCommits(-1, 10));
    }
    assertArrayEquals(expected, Files.readAllBytes(path));
  }

  @Test
  void syncRangeTakesTicketsInOrderAndRejectsEmptyOrNegativeRanges() throws Exception {
    try (GroupCommitFile file = open(dir.resolve("journal"), 2)) {
      long first = file.writeAndRequestSync(direct(pattern(4096, 8)), 0, 4096);
      long ranged = file.requestSyncRange(0, 4096);
      long toTheEnd = file.requestSyncRange(4096, Long.MAX_VALUE - 4096); // beyond 4 GiB: to EOF
      assertEquals(first + 1, ranged);
      assertEquals(ranged + 1, toTheEnd);
      file.awaitDurable(toTheEnd);
      assertEquals(toTheEnd, file.durableTicket());
      file.syncRange(100, 1);
      assertEquals(toTheEnd + 1, file.durableTicket());
      assertThrows(InvalidArgumentException.class, () -> file.requestSyncRange(-1, 10));
      assertThrows(InvalidArgumentException.class, () -> file.requestSyncRange(0, 0));
      assertThrows(InvalidArgumentException.class, () -> file.requestSyncRange(Long.MAX_VALUE, 2));
    }
  }

  @Test
  void writeErrorBecomesStorageIoExceptionAndFailsLaterCallsFast() {
    try (GroupCommitFile file = open(Path.of("/dev/full"), 4)) {
      StorageIoException failure = assertThrows(StorageIoException.class,
          () -> file.awaitDurable(file.writeAndRequestSync(direct(pattern(4096, 4)), 0, 4096)));
      assertTrue(failure.getMessage().contains("/dev/full: pwritev: No space left on device"),
          failure.getMessage());
      StorageIoException later = assertThrows(StorageIoException.class, file::requestSync);
      assertEquals(failure.getMessage(), later.getMessage());
      assertThrows(StorageIoException.class, () -> file.preallocate(0, 4096));
    }
  }

  @Test
  void fdatasyncErrorBecomesStorageIoException() {
    try (GroupCommitFile file = open(Path.of("/dev/null"), 2)) {
      StorageIoException failure = assertThrows(StorageIoException.class, file::sync);
      assertTrue(failure.getMessage().contains("fdatasync: Invalid argument"),
          failure.getMessage());
    }
  }

  @Test
  void openInMissingDirectoryIsStorageIoException() {
    StorageIoException failure = assertThrows(StorageIoException.class,
        () -> open(dir.resolve("missing").resolve("journal"), 4));
    assertTrue(failure.getMessage().contains("No such file or directory"), failure.getMessage());
  }

  @Test
  void invalidArgumentsAreRejectedBeforeNative() {
    assertThrows(InvalidArgumentException.class, () -> open(dir.resolve("a"), 0));
    assertThrows(InvalidArgumentException.class, () -> open(dir.resolve("a"), 65));
    try (GroupCommitFile file = open(dir.resolve("journal"), 4)) {
      ByteBuffer heap = ByteBuffer.allocate(16);
      assertThrows(InvalidArgumentException.class, () -> file.writeAndRequestSync(heap, 0, 16));
      ByteBuffer small = ByteBuffer.allocateDirect(16);
      assertThrows(InvalidArgumentException.class, () -> file.writeAndRequestSync(small, 0, 17));
      assertThrows(InvalidArgumentException.class, () -> file.writeAndRequestSync(small, -1, 1));
      assertThrows(InvalidArgumentException.class, () -> file.awaitDurable(-1));
      assertThrows(InvalidArgumentException.class, () -> file.awaitDurable(5));
      assertThrows(InvalidArgumentException.class, () -> file.preallocate(-1, 10));
      file.sync();
      assertEquals(1, file.durableTicket());
    }
  }

  @Test
  void closeIsIdempotentAndLaterCallsThrowClosedHandle() throws Exception {
    GroupCommitFile file = open(dir.resolve("journal"), 4);
    long ticket = file.requestSync();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> first = pool.submit(file::close);
      Future<?> second = pool.submit(file::close);
      first.get(10, TimeUnit.SECONDS);
      second.get(10, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    file.close();
    assertThrows(ClosedHandleException.class, file::requestSync);
    assertThrows(ClosedHandleException.class, () -> file.awaitDurable(ticket));
    assertThrows(ClosedHandleException.class, () -> file.preallocate(0, 10));
    assertThrows(ClosedHandleException.class,
        () -> file.writeAndRequestSync(ByteBuffer.allocateDirect(1), 0, 1));
  }

  @Test
  void closeWaitsForWritersInProgressAndTheirBytesLand() throws Exception {
    Path path = dir.resolve("journal");
    GroupCommitFile file = open(path, 2);
    int records = 50;
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> writer = pool.submit(() -> {
        int written = 0;
        try {
          for (; written < records; written++) {
            file.writeAndRequestSync(direct(pattern(512, written)), written * 512L, 512);
          }
        } catch (ClosedHandleException expected) {
          // close() won the race: later calls fail cleanly, never crash
        }
        return written;
      });
      Thread.sleep(5);
      file.close();
      int written = writer.get(30, TimeUnit.SECONDS);
      byte[] content = Files.readAllBytes(path);
      for (int index = 0; index < written; index++) {
        assertArrayEquals(pattern(512, index),
            Arrays.copyOfRange(content, index * 512, (index + 1) * 512));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void availabilityCauseIsNullExactlyWhenAvailable() {
    if (GroupCommitFile.isIoUringAvailable()) {
      assertNull(GroupCommitFile.ioUringUnavailabilityCause());
    } else {
      assertTrue(!GroupCommitFile.ioUringUnavailabilityCause().isEmpty());
    }
  }
}
