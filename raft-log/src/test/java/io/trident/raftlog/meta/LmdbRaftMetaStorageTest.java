package io.trident.raftlog.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.option.RaftMetaStorageOptions;
import io.trident.error.ClosedHandleException;
import io.trident.error.InvalidArgumentException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;

/** Real LMDB in a temporary directory: durability across reopen, atomic pair, lifecycle errors. */
class LmdbRaftMetaStorageTest {
  private static final PeerId PEER_A = PeerId.parsePeer("127.0.0.1:8081");
  private static final PeerId PEER_B = PeerId.parsePeer("127.0.0.1:8082:0:5");

  @TempDir Path directory;

  private LmdbRaftMetaStorage openStorage() {
    LmdbRaftMetaStorage storage = new LmdbRaftMetaStorage(directory);
    assertTrue(storage.init(new RaftMetaStorageOptions()));
    return storage;
  }

  @Test
  void freshStorageHasTermZeroAndNoVote() {
    LmdbRaftMetaStorage storage = openStorage();
    assertEquals(0, storage.getTerm());
    assertTrue(storage.getVotedFor().isEmpty());
    storage.shutdown();
    assertTrue(Files.isRegularFile(
        directory.resolve(LmdbRaftMetaStorage.ENV_DIRECTORY_NAME).resolve("data.mdb")));
  }

  @Test
  void termAndVoteSurviveReopen() {
    LmdbRaftMetaStorage storage = openStorage();
    assertTrue(storage.setTermAndVotedFor(7, PEER_A));
    assertTrue(storage.setTerm(9));
    assertTrue(storage.setVotedFor(PEER_B));
    storage.shutdown();

    LmdbRaftMetaStorage reopened = openStorage();
    assertEquals(9, reopened.getTerm());
    assertEquals(PEER_B, reopened.getVotedFor());
    assertEquals(5, reopened.getVotedFor().getPriority());
    assertTrue(reopened.setTermAndVotedFor(10, PeerId.emptyPeer()));
    reopened.shutdown();

    LmdbRaftMetaStorage third = openStorage();
    assertEquals(10, third.getTerm());
    assertTrue(third.getVotedFor().isEmpty());
    third.shutdown();
  }

  @Test
  void setTermAndVotedForIsOneTransaction() {
    LmdbRaftMetaStorage storage = openStorage();
    assertTrue(storage.setTermAndVotedFor(3, PEER_A));
    assertEquals(1, storage.commitCount(), "term and vote must commit (and fsync) once together");
    assertTrue(storage.setTermAndVotedFor(4, PEER_B));
    assertEquals(2, storage.commitCount());
    storage.shutdown();

    // Read the raw database: both keys hold the values of the last transaction.
    try (Env<ByteBuffer> env = Env.create().setMaxDbs(1)
        .open(directory.resolve(LmdbRaftMetaStorage.ENV_DIRECTORY_NAME).toFile())) {
      Dbi<ByteBuffer> database = env.openDbi(LmdbRaftMetaStorage.DATABASE_NAME);
      try (Txn<ByteBuffer> txn = env.txnRead()) {
        ByteBuffer term = database.get(txn, key("term"));
        assertEquals(4, term.getLong(term.position()));
        ByteBuffer vote = database.get(txn, key("votedFor")); // re-points the same buffer
        byte[] voteBytes = new byte[vote.remaining()];
        vote.get(voteBytes);
        assertEquals(PEER_B.toString(), new String(voteBytes, StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  void gettersReturnCopiesOfTheCommittedVote() {
    LmdbRaftMetaStorage storage = openStorage();
    assertTrue(storage.setVotedFor(PEER_A));
    PeerId returned = storage.getVotedFor();
    returned.parse("10.0.0.1:1");
    assertEquals(PEER_A, storage.getVotedFor());
    storage.shutdown();
  }

  @Test
  void useBeforeInitOrAfterShutdownThrowsClosedHandle() {
    LmdbRaftMetaStorage storage = new LmdbRaftMetaStorage(directory);
    assertThrows(ClosedHandleException.class, storage::getTerm);
    assertThrows(ClosedHandleException.class, () -> storage.setTerm(1));
    assertTrue(storage.init(new RaftMetaStorageOptions()));
    assertTrue(storage.init(new RaftMetaStorageOptions()), "init while open is a no-op");
    storage.shutdown();
    storage.shutdown(); // idempotent
    assertThrows(ClosedHandleException.class, storage::getTerm);
    assertThrows(ClosedHandleException.class, storage::getVotedFor);
    assertThrows(ClosedHandleException.class, () -> storage.setVotedFor(PEER_A));
    assertThrows(ClosedHandleException.class, () -> storage.setTermAndVotedFor(2, PEER_A));
    assertThrows(ClosedHandleException.class, () -> storage.init(new RaftMetaStorageOptions()));
  }

  @Test
  void badArgumentsAreRejectedAndLeaveValuesUnchanged() {
    assertThrows(InvalidArgumentException.class, () -> new LmdbRaftMetaStorage(null));
    LmdbRaftMetaStorage storage = openStorage();
    assertTrue(storage.setTermAndVotedFor(5, PEER_A));
    assertThrows(InvalidArgumentException.class, () -> storage.setTerm(-1));
    assertThrows(InvalidArgumentException.class, () -> storage.setVotedFor(null));
    assertEquals(5, storage.getTerm());
    assertEquals(PEER_A, storage.getVotedFor());
    storage.shutdown();
  }

  @Test
  void initFailsWhenTheDirectoryCannotBeCreated() throws Exception {
    Path plainFile = Files.writeString(directory.resolve("not-a-directory"), "x");
    LmdbRaftMetaStorage storage = new LmdbRaftMetaStorage(plainFile);
    assertFalse(storage.init(new RaftMetaStorageOptions()));
    assertThrows(ClosedHandleException.class, storage::getTerm);
  }

  private static ByteBuffer key(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length);
    buffer.put(bytes).flip();
    return buffer;
  }
}
