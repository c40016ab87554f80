package io.trident.internal.node;

import io.trident.KeyValue;
import io.trident.error.ClosedHandleException;
import io.trident.error.StorageIoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.lmdbjava.CopyFlags;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.GetOp;
import org.lmdbjava.LmdbException;
import org.lmdbjava.Txn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member's replicated state in one LMDB environment: databases {@code kv} (the user's keys),
 * {@code dedup} (results of recent entries and batch ids, for idempotent retries), {@code
 * dedup_by_index} (which dedup keys each Raft index added, for pruning) and {@code meta} (the
 * applied index, written in the same transaction as the state it covers).
 *
 * <p>Durability: commits do not fsync ({@code MDB_NOSYNC}). The Raft log is the durable record
 * and the state is derived from it: a process crash loses nothing (the page cache keeps every
 * write) and the state machine skips what is at or below the applied index on replay. A machine
 * crash while open is detected at the next open ({@link UncleanShutdownMarker}) and the state is
 * discarded, to be rebuilt from the last snapshot and the log. A clean close syncs.
 *
 * <p>Threads: one writer (jraft's state-machine thread) through {@link #write}; reads from any
 * thread (MDB_NOTLS). {@link #replaceWith} swaps the files under an exclusive lock.
 */
final class StateStore implements AutoCloseable {
  static final String DATA_FILE = "data.mdb";
  private static final long MAP_SIZE_BYTES = 1L << 40;
  private static final int MAX_READERS = 1024;
  private static final ByteBuffer APPLIED_INDEX_KEY = direct(new byte[] {'a'});

  private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);

  private final Path directory;
  private final UncleanShutdownMarker marker;
  private final ReentrantReadWriteLock swapLock = new ReentrantReadWriteLock();
  private final ThreadLocal<ByteBuffer> readKeyScratch =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(1024));
  private final StateWrite.Scratch writeScratch = new StateWrite.Scratch();
  private final ByteBuffer appliedIndexValue = ByteBuffer.allocateDirect(Long.BYTES);
  private Env<ByteBuffer> env;
  private Dbi<ByteBuffer> kv;
  private Dbi<ByteBuffer> dedup;
  private Dbi<ByteBuffer> dedupByIndex;
  private Dbi<ByteBuffer> meta;
  private volatile long appliedIndex;

  StateStore(Path directory) {
    this.directory = directory;
    this.marker = new UncleanShutdownMarker(directory);
    try {
      if (marker.machineCrashedWhileOpen()) {
        LOG.warn("the machine went down while the state in {} was open (power loss or OS"
            + " crash): discarding it; it is rebuilt from the last snapshot and the log",
            directory);
        Files.deleteIfExists(directory.resolve(DATA_FILE));
        Files.deleteIfExists(directory.resolve("lock.mdb"));
      }
      marker.markOpen();
    } catch (IOException e) {
      throw new StorageIoException("cannot prepare the state store in " + directory + ": " + e,
          e);
    }
    open();
  }

  private void open() {
    try {
      Files.createDirectories(directory);
      env = Env.create().setMapSize(MAP_SIZE_BYTES).setMaxDbs(8).setMaxReaders(MAX_READERS)
          .open(directory.toFile(), EnvFlags.MDB_NOTLS, EnvFlags.MDB_NOSYNC);
      kv = env.openDbi("kv", DbiFlags.MDB_CREATE);
      dedup = env.openDbi("dedup", DbiFlags.MDB_CREATE);
      dedupByIndex = env.openDbi("dedup_by_index", DbiFlags.MDB_CREATE);
      meta = env.openDbi("meta", DbiFlags.MDB_CREATE);
      try (Txn<ByteBuffer> txn = env.txnRead()) {
        ByteBuffer value = meta.get(txn, APPLIED_INDEX_KEY);
        appliedIndex = value == null ? 0 : value.getLong(0);
      }
    } catch (IOException | LmdbException e) {
      throw new StorageIoException("cannot open the state store in " + directory + ": " + e, e);
    }
  }

  /** The last Raft index whose operations are in the state (0: none). */
  long appliedIndex() {
    return appliedIndex;
  }

  /** One write transaction's work; used only by the state-machine thread. */
  interface Writer {
    /** Applies entries through {@code write}; returns the new applied index (or the old one). */
    long apply(StateWrite write);
  }

  /**
   * Runs {@code writer} in one write transaction that also records the applied index it returns;
   * commits, then publishes the index. Nothing is committed when the index did not move; a
   * failure (thrown by the writer or LMDB) aborts the whole transaction.
   */
  void write(Writer writer) {
    swapLock.readLock().lock();
    try (Txn<ByteBuffer> txn = env.txnWrite()) {
      long newAppliedIndex = writer.apply(new StateWrite(env, writeScratch, txn, kv, dedup,
          dedupByIndex));
      if (newAppliedIndex == appliedIndex) {
        txn.abort();
        return;
      }
      meta.put(txn, APPLIED_INDEX_KEY, appliedIndexValue.putLong(0, newAppliedIndex));
      txn.commit();
      appliedIndex = newAppliedIndex;
    } catch (LmdbException e) {
      throw new StorageIoException("state store write failed in " + directory + ": " + e, e);
    } finally {
      swapLock.readLock().unlock();
    }
  }

  /** The value of {@code key}, or null. */
  byte[] get(byte[] key) {
    swapLock.readLock().lock();
    try (Txn<ByteBuffer> txn = txnRead()) {
      ByteBuffer value = kv.get(txn, keyBuffer(key));
      return value == null ? null : copy(value);
    } finally {
      swapLock.readLock().unlock();
    }
  }

  /** Entries with {@code from <= key < to} (nulls unbounded), at most {@code limit}. */
  List<KeyValue> scan(byte[] from, byte[] to, int limit) {
    List<KeyValue> out = new ArrayList<>();
    swapLock.readLock().lock();
    try (Txn<ByteBuffer> txn = txnRead(); Cursor<ByteBuffer> cursor = kv.openCursor(txn)) {
      boolean found = from == null ? cursor.first() : cursor.get(keyBuffer(from),
          GetOp.MDB_SET_RANGE);
      while (found && out.size() < limit) {
        byte[] key = copy(cursor.key());
        if (to != null && java.util.Arrays.compareUnsigned(key, to) >= 0) {
          break;
        }
        out.add(new KeyValue(key, copy(cursor.val())));
        found = cursor.next();
      }
      return out;
    } finally {
      swapLock.readLock().unlock();
    }
  }

  /** Number of user keys (for tests and stats). */
  long size() {
    swapLock.readLock().lock();
    try (Txn<ByteBuffer> txn = txnRead()) {
      return kv.stat(txn).entries;
    } finally {
      swapLock.readLock().unlock();
    }
  }

  /** Writes a compact, consistent copy of the environment ({@value #DATA_FILE}) into {@code dir}. */
  void copyTo(Path dir) {
    swapLock.readLock().lock();
    try {
      Files.createDirectories(dir);
      env.copy(dir.toFile(), CopyFlags.MDB_CP_COMPACT);
      fsync(dir.resolve(DATA_FILE), false);
      fsync(dir, true);
    } catch (IOException | LmdbException e) {
      throw new StorageIoException("state snapshot copy to " + dir + " failed: " + e, e);
    } finally {
      swapLock.readLock().unlock();
    }
  }

  /**
   * Replaces the state with the environment copy in {@code snapshotDir} (durably: copied beside,
   * fsynced, renamed over, directory fsynced), then reopens.
   */
  void replaceWith(Path snapshotDir) {
    swapLock.writeLock().lock();
    try {
      closeEnv();
      Path staged = directory.resolve(DATA_FILE + ".incoming");
      Files.copy(snapshotDir.resolve(DATA_FILE), staged, StandardCopyOption.REPLACE_EXISTING);
      fsync(staged, false);
      Files.deleteIfExists(directory.resolve("lock.mdb"));
      Files.move(staged, directory.resolve(DATA_FILE), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      fsync(directory, true);
      open();
    } catch (IOException e) {
      throw new StorageIoException("installing snapshot " + snapshotDir + " into " + directory
          + " failed: " + e, e);
    } finally {
      swapLock.writeLock().unlock();
    }
  }

  private Txn<ByteBuffer> txnRead() {
    if (env == null || env.isClosed()) {
      throw new ClosedHandleException("the state store in " + directory + " is closed");
    }
    return env.txnRead();
  }

  private ByteBuffer keyBuffer(byte[] key) {
    ByteBuffer scratch = readKeyScratch.get();
    scratch.clear();
    scratch.put(key).flip();
    return scratch;
  }

  static byte[] copy(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }

  private static ByteBuffer direct(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length);
    buffer.put(bytes).flip();
    return buffer;
  }

  private static void fsync(Path path, boolean directory) throws IOException {
    try (FileChannel channel = directory ? FileChannel.open(path, StandardOpenOption.READ)
        : FileChannel.open(path, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  private void closeEnv() {
    if (env != null && !env.isClosed()) {
      env.close();
    }
  }

  @Override
  public void close() {
    swapLock.writeLock().lock();
    try {
      if (env != null && !env.isClosed()) {
        env.sync(true);
        closeEnv();
        marker.markClosed();
      }
    } catch (IOException | LmdbException e) {
      LOG.error("state store {} did not close cleanly ({}); the next open treats it as crashed",
          directory, e.toString());
    } finally {
      swapLock.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "StateStore{" + directory + ", applied=" + appliedIndex + "}";
  }
}
