package io.trident.nativelib;

import io.trident.error.InvalidArgumentException;
import io.trident.internal.nativelib.NativeErrors;
import io.trident.internal.nativelib.NativeGroupCommit;
import java.nio.file.Path;
import org.bytedeco.javacpp.DoublePointer;

/**
 * The disk's limit for benchmarks: native pwrite + fdatasync group commit with no bookkeeping.
 * Each batch is {@code recordsPerSync} records of {@code recordBytes} written with one pwrite and
 * followed by an fdatasync (io_uring when available), up to {@code syncsInFlightMax} in flight.
 */
public final class RawGroupCommitBaseline {
  private RawGroupCommitBaseline() {}

  /** What one run measured; latencies from a batch's pwrite to its sync's completion. */
  public record Result(
      double recordsPerSecond,
      double syncsPerSecond,
      double syncLatencyP50Micros,
      double syncLatencyP99Micros,
      long records,
      long syncs,
      boolean usedIoUring) {}

  /**
   * Runs for {@code seconds} on {@code file} (created/truncated, removed at the end). With
   * {@code preallocateBytes > 0} the file is zero-filled to that size before the clock starts and
   * batches wrap around inside it (pure overwrites); with 0 every batch extends the file.
   */
  public static Result run(
      Path file,
      int recordBytes,
      int recordsPerSync,
      int syncsInFlightMax,
      double seconds,
      long preallocateBytes) {
    if (file == null || recordBytes <= 0 || recordsPerSync <= 0 || seconds <= 0
        || syncsInFlightMax < 1 || syncsInFlightMax > GroupCommitFile.SYNCS_IN_FLIGHT_LIMIT
        || preallocateBytes < 0) {
      throw new InvalidArgumentException(
          "raw group commit needs a file, recordBytes > 0, recordsPerSync > 0, seconds > 0,"
              + " syncsInFlightMax in 1..64 and preallocateBytes >= 0");
    }
    TridentNative.ensureAvailability();
    try (DoublePointer results = new DoublePointer(7)) {
      NativeGroupCommit.rawGroupCommit(file.toAbsolutePath().toString(), recordBytes,
          recordsPerSync, syncsInFlightMax, seconds, preallocateBytes, results);
      return new Result(results.get(0), results.get(1), results.get(2), results.get(3),
          (long) results.get(4), (long) results.get(5), results.get(6) != 0.0);
    } catch (RuntimeException failure) {
      throw NativeErrors.translate(failure);
    }
  }
}
