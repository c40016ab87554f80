package io.trident.internal.node;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.core.StateMachineAdapter;
import com.alipay.sofa.jraft.entity.LeaderChangeContext;
import com.alipay.sofa.jraft.entity.RaftOutter.SnapshotMeta;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.error.RaftException;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotReader;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotWriter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated state machine: applies committed entries (key-value and collection operations)
 * to the {@link StateStore} in one write call per batch of entries (with the applied index),
 * hands the call's collection changes to the {@link CollectionRegistry} and the {@link
 * CollectionIndexer}, then hands each locally proposed entry its results. Entries at or below
 * the store's applied index (already in the state, e.g. replayed after a restart) are skipped,
 * so a restart re-applies only what is missing.
 *
 * <p>Snapshots are compact LMDB copies ({@link StateStore#copyTo}) plus each collection's index
 * files ({@link SnapshotIndexSave}); loading one replaces the state unless the local state
 * already covers it, and loads the collection indexes from its files (the first load at init
 * does so even when the state is kept: {@link CollectionRegistry#load}).
 * A corrupt entry halts the machine (jraft's error state: the member stops applying and
 * acknowledging) rather than skipping it.
 *
 * <p>Threads: jraft calls every method on the member's one state-machine thread.
 */
final class NodeStateMachine extends StateMachineAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(NodeStateMachine.class);
  /** Most entries in one LMDB transaction during a long catch-up. */
  private static final int ENTRIES_PER_TRANSACTION_MAX = 1024;

  private final StateStore store;
  private final NodeCounters counters;
  private final LeaderState leaderState;
  private final CollectionRegistry registry;
  private final CollectionIndexer indexer;
  private final IndexWatermark watermark;
  private final CollectionChanges collectionChanges;
  private final List<EntryResultClosure> appliedClosures = new ArrayList<>();
  private final List<byte[]> appliedResults = new ArrayList<>();
  private final List<Long> appliedIndexes = new ArrayList<>();
  private volatile RaftException failure;

  NodeStateMachine(StateStore store, NodeCounters counters, LeaderState leaderState,
      CollectionRegistry registry, CollectionIndexer indexer, IndexWatermark watermark) {
    this.store = store;
    this.counters = counters;
    this.leaderState = leaderState;
    this.registry = registry;
    this.indexer = indexer;
    this.watermark = watermark;
    this.collectionChanges = new CollectionChanges(registry);
  }

  @Override
  public void onApply(Iterator iterator) {
    if (!registry.isLoaded()) {
      registry.ensureLoaded(); // no snapshot was loaded at init: rebuild before indexing more
    }
    while (iterator.hasNext()) {
      long start = System.nanoTime();
      try {
        store.write(write -> applyUpTo(iterator, write));
        indexer.submit(registry.publish(collectionChanges, store.appliedIndex()));
        collectionChanges.clear();
      } catch (RuntimeException e) {
        collectionChanges.clear();
        appliedClosures.clear();
        appliedResults.clear();
        appliedIndexes.clear();
        LOG.error("state machine halted at entry {}: {}", iterator.getIndex(), e.toString(), e);
        iterator.setErrorAndRollback(1, new Status(RaftError.ESTATEMACHINE,
            "entry %d could not be applied: %s", iterator.getIndex(), e));
        return;
      }
      counters.applyBatches.increment();
      counters.applyNanos.add(System.nanoTime() - start);
      for (int i = 0; i < appliedClosures.size(); i++) {
        appliedClosures.get(i).applied(appliedResults.get(i), appliedIndexes.get(i));
      }
      appliedClosures.clear();
      appliedResults.clear();
      appliedIndexes.clear();
    }
  }

  /** Applies up to {@link #ENTRIES_PER_TRANSACTION_MAX} entries; returns the last index. */
  private long applyUpTo(Iterator iterator, StateWrite write) {
    long applied = store.appliedIndex();
    int entries = 0;
    while (iterator.hasNext() && entries < ENTRIES_PER_TRANSACTION_MAX) {
      long index = iterator.getIndex();
      ByteBuffer data = iterator.getData();
      Closure done = iterator.done();
      if (index > applied && data != null && data.hasRemaining()) {
        byte[] results = EntryApplier.apply(index, data, write, collectionChanges);
        counters.entriesApplied.increment();
        counters.opsApplied.add(EntryApplier.operationCount(data));
        if (done instanceof EntryResultClosure closure) {
          appliedClosures.add(closure);
          appliedResults.add(results);
          appliedIndexes.add(index);
        }
        applied = index;
        entries++;
      } else if (done != null) {
        done.run(Status.OK());
      }
      iterator.next();
    }
    return applied;
  }

  /**
   * Copies the state at the applied index here, then queues the collection indexes' save behind
   * the indexer's pending work ({@link SnapshotIndexSave}), which completes {@code done}: the
   * index files match the state copy without this thread waiting for the indexer.
   */
  @Override
  public void onSnapshotSave(SnapshotWriter writer, Closure done) {
    try {
      store.copyTo(Path.of(writer.getPath()));
      long applied = store.appliedIndex(); // the copy's, on this thread
      if (!writer.addFile(StateStore.DATA_FILE, SnapshotStateTag.of(applied))) {
        done.run(new Status(RaftError.EIO, "could not add %s to the snapshot",
            StateStore.DATA_FILE));
        return;
      }
      indexer.submitAction(applied, new SnapshotIndexSave(writer, done, applied,
          registry.indexes(), registry, counters));
    } catch (RuntimeException e) {
      LOG.error("snapshot save failed: {}", e.toString(), e);
      done.run(new Status(RaftError.EIO, "snapshot save failed: %s", e));
    }
  }

  @Override
  public boolean onSnapshotLoad(SnapshotReader reader) {
    SnapshotMeta meta = reader.load();
    if (meta == null || reader.getFileMeta(StateStore.DATA_FILE) == null) {
      LOG.error("snapshot in {} has no {}: refusing it", reader.getPath(), StateStore.DATA_FILE);
      return false;
    }
    long snapshotIndex = SnapshotStateTag.appliedIndex(reader.getFileMeta(StateStore.DATA_FILE),
        meta.getLastIncludedIndex());
    if (store.appliedIndex() >= snapshotIndex) {
      LOG.info("state already at index {} >= the snapshot's state index {}: kept",
          store.appliedIndex(), snapshotIndex);
      if (!registry.isLoaded()) { // at init: the indexes start from this snapshot's files
        registry.load(Path.of(reader.getPath()));
      }
      return true;
    }
    try {
      indexer.awaitIdle();
      store.replaceWith(Path.of(reader.getPath()));
      registry.load(Path.of(reader.getPath()));
      watermark.advance(store.appliedIndex());
      counters.snapshotsLoaded.increment();
      LOG.info("installed snapshot at index {} (state now at {})", snapshotIndex,
          store.appliedIndex());
      return true;
    } catch (RuntimeException e) {
      LOG.error("snapshot load failed: {}", e.toString(), e);
      return false;
    }
  }

  @Override
  public void onLeaderStart(long term) {
    leaderState.leaderStarted(term);
    indexer.recheck(store.appliedIndex(), registry.indexes()); // training due, e.g. after restart
  }

  @Override
  public void onLeaderStop(Status status) {
    leaderState.leaderStopped();
  }

  @Override
  public void onStartFollowing(LeaderChangeContext context) {
    leaderState.following();
  }

  @Override
  public void onError(RaftException e) {
    failure = e;
    LOG.error("Raft node failed; this member stops serving: {}", e.getStatus(), e);
  }

  /** The error that halted this member, or null. */
  RaftException failure() {
    return failure;
  }
}
