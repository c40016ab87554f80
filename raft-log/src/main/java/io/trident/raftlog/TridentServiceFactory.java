package io.trident.raftlog;

import com.alipay.sofa.jraft.core.DefaultJRaftServiceFactory;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.storage.LogStorage;
import com.alipay.sofa.jraft.storage.RaftMetaStorage;
import io.trident.error.InvalidArgumentException;
import io.trident.nativelib.ThreadPlacement;
import io.trident.raftlog.meta.LmdbRaftMetaStorage;
import java.nio.file.Path;
import java.util.Objects;
import net.openhft.chronicle.queue.RollCycles;

/**
 * jraft storage wiring for a Trident node: set it with {@code NodeOptions.setServiceFactory}.
 *
 * <p>Log: {@link ChronicleLogStorage} in {@code NodeOptions.logUri}. Meta (term, vote): {@link
 * LmdbRaftMetaStorage} in {@code NodeOptions.raftMetaUri}. Snapshot storage and the log entry
 * codec stay jraft's defaults (local snapshot files, the V2 protobuf codec). Every call creates a
 * new storage object owned by the node that asked for it; jraft shuts it down with the node.
 *
 * <p>Vote persistence (checked in jraft-core 1.4.1 bytecode, {@code javap -c NodeImpl}):
 * {@code electSelf()} calls {@code metaStorage.setTermAndVotedFor(currTerm, serverId)} before the
 * loop that sends {@code RequestVoteRequest}s, and steps down with {@code EIO} if that call returns
 * false; {@code handleRequestVoteRequest} calls {@code metaStorage.setVotedFor(candidate)} and sets
 * {@code votedId} (which decides {@code granted}) only if it returned true. 1.3.14 sent the
 * requests first; 1.4.1 persists first on both sides, so a durable {@link
 * LmdbRaftMetaStorage} is enough to never vote twice in one term across a crash.
 *
 * <p>Placement: {@link #TridentServiceFactory(ThreadPlacement)} places the journal's disk thread
 * (jraft's log manager disk thread, which writes each batch and waits for its fdatasync) and the
 * zeroing thread; see {@link ThreadPlacement}. Default: no placement.
 *
 * <p>Thread rules: immutable; safe to share between nodes and threads.
 */
public class TridentServiceFactory extends DefaultJRaftServiceFactory {
  private final ThreadPlacement journalThreadPlacement;

  public TridentServiceFactory() {
    this(ThreadPlacement.NONE);
  }

  public TridentServiceFactory(ThreadPlacement journalThreadPlacement) {
    this.journalThreadPlacement =
        Objects.requireNonNull(journalThreadPlacement, "journalThreadPlacement");
  }

  @Override
  public LogStorage createLogStorage(String uri, RaftOptions raftOptions) {
    return new ChronicleLogStorage(requireDirectory(uri, "logUri"), RollCycles.FIVE_MINUTELY,
        journalThreadPlacement);
  }

  @Override
  public RaftMetaStorage createRaftMetaStorage(String uri, RaftOptions raftOptions) {
    return new LmdbRaftMetaStorage(requireDirectory(uri, "raftMetaUri"));
  }

  private static Path requireDirectory(String uri, String optionName) {
    if (uri == null || uri.isBlank()) {
      throw new InvalidArgumentException("NodeOptions." + optionName + " must name a directory");
    }
    return Path.of(uri);
  }
}
