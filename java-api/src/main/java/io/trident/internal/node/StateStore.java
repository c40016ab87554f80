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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import java.util.function.BiConsumer;
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
 * The member's replicated state: recent changes in memory ({@link MemTable}), everything older in
 * one LMDB environment with databases {@code kv} (the user's keys), {@code dedup} (results of
 * recent entries and batch ids, for idempotent retries, see {@link DedupRecord}), {@code
 * dedup_by_index} (which dedup keys each Raft index added, for pruning), {@code collections} (the
 * vector collection catalogue) and {@code vectors} (their records, see {@link
 * CollectionCatalogue}), and {@code meta} (the applied index of what LMDB holds, written in the
 * same transaction as that state).
 *
 * <p>Write path: the state machine applies entries into the active table ({@link #write}); once it
 * holds {@code memTableBytesMax} bytes ({@code NodeOptions.stateBufferBytesMax}) it becomes
 * immutable and the {@link StateFlusher} writes it to LMDB in one sorted transaction with its last
 * applied index, while a new table takes writes. Reads look at the active table, the immutable one,
 * then LMDB. Readers see whole {@link #write} calls only (an atomic batch is never half visible): a
 * write holds the publication lock, readers validate an optimistic stamp or take the read lock.
 *
 * <p>Durability: LMDB commits do not fsync ({@code MDB_NOSYNC}) and the tables are memory only.
 * The Raft log is the durable record and the state is derived from it: after a crash the state
 * machine re-applies everything after LMDB's applied index (jraft keeps the log from the last
 * snapshot, and a snapshot flushes everything first). A machine crash while open is detected at
 * the next open ({@link UncleanShutdownMarker}) and the state is discarded, to be rebuilt from
 * the last snapshot and the log. A clean close flushes and syncs.
 *
 * <p>Threads: one writer (jraft's state-machine thread) through {@link #write}, {@link #copyTo},
 * {@link #replaceWith}; the flusher thread writes LMDB; reads from any thread (MDB_NOTLS).
 *
 * <p>Read order: a reader takes the tables first and opens its LMDB read
 * transaction after. The flusher drops the immutable table only after its commit, so a reader
 * that no longer sees the table sees the commit; the other order could miss a whole table.
 */
final class StateStore implements AutoCloseable {
  static final String DATA_FILE = "data.mdb";
  private static final long MAP_SIZE_BYTES = 1L << 40;
  private static final int MAX_READERS = 1024;
  private static final ByteBuffer APPLIED_INDEX_KEY = direct(new byte[] {'a'});

  private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);

  /** The key spaces the tables and LMDB hold. */
  enum Namespace { KV, DEDUP, COLLECTIONS, VECTORS }

  /** The LMDB databases a flush writes. */
  record Databases(Dbi<ByteBuffer> kv, Dbi<ByteBuffer> dedup, Dbi<ByteBuffer> dedupByIndex,
      Dbi<ByteBuffer> collections, Dbi<ByteBuffer> vectors) {}

  private final Path directory;
  private final long memTableBytesMax;
  private final UncleanShutdownMarker marker;
  private final ReentrantReadWriteLock swapLock = new ReentrantReadWriteLock();
  private final StampedLock publication = new StampedLock();
  private final StateWrite.UndoLog undo = new StateWrite.UndoLog();
  private final ThreadLocal<ByteBuffer> readKeyScratch =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(1024));
  private final LmdbFlush flushWriter = new LmdbFlush();
  private final StateFlusher flusher;
  private volatile MemTable active = new MemTable();
  /** The table being flushed, or null; set before {@link #active} moves on, cleared after. */
  private volatile MemTable immutable;
  private Env<ByteBuffer> env;
  private Databases databases;
  private Dbi<ByteBuffer> meta;
  private volatile long appliedIndex;
  private final AtomicLong flushes = new AtomicLong();
  private final AtomicLong flushNanosTotal = new AtomicLong();

  /** A store whose active table is flushed once it holds {@code memTableBytesMax} bytes. */
  StateStore(Path directory, long memTableBytesMax) {
    this.directory = directory;
    this.memTableBytesMax = memTableBytesMax;
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
    this.flusher = new StateFlusher("trident-state-flush-" + directory.getFileName(),
        this::flushToLmdb);
  }

  private void open() {
    try {
      Files.createDirectories(directory);
      env = Env.create().setMapSize(MAP_SIZE_BYTES).setMaxDbs(8).setMaxReaders(MAX_READERS)
          .open(directory.toFile(), EnvFlags.MDB_NOTLS, EnvFlags.MDB_NOSYNC);
      databases = new Databases(env.openDbi("kv", DbiFlags.MDB_CREATE),
          env.openDbi("dedup", DbiFlags.MDB_CREATE),
          env.openDbi("dedup_by_index", DbiFlags.MDB_CREATE),
          env.openDbi("collections", DbiFlags.MDB_CREATE),
          env.openDbi("vectors", DbiFlags.MDB_CREATE));
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

  /** One write call's work; used only by the state-machine thread. */
  interface Writer {
    /** Applies entries through {@code write}; returns the new applied index (or the old one). */
    long apply(StateWrite write);
  }

  /**
   * Runs {@code writer} against the active table and publishes its changes with the applied index
   * it returns, all at once for readers. A failure (thrown by the writer, or an earlier flush
   * failure) undoes the call's changes and is rethrown: nothing of it is applied. Hands a full
   * table to the flusher afterwards (waiting for the previous flush: back-pressure).
   */
  void write(Writer writer) {
    RuntimeException flushFailure = flusher.failure();
    if (flushFailure != null) {
      throw new StorageIoException("the state store in " + directory + " stopped after a failed"
          + " flush: " + flushFailure.getMessage(), flushFailure);
    }
    MemTable table = active;
    long stamp = publication.writeLock();
    try {
      long newAppliedIndex = writer.apply(new StateWrite(this, table, undo));
      undo.clear();
      if (newAppliedIndex != appliedIndex) {
        table.lastIndex(newAppliedIndex);
        appliedIndex = newAppliedIndex;
      }
    } catch (RuntimeException e) {
      undo.rollBackTo(0, table);
      throw e;
    } finally {
      publication.unlockWrite(stamp);
    }
    if (table.bytes() >= memTableBytesMax) {
      rotate();
    }
  }

  /** Makes the active table immutable and hands it to the flusher; a new table takes writes. */
  private void rotate() {
    flusher.awaitIdle();
    MemTable full = active;
    immutable = full;
    active = new MemTable();
    flusher.flush(full);
  }

  /** Writes everything applied so far to LMDB and waits for it (state-machine thread). */
  private void flushAll() {
    if (active.lastIndex() > 0) {
      rotate();
    }
    flusher.awaitIdle();
  }

  /** Flusher thread: writes {@code table} to LMDB in one transaction, then retires it. */
  private void flushToLmdb(MemTable table) {
    long start = System.nanoTime();
    swapLock.readLock().lock();
    try (Txn<ByteBuffer> txn = env.txnWrite()) {
      flushWriter.write(txn, table, databases);
      meta.put(txn, APPLIED_INDEX_KEY, flushWriter.appliedIndexValue(table.lastIndex()));
      txn.commit();
    } catch (LmdbException e) {
      throw new StorageIoException("state flush to " + directory + " failed: " + e, e);
    } finally {
      swapLock.readLock().unlock();
    }
    if (immutable == table) {
      immutable = null;
    }
    flushNanosTotal.addAndGet(System.nanoTime() - start);
    flushes.incrementAndGet();
  }

  /** Tables flushed to LMDB so far. */
  long flushes() {
    return flushes.get();
  }

  /** Time spent in those flushes, nanoseconds. */
  long flushNanosTotal() {
    return flushNanosTotal.get();
  }

  /**
   * The value of {@code key} in {@code namespace} below the active table (the table being
   * flushed, then LMDB), or null. A copy for LMDB values; the table's own array otherwise.
   */
  byte[] readBelowActive(Namespace namespace, ByteKey key) {
    MemTable flushing = immutable;
    if (flushing != null) {
      byte[] value = map(flushing, namespace).get(key);
      if (value != null) {
        return value == MemTable.TOMBSTONE ? null : value;
      }
    }
    return readLmdb(namespace, key.bytes);
  }

  /** The user value of {@code bytes} (a copy the caller owns), or null. */
  byte[] get(byte[] bytes) {
    return get(Namespace.KV, bytes);
  }

  /** The value of {@code bytes} in {@code namespace} (a copy the caller owns), or null. */
  byte[] get(Namespace namespace, byte[] bytes) {
    ByteKey key = new ByteKey(bytes);
    long stamp = publication.tryOptimisticRead();
    byte[] value = readTables(namespace, key);
    if (!publication.validate(stamp)) {
      stamp = publication.readLock();
      try {
        value = readTables(namespace, key);
      } finally {
        publication.unlockRead(stamp);
      }
    }
    if (value != null) {
      return value == MemTable.TOMBSTONE ? null : value.clone();
    }
    return readLmdb(namespace, bytes);
  }

  /** The tables' value of {@code key} (maybe {@link MemTable#TOMBSTONE}), or null if in neither. */
  private byte[] readTables(Namespace namespace, ByteKey key) {
    MemTable current = active;
    MemTable flushing = immutable;
    byte[] value = map(current, namespace).get(key);
    if (value == null && flushing != null) {
      value = map(flushing, namespace).get(key);
    }
    return value;
  }

  /**
   * Calls {@code visitor} with every LMDB key of {@code namespace} that starts with {@code
   * prefix} and its value (copies), in key order. Only while the tables hold nothing (at open,
   * after {@link #replaceWith}): it reads LMDB alone.
   */
  void forEachStored(Namespace namespace, byte[] prefix, BiConsumer<byte[], byte[]> visitor) {
    if (active.lastIndex() != 0 || immutable != null) {
      throw new IllegalStateException("forEachStored needs empty tables");
    }
    swapLock.readLock().lock();
    try (Txn<ByteBuffer> txn = txnRead();
        Cursor<ByteBuffer> cursor = dbi(namespace).openCursor(txn)) {
      boolean found = prefix.length == 0 ? cursor.first()
          : cursor.get(direct(prefix), GetOp.MDB_SET_RANGE);
      while (found) {
        byte[] key = copy(cursor.key());
        if (!Arrays.equals(key, 0, Math.min(key.length, prefix.length), prefix, 0,
            prefix.length)) {
          break;
        }
        visitor.accept(key, copy(cursor.val()));
        found = cursor.next();
      }
    } finally {
      swapLock.readLock().unlock();
    }
  }

  private byte[] readLmdb(Namespace namespace, byte[] key) {
    swapLock.readLock().lock();
    try (Txn<ByteBuffer> txn = txnRead()) {
      ByteBuffer value = dbi(namespace).get(txn, keyBuffer(key));
      return value == null ? null : copy(value);
    } finally {
      swapLock.readLock().unlock();
    }
  }

  /** Entries with {@code from <= key < to} (nulls unbounded), at most {@code limit}. */
  List<KeyValue> scan(byte[] from, byte[] to, int limit) {
    List<KeyValue> out = new ArrayList<>();
    boolean inclusive = true;
    while (out.size() < limit) {
      int page = Math.min(limit - out.size(), StateScan.PAGE_ENTRIES_MAX);
      long stamp = publication.readLock();
      List<KeyValue> entries;
      try {
        swapLock.readLock().lock();
        MemTable current = active; // see "Read order" above
        MemTable flushing = immutable;
        try (Txn<ByteBuffer> txn = txnRead()) {
          entries = StateScan.page(current, flushing, databases.kv(), txn, from, inclusive, to,
              page);
        } finally {
          swapLock.readLock().unlock();
        }
      } finally {
        publication.unlockRead(stamp);
      }
      out.addAll(entries);
      if (entries.size() < page) {
        break;
      }
      from = entries.get(entries.size() - 1).key();
      inclusive = false;
    }
    return out;
  }

  /** Number of user keys (for tests and stats); reads every key in the tables. */
  long size() {
    long stamp = publication.readLock();
    try {
      swapLock.readLock().lock();
      MemTable current = active; // see "Read order" above
      MemTable flushing = immutable;
      try (Txn<ByteBuffer> txn = txnRead()) {
        return StateScan.count(current, flushing, databases.kv(), txn);
      } finally {
        swapLock.readLock().unlock();
      }
    } finally {
      publication.unlockRead(stamp);
    }
  }

  /**
   * Writes a compact, consistent copy of the state ({@value #DATA_FILE}) into {@code dir}, after
   * flushing every table (state-machine thread).
   */
  void copyTo(Path dir) {
    flushAll();
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
   * fsynced, renamed over, directory fsynced), drops the tables, then reopens (state-machine
   * thread). Readers wait for the swap.
   */
  void replaceWith(Path snapshotDir) {
    flusher.awaitIdle();
    long stamp = publication.writeLock();
    swapLock.writeLock().lock();
    try {
      active = new MemTable();
      undo.clear();
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
      publication.unlockWrite(stamp);
    }
  }

  static ConcurrentHashMap<ByteKey, byte[]> map(MemTable table, Namespace namespace) {
    return switch (namespace) {
      case KV -> table.kv;
      case DEDUP -> table.dedup;
      case COLLECTIONS -> table.collections;
      case VECTORS -> table.vectors;
    };
  }

  private Dbi<ByteBuffer> dbi(Namespace namespace) {
    return switch (namespace) {
      case KV -> databases.kv();
      case DEDUP -> databases.dedup();
      case COLLECTIONS -> databases.collections();
      case VECTORS -> databases.vectors();
    };
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

  /** Flushes the tables, syncs and closes; a failed flush leaves LMDB at its last applied index. */
  @Override
  public void close() {
    try {
      if (env != null && !env.isClosed()) {
        flushAll();
      }
    } catch (RuntimeException e) {
      LOG.error("state store {}: final flush failed ({}); the log re-applies what is missing",
          directory, e.toString());
    }
    flusher.close();
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
