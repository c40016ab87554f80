package io.trident.internal.node;

import io.trident.internal.collection.CollectionIndex;
import io.trident.internal.collection.TrainedQuantizer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains each IVF/PQ/SQ collection once, on the leader, and replicates the result: when an
 * untrained collection's waiting records reach {@link io.trident.CollectionSpec#trainingRecords},
 * the leader takes the first that many as the sample (on the indexer thread), trains a fresh
 * structure on its own thread, and proposes the trained, empty structure's bytes through the log
 * ({@link CollectionWrites.Train}). Every replica, this one included, installs those bytes when
 * it applies the entry, so all replicas search the very same centroids and codebooks. Training
 * is never run twice for one collection on one leader at a time; if the proposal fails (leader
 * change), the next indexed change of the collection on whichever member leads tries again; if
 * two leaders both propose, the first entry applied wins and the other is ignored everywhere.
 *
 * <p>Threads: {@link #indexed} on the indexer thread; training on one daemon thread; {@link
 * #close} once.
 */
final class IndexTrainer implements CollectionIndexer.AfterChanges, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IndexTrainer.class);

  private final BooleanSupplier isLeader;
  private final WriteBatcher batcher;
  private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
  private final ExecutorService trainer;

  IndexTrainer(String name, BooleanSupplier isLeader, WriteBatcher batcher) {
    this.isLeader = isLeader;
    this.batcher = batcher;
    this.trainer = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    });
  }

  @Override
  public void indexed(CollectionIndex index) {
    if (index.isTrained() || !isLeader.getAsBoolean()) {
      return;
    }
    int sampleRecords = index.spec().trainingRecords();
    if (index.pendingCount() < sampleRecords || !inFlight.add(index.collectionId())) {
      return;
    }
    float[] sample = index.trainingSample(sampleRecords);
    try {
      trainer.execute(() -> trainAndPropose(index, sample, sampleRecords));
    } catch (RejectedExecutionException e) {
      inFlight.remove(index.collectionId()); // closing
    }
  }

  private void trainAndPropose(CollectionIndex index, float[] sample, int sampleRecords) {
    long start = System.nanoTime();
    try {
      byte[] quantizer = TrainedQuantizer.train(index.spec(), sample, sampleRecords);
      LOG.info("collection {}: trained {} on {} records in {} ms; proposing it ({} bytes)",
          index.name(), index.spec().index(), sampleRecords,
          (System.nanoTime() - start) / 1_000_000, quantizer.length);
      batcher.submit(new CollectionWrites.Train(index.name(), index.collectionId(), quantizer))
          .whenComplete((applied, error) -> {
            inFlight.remove(index.collectionId());
            if (error != null) {
              LOG.warn("collection {}: the trained quantizer was not committed ({}); the next"
                  + " change on the leader retries", index.name(), error.toString());
            }
          });
    } catch (RuntimeException e) {
      inFlight.remove(index.collectionId());
      LOG.error("collection {}: training failed: {}", index.name(), e.toString(), e);
    }
  }

  @Override
  public void close() {
    trainer.shutdownNow();
  }
}
