package io.trident.internal.node;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotWriter;
import io.trident.internal.collection.CollectionIndex;
import io.trident.internal.collection.CollectionIndexFiles;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second half of a snapshot save: writes each collection's index files into the snapshot
 * directory and adds them to the snapshot, then the {@link SnapshotIndexManifest}, then completes
 * jraft's closure. It runs as a {@link CollectionIndexer.Action} queued by the state machine right
 * after it copied the state at {@code appliedIndex}, so the indexer has applied exactly the
 * changes through that index when it runs: the index files match the state copy, with no wait on
 * the state-machine thread (applies go on; their index updates queue behind the save).
 *
 * <p>An index that cannot be saved (it failed earlier, or a write error) is listed as skipped and
 * the snapshot still completes: whoever loads it rebuilds that index from the state copy.
 *
 * <p>Threads: the indexer thread ({@link #run}) or the closing thread ({@link #abandon}).
 */
final class SnapshotIndexSave implements CollectionIndexer.Action {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotIndexSave.class);

  private final SnapshotWriter writer;
  private final Closure done;
  private final long appliedIndex;
  private final List<CollectionIndex> indexes;
  private final CollectionRegistry registry;
  private final NodeCounters counters;

  SnapshotIndexSave(SnapshotWriter writer, Closure done, long appliedIndex,
      List<CollectionIndex> indexes, CollectionRegistry registry, NodeCounters counters) {
    this.writer = writer;
    this.done = done;
    this.appliedIndex = appliedIndex;
    this.indexes = indexes;
    this.registry = registry;
    this.counters = counters;
  }

  @Override
  public void run() {
    long start = System.nanoTime();
    Path dir = Path.of(writer.getPath());
    Map<Long, Boolean> saved = new LinkedHashMap<>();
    Map<Long, String> skipReasons = new HashMap<>();
    for (CollectionIndex index : indexes) {
      long collectionId = index.collectionId();
      try {
        CollectionIndexFiles.save(index, dir);
        if (!writer.addFile(CollectionIndexFiles.indexFileName(collectionId))
            || !writer.addFile(CollectionIndexFiles.slotFileName(collectionId))) {
          throw new IllegalStateException("the snapshot writer refused the files");
        }
        saved.put(collectionId, true);
        registry.savedOne();
      } catch (RuntimeException e) {
        LOG.warn("snapshot at index {}: the index of collection {} is not saved ({}); loading"
            + " this snapshot rebuilds it", appliedIndex, index.name(), e.toString());
        saved.put(collectionId, false);
        skipReasons.put(collectionId, e.toString());
      }
    }
    try {
      new SnapshotIndexManifest(appliedIndex, saved).write(dir, skipReasons);
      if (!writer.addFile(SnapshotIndexManifest.FILE)) {
        done.run(new Status(RaftError.EIO, "could not add %s to the snapshot",
            SnapshotIndexManifest.FILE));
        return;
      }
    } catch (RuntimeException e) {
      LOG.error("snapshot save at index {} failed: {}", appliedIndex, e.toString(), e);
      done.run(new Status(RaftError.EIO, "snapshot save failed: %s", e));
      return;
    }
    counters.snapshotsSaved.increment();
    LOG.info("snapshot at index {}: {} collection indexes saved in {} ms", appliedIndex,
        saved.size(), (System.nanoTime() - start) / 1_000_000);
    done.run(Status.OK());
  }

  @Override
  public void abandon() {
    done.run(new Status(RaftError.ESHUTDOWN, "the node closed before the snapshot at index %d"
        + " saved its collection indexes", appliedIndex));
  }
}
