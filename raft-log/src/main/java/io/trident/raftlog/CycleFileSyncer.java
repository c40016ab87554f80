package io.trident.raftlog;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Makes one Chronicle cycle file durable: {@link #sync()} returns once every byte written to the
 * file before the call (through Chronicle's mmap or otherwise) is on stable storage (fdatasync).
 *
 * <p>Thread rules: one instance per open cycle file, used by the journal's single disk thread.
 */
interface CycleFileSyncer extends AutoCloseable {

  /** Opens a syncer for {@code cycleFile}; the file must exist. */
  interface Factory {
    CycleFileSyncer open(Path cycleFile) throws IOException;

    /** Short name for logs and benchmark labels, e.g. "io_uring" or "fdatasync". */
    String describe();
  }

  /** fdatasync of the whole file; blocks until durable. */
  void sync() throws IOException;

  /**
   * Makes durable every byte written at or after {@code appendedFrom} (the append position the
   * last {@link #prepareAhead} passed: the records written since), and the file's metadata;
   * bytes written below it (Chronicle's header page with its write position, index entries) need
   * not be, so a syncer may leave them to a later {@link #sync()} or to the kernel's write-back.
   * The caller calls {@link #sync()} instead whenever it needs those too. Default: {@link #sync()}.
   */
  default void syncAppended(long appendedFrom) throws IOException {
    sync();
  }

  /**
   * Called after a sync with the file offset where the next record will be written; a syncer may
   * allocate and zero the blocks ahead of it (nothing is written there meanwhile).
   */
  default void prepareAhead(long appendPosition) throws IOException {}

  /**
   * Called before a record of {@code recordBytes} is written at the append position last passed to
   * {@link #prepareAhead}; returns once nothing this syncer does in the background can touch the
   * bytes that write will store.
   */
  default void beforeWrite(long recordBytes) throws IOException {}

  @Override
  void close() throws IOException;
}
