package io.trident.internal.nativelib;

import java.nio.ByteBuffer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Name;
import org.bytedeco.javacpp.annotation.Namespace;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * JavaCPP mapping of {@code trident::GroupCommitFile} (see native/include/trident/group_commit.h
 * for tickets, ordering, thread rules and errors). Internal: the owner is
 * io.trident.nativelib.GroupCommitFile, which validates every argument first, keeps written
 * buffers reachable until their ticket is durable, and calls {@link #destroy} exactly once after
 * every other call returned.
 */
@Platform(include = "trident/group_commit.h", link = "trident_core")
@Namespace("trident")
@Name("GroupCommitFile")
public class NativeGroupCommit extends Pointer {
  static {
    Loader.load();
  }

  /** Backend codes of {@link #open}. */
  public static final int BACKEND_AUTO = 0;
  public static final int BACKEND_BLOCKING = 1;

  /** Wraps a pointer returned by {@link #open}. */
  public NativeGroupCommit(Pointer p) {
    super(p);
  }

  public static native NativeGroupCommit open(
      @Cast("const char*") String path, int syncsInFlightMax, int backend);

  // Free functions: "::trident" resets the scope (plain "trident" would nest it in the class).

  /** Waits for in-flight operations, closes the descriptor and frees the object. */
  @Name("destroy_group_commit_file")
  @Namespace("::trident")
  public static native void destroy(NativeGroupCommit file);

  public native @Cast("bool") boolean uses_io_uring();

  public native @Cast("const char*") String backend_reason();

  public native @Cast("int64_t") long request_sync();

  /**
   * Writes {@code length} bytes of a direct buffer, starting at the buffer's position (JavaCPP
   * passes the address of element {@code position()}), to file offset {@code offset}, then syncs.
   */
  public native @Cast("int64_t") long write_one_and_request_sync(
      @Cast("const void*") ByteBuffer data, @Cast("int64_t") long offset,
      @Cast("int64_t") long length);

  public native @Cast("int64_t") long request_sync_range(
      @Cast("int64_t") long offset, @Cast("int64_t") long bytes);

  public native void await_durable(@Cast("int64_t") long ticket);

  public native @Cast("int64_t") long durable_ticket();

  public native void preallocate(@Cast("int64_t") long offset, @Cast("int64_t") long bytes);

  /** preallocate with zeros written in pwrites of at most zeroWriteBytes (1..1 MiB). */
  public native void preallocate(
      @Cast("int64_t") long offset, @Cast("int64_t") long bytes, int zeroWriteBytes);

  public native void preallocate_beside_commits(
      @Cast("int64_t") long offset, @Cast("int64_t") long bytes);

  @Name("io_uring_available")
  @Namespace("::trident")
  public static native @Cast("bool") boolean ioUringAvailable();

  @Name("io_uring_unavailability_cause")
  @Namespace("::trident")
  public static native @Cast("const char*") String ioUringUnavailabilityCause();

  /**
   * Raw pwrite + fdatasync group commit for benchmarks; results[0..6] = records/s, syncs/s, p50
   * us, p99 us, records, syncs, used io_uring (1/0).
   */
  @Name("raw_group_commit_into")
  @Namespace("::trident")
  public static native void rawGroupCommit(
      @Cast("const char*") String path,
      int recordBytes,
      int recordsPerSync,
      int syncsInFlightMax,
      double seconds,
      @Cast("int64_t") long preallocateBytes,
      DoublePointer results);
}
