package io.trident.raftlog.meta;

import com.alipay.sofa.jraft.core.NodeImpl;
import com.alipay.sofa.jraft.entity.EnumOutter.ErrorType;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.error.RaftException;
import com.alipay.sofa.jraft.option.RaftMetaStorageOptions;
import com.alipay.sofa.jraft.storage.RaftMetaStorage;
import io.trident.error.ClosedHandleException;
import io.trident.error.CorruptFileException;
import io.trident.error.InvalidArgumentException;
import io.trident.error.StorageIoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.LmdbException;
import org.lmdbjava.Txn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jraft's term and vote kept in LMDB.
 *
 * <p>Contract: every setter commits one LMDB write transaction with LMDB's default durability
 * (fsync on commit); it returns true only once the value is on disk, so jraft may send a vote
 * request (or grant a vote) right after. {@link #setTermAndVotedFor} writes both keys in the same
 * transaction: after a crash either both new values or both old ones are read back. The getters
 * return the last committed values. A failed commit leaves the previous values in force, reports
 * {@code EIO} to the node (as jraft's own LocalRaftMetaStorage does) and returns false.
 *
 * <p>Layout: one LMDB environment per node, in {@code <raftMetaUri>/}{@value #ENV_DIRECTORY_NAME},
 * database {@value #DATABASE_NAME}; term is an 8-byte big-endian long, the vote is the UTF-8 text
 * of {@link PeerId#toString()} (the empty peer for "no vote").
 *
 * <p>Threads: jraft calls it under the node's lock; every method is synchronized anyway, so any
 * thread may call. Calls before {@link #init} or after {@link #shutdown} throw {@link
 * ClosedHandleException}; bad arguments throw {@link InvalidArgumentException}.
 */
public final class LmdbRaftMetaStorage implements RaftMetaStorage {
  /** Subdirectory of the meta URI that holds the LMDB environment (data.mdb, lock.mdb). */
  public static final String ENV_DIRECTORY_NAME = "meta-lmdb";
  static final String DATABASE_NAME = "raft_meta";
  /**
   * Two small keys need a handful of 4 KiB pages (copy-on-write doubles them at most); 1 MiB
   * leaves room without reserving address space worth mentioning.
   */
  static final long MAP_SIZE_BYTES = 1L << 20;
  /** Only init reads; one reader slot per possible concurrent reader is plenty. */
  private static final int MAX_READERS = 8;
  private static final int TERM_BYTES = Long.BYTES;

  private static final Logger LOG = LoggerFactory.getLogger(LmdbRaftMetaStorage.class);

  private enum State { NEW, OPEN, SHUT_DOWN }

  private final Path metaDirectory;
  private final ByteBuffer termKey = directCopy("term".getBytes(StandardCharsets.US_ASCII));
  private final ByteBuffer votedForKey = directCopy("votedFor".getBytes(StandardCharsets.US_ASCII));

  private State state = State.NEW;
  private Env<ByteBuffer> env;
  private Dbi<ByteBuffer> database;
  private NodeImpl node;
  private long term;
  private PeerId votedFor = PeerId.emptyPeer();
  private long commitCount;

  /** @param metaDirectory the node's raft meta directory (jraft's {@code raftMetaUri}) */
  public LmdbRaftMetaStorage(Path metaDirectory) {
    if (metaDirectory == null) {
      throw new InvalidArgumentException("metaDirectory is null");
    }
    this.metaDirectory = metaDirectory;
  }

  /**
   * Opens (creating if needed) the environment and loads term and vote. Returns false, with the
   * cause logged, when the directory cannot be created or the stored values are unreadable; a
   * second call while open returns true.
   */
  @Override
  public synchronized boolean init(RaftMetaStorageOptions options) {
    if (state == State.OPEN) {
      return true;
    }
    if (state == State.SHUT_DOWN) {
      throw new ClosedHandleException("LmdbRaftMetaStorage at " + metaDirectory + " was shut down");
    }
    node = options == null ? null : options.getNode();
    Path envDirectory = envDirectory();
    try {
      Files.createDirectories(envDirectory);
      env = Env.create().setMapSize(MAP_SIZE_BYTES).setMaxDbs(1).setMaxReaders(MAX_READERS)
          .open(envDirectory.toFile());
      database = env.openDbi(DATABASE_NAME, DbiFlags.MDB_CREATE);
      load();
    } catch (IOException | LmdbException | CorruptFileException e) {
      LOG.error("Cannot open raft meta storage in {}", envDirectory, e);
      closeEnv();
      return false;
    }
    state = State.OPEN;
    LOG.info("Raft meta storage open in {}: term={}, votedFor={}", envDirectory, term, votedFor);
    return true;
  }

  private void load() {
    byte[] termBytes;
    byte[] votedForBytes;
    try (Txn<ByteBuffer> txn = env.txnRead()) {
      // Copy each value out at once: lmdbjava re-points one buffer per transaction on every get.
      termBytes = copyOf(database.get(txn, termKey));
      votedForBytes = copyOf(database.get(txn, votedForKey));
    }
    if (termBytes == null && votedForBytes == null) {
      return; // fresh node: term 0, no vote
    }
    if (termBytes == null || votedForBytes == null || termBytes.length != TERM_BYTES) {
      throw new CorruptFileException("raft meta in " + envDirectory()
          + " is incomplete: term and votedFor must both be present, term 8 bytes");
    }
    long loadedTerm = ByteBuffer.wrap(termBytes).getLong();
    String votedForText = new String(votedForBytes, StandardCharsets.UTF_8);
    PeerId loadedVote = new PeerId();
    if (loadedTerm < 0 || !loadedVote.parse(votedForText)) {
      throw new CorruptFileException("raft meta in " + envDirectory() + " holds term="
          + loadedTerm + ", votedFor='" + votedForText + "': not a valid term and peer id");
    }
    term = loadedTerm;
    votedFor = loadedVote;
  }

  private static byte[] copyOf(ByteBuffer value) {
    if (value == null) {
      return null;
    }
    byte[] bytes = new byte[value.remaining()];
    value.duplicate().get(bytes);
    return bytes;
  }

  /** Closes the environment; idempotent. Nothing to flush: every setter already committed. */
  @Override
  public synchronized void shutdown() {
    if (state == State.SHUT_DOWN) {
      return;
    }
    state = State.SHUT_DOWN;
    closeEnv();
  }

  @Override
  public synchronized boolean setTerm(long newTerm) {
    return setTermAndVotedFor(newTerm, currentVote());
  }

  @Override
  public synchronized long getTerm() {
    requireOpen();
    return term;
  }

  @Override
  public synchronized boolean setVotedFor(PeerId peerId) {
    return setTermAndVotedFor(currentTerm(), peerId);
  }

  /** Returns a copy of the committed vote; the empty peer when this node has not voted. */
  @Override
  public synchronized PeerId getVotedFor() {
    requireOpen();
    return votedFor.copy();
  }

  @Override
  public synchronized boolean setTermAndVotedFor(long newTerm, PeerId peerId) {
    requireOpen();
    if (newTerm < 0) {
      throw new InvalidArgumentException("term must be >= 0, got " + newTerm);
    }
    if (peerId == null) {
      throw new InvalidArgumentException("votedFor is null; pass PeerId.emptyPeer() for no vote");
    }
    try {
      commit(newTerm, peerId);
    } catch (LmdbException e) {
      LOG.error("Cannot persist term={} votedFor={} in {}", newTerm, peerId, envDirectory(), e);
      reportIoError(e);
      return false;
    }
    term = newTerm;
    votedFor = peerId.copy();
    return true;
  }

  /** Number of successful durable commits since init (each is one fsync). For tests and tools. */
  public synchronized long commitCount() {
    return commitCount;
  }

  @Override
  public synchronized String toString() {
    return "LmdbRaftMetaStorage[" + envDirectory() + ", state=" + state + ", term=" + term
        + ", votedFor=" + votedFor + "]";
  }

  private void commit(long newTerm, PeerId peerId) {
    ByteBuffer termValue = ByteBuffer.allocateDirect(TERM_BYTES).putLong(0, newTerm);
    ByteBuffer votedForValue = directCopy(peerId.toString().getBytes(StandardCharsets.UTF_8));
    try (Txn<ByteBuffer> txn = env.txnWrite()) {
      database.put(txn, termKey, termValue);
      database.put(txn, votedForKey, votedForValue);
      txn.commit(); // mdb_txn_commit: fsyncs data.mdb before returning (no MDB_NOSYNC flags)
    }
    commitCount++;
  }

  private void reportIoError(LmdbException cause) {
    if (node != null) {
      node.onError(new RaftException(ErrorType.ERROR_TYPE_META, RaftError.EIO,
          "Fail to save raft meta in %s: %s", envDirectory(), cause.getMessage()));
    }
  }

  private long currentTerm() {
    requireOpen();
    return term;
  }

  private PeerId currentVote() {
    requireOpen();
    return votedFor;
  }

  private void requireOpen() {
    if (state != State.OPEN) {
      throw new ClosedHandleException("LmdbRaftMetaStorage at " + metaDirectory + " is "
          + (state == State.NEW ? "not initialized (call init first)" : "shut down"));
    }
  }

  private void closeEnv() {
    if (env != null) {
      try {
        env.close();
      } catch (LmdbException e) {
        throw new StorageIoException("Cannot close LMDB environment in " + envDirectory(), e);
      } finally {
        env = null;
        database = null;
      }
    }
  }

  private Path envDirectory() {
    return metaDirectory.resolve(ENV_DIRECTORY_NAME);
  }

  private static ByteBuffer directCopy(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length);
    buffer.put(bytes).flip();
    return buffer;
  }
}
