package io.trident.internal.collection;

import io.trident.CollectionSpec;
import io.trident.error.ClosedHandleException;
import io.trident.error.StorageIoException;
import io.trident.nativelib.ThreadPlacement;
import io.trident.search.AsyncSearcher;
import io.trident.search.ConcurrentSearcher;
import io.trident.search.IdFilter;
import io.trident.search.IndexSpec;
import io.trident.search.SearchParams;
import io.trident.search.SearchResult;
import io.trident.search.VectorIndex;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One collection's searchable state in this process, derived from its stored records: the native
 * index (one copy, shared by every searcher), the slot each record id has in it, and the records'
 * attributes for filtering ({@link AttributeTable}). Native ids are dense slots rather than the
 * caller's ids so that filters are compact bitsets; a slot is never reused while this object
 * lives (an upsert of a stored id keeps its slot, a deleted id's slot is retired), so a slot in a
 * search result always names the id it was added for.
 *
 * <p>Structures that need training (IVF, PQ, SQ) start untrained: their records wait in memory
 * ({@link PendingRecords}) until the trained quantizer, decided once by the leader and replicated
 * through the log, is installed ({@link #installTrained}). Meanwhile they are searched exactly:
 * they also sit, under their slots, in a Flat index that the trained structure replaces once it
 * holds them all (so no search in between finds fewer records).
 *
 * <p>Threads: {@link #apply} from one thread at a time (the node's indexer); searches from any
 * number of threads. Slots and attributes change under a write lock held for bookkeeping only;
 * native adds happen outside it, in chunks ({@link ChunkedAdd}), because each native add
 * excludes searches while it runs. An id being updated is briefly unsearchable
 * between its removal and its re-add. {@link #close} waits for searches in flight; later calls
 * throw {@link ClosedHandleException}.
 */
public final class CollectionIndex implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CollectionIndex.class);
  private static final byte[] DELETED = new byte[0];
  /** Waiting records added per native call when the trained quantizer is installed. */
  private static final int INSTALL_CHUNK_RECORDS = 4096;

  private final long collectionId;
  private final String name;
  private final CollectionSpec spec;
  private final AttributeSchema schema;
  /** Replaced once, when an untrained structure gets its trained quantizer. */
  private volatile VectorIndex index;
  private volatile ConcurrentSearcher searcher;
  /** False until an IVF/PQ/SQ structure is trained; its records wait in {@link #pending}. */
  private volatile boolean trained;
  private final PendingRecords pending = new PendingRecords();
  /** Until trained: the live records under their slots, searched exactly; then null. */
  private volatile VectorIndex untrainedExact;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final LongIntMap slotsById = new LongIntMap();
  private final AttributeTable attributes;
  /** Caller id per slot; replaced (never changed in place for a published slot) when grown. */
  private volatile long[] idsBySlot = new long[1024];
  /** {@link IndexSlotFile#recordHash} of each live slot's record; indexer thread only. */
  private long[] hashBySlot = new long[1024];
  private int nextSlot;
  /**
   * Live slots whose vectors the running {@link #apply} has not added to the native index yet:
   * slots are published before their vectors are added, so the slot count alone runs ahead of
   * what a search can find. Written under the write lock by the indexer thread.
   */
  private int unindexedSlots;
  private final ThreadPlacement searchPlacement;
  private volatile AsyncSearcher asyncSearcher;
  private volatile RuntimeException failure;
  private boolean closing;

  /** An empty index for collection {@code collectionId}; allocation failures are kept, not thrown. */
  public CollectionIndex(long collectionId, String name, CollectionSpec spec) {
    this(collectionId, name, spec, ThreadPlacement.NONE);
  }

  /** As above; {@code searchPlacement} places the asynchronous search workers. */
  public CollectionIndex(long collectionId, String name, CollectionSpec spec,
      ThreadPlacement searchPlacement) {
    this(collectionId, name, spec, searchPlacement, null);
  }

  /** {@code loaded}, or a new empty native index of the spec when null. */
  private CollectionIndex(long collectionId, String name, CollectionSpec spec,
      ThreadPlacement searchPlacement, VectorIndex loaded) {
    this.searchPlacement = searchPlacement;
    this.collectionId = collectionId;
    this.name = name;
    this.spec = spec;
    this.schema = new AttributeSchema(name, spec);
    this.attributes = new AttributeTable(schema);
    VectorIndex nativeIndex = loaded;
    if (nativeIndex == null) {
      try {
        nativeIndex = VectorIndex.create(spec.dimension(), spec.index());
      } catch (RuntimeException e) {
        failure = e;
        LOG.error("collection {}: cannot create its native index {}: {}", name, spec.index(), e);
      }
    }
    this.index = nativeIndex;
    this.searcher = nativeIndex == null ? null : new ConcurrentSearcher(nativeIndex);
    this.trained = nativeIndex != null && nativeIndex.isTrained();
    if (nativeIndex != null && !trained) {
      createUntrainedExact();
    }
  }

  /**
   * An index around a loaded native index and its slot table ({@link CollectionIndexFiles}); its
   * attributes are empty until {@link CollectionIndexFiles#reconcile} fills them.
   */
  CollectionIndex(long collectionId, String name, CollectionSpec spec, VectorIndex loaded,
      IndexSlotFile.Table slots, ThreadPlacement searchPlacement) {
    this(collectionId, name, spec, searchPlacement, loaded);
    this.idsBySlot = slots.idsBySlot();
    this.hashBySlot = slots.hashBySlot();
    this.nextSlot = slots.slotCount();
    slots.live().stream().forEach(slot -> slotsById.put(idsBySlot[slot], slot));
  }

  private void createUntrainedExact() {
    try {
      untrainedExact = VectorIndex.create(spec.dimension(),
          IndexSpec.parse("Flat").withMetric(spec.index().metric()));
    } catch (RuntimeException e) {
      failure = e;
      LOG.error("collection {}: cannot create its exact index for untrained searches: {}", name,
          e.toString());
    }
  }

  public long collectionId() {
    return collectionId;
  }

  public String name() {
    return name;
  }

  public CollectionSpec spec() {
    return spec;
  }

  public AttributeSchema schema() {
    return schema;
  }

  /** An upsert of {@code record} ({@link RecordCodec} form) under {@code id}, or a delete (null). */
  public record Change(long id, byte[] record) {}

  /**
   * Brings the index up to date with {@code changes}, in order (the last change of an id wins). A
   * failure (a native error, memory) is kept: the index stops taking changes and every search
   * reports it; the stored records are intact, and a restart rebuilds the index from them.
   */
  public void apply(List<Change> changes) {
    apply(changes, 1);
  }

  /**
   * As {@link #apply(List)}; a graph index adds on {@code addThreads} threads (0 = every core,
   * 1 = its spec's build threads) per native call ({@link ChunkedAdd}). Same records, slots and
   * searchable ids as {@link #apply(List)}.
   */
  public void apply(List<Change> changes, int addThreads) {
    if (failure != null || index == null || index.isClosed()) {
      return;
    }
    VectorIndex target = trained ? index : untrainedExact;
    if (!trained) {
      pending.add(changes);
    }
    int threads = target.spec().isGraph() ? addThreads : 1;
    try {
      applyInOrder(target, changes, threads);
      if (trained) {
        TombstoneCompaction.compactIfDue(target, name);
      }
    } catch (ClosedHandleException e) {
      LOG.debug("collection {} closed while changes were applied", name);
    } catch (RuntimeException e) {
      failure = e;
      LOG.error("collection {}: indexing failed; searches fail until a restart rebuilds the"
          + " index: {}", name, e.toString(), e);
    }
  }

  private void applyInOrder(VectorIndex target, List<Change> changes, int addThreads) {
    Map<Long, byte[]> last = new LinkedHashMap<>();
    for (Change change : changes) {
      last.put(change.id(), change.record() == null ? DELETED : change.record());
    }
    long[] stale = last.keySet().stream().mapToInt(slotsById::get).filter(slot -> slot >= 0)
        .asLongStream().toArray();
    if (stale.length > 0) {
      target.remove(stale);
    }
    long[] ids = new long[last.size()];
    byte[][] raw = new byte[last.size()][];
    RecordCodec.Decoded[] records = new RecordCodec.Decoded[last.size()];
    int count = 0;
    int upserts = 0;
    for (Map.Entry<Long, byte[]> entry : last.entrySet()) {
      ids[count] = entry.getKey();
      if (entry.getValue() != DELETED) {
        raw[count] = entry.getValue();
        records[count] = RecordCodec.decode(schema, spec.dimension(), entry.getValue());
        upserts++;
      }
      count++;
    }
    long[] slots = new long[upserts];
    float[] vectors = new float[upserts * spec.dimension()];
    int added = 0;
    lock.writeLock().lock();
    try {
      for (int i = 0; i < count; i++) {
        if (records[i] == null) {
          int slot = slotsById.remove(ids[i]);
          if (slot >= 0) {
            attributes.clear(slot);
          }
          continue;
        }
        int slot = slotsById.get(ids[i]);
        if (slot < 0) {
          slot = newSlot(ids[i]);
          slotsById.put(ids[i], slot);
        }
        attributes.set(slot, records[i].values());
        hashBySlot[slot] = IndexSlotFile.recordHash(raw[i]);
        slots[added] = slot;
        System.arraycopy(records[i].vector(), 0, vectors, added * spec.dimension(),
            spec.dimension());
        added++;
      }
      unindexedSlots = added;
    } finally {
      lock.writeLock().unlock();
    }
    try {
      ChunkedAdd.add(target, slots, vectors, added, addThreads);
    } finally {
      lock.writeLock().lock();
      unindexedSlots = 0;
      lock.writeLock().unlock();
    }
  }

  /** A fresh slot for {@code id}, published in {@link #idsBySlot} before it reaches the index. */
  private int newSlot(long id) {
    if (nextSlot == Integer.MAX_VALUE - 1) {
      throw new StorageIoException("collection " + name + " used up its 2^31 slots in this"
          + " process; a restart renumbers them");
    }
    int slot = nextSlot++;
    long[] ids = idsBySlot;
    if (slot >= ids.length) {
      ids = Arrays.copyOf(ids, Math.max(slot + 1, ids.length * 2));
      hashBySlot = Arrays.copyOf(hashBySlot, ids.length);
    }
    ids[slot] = id;
    idsBySlot = ids;
    return slot;
  }

  /** The native index ({@link CollectionIndexFiles}); null when it could not be created. */
  VectorIndex nativeIndex() {
    return index;
  }

  /** The failure that stopped this index, or null. */
  RuntimeException failure() {
    return failure;
  }

  /**
   * The slot table now; from the indexer thread only (no changes in flight). Empty while
   * untrained: the native index then holds no record, and a load re-applies them all.
   */
  IndexSlotFile.Table slotTable() {
    if (!trained) {
      return new IndexSlotFile.Table(collectionId, 0, new long[0], new long[0], new BitSet());
    }
    lock.readLock().lock();
    try {
      BitSet live = new BitSet(nextSlot);
      for (int slot = 0; slot < nextSlot; slot++) {
        if (slotsById.get(idsBySlot[slot]) == slot) {
          live.set(slot);
        }
      }
      return new IndexSlotFile.Table(collectionId, nextSlot, idsBySlot, hashBySlot, live);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * For {@link CollectionIndexFiles#reconcile}: when {@code id} is live with a record whose hash
   * is {@code hash}, sets its attributes from {@code record} and returns its slot; else -1 (the
   * record must be applied as a change).
   */
  int adoptIfUnchanged(long id, byte[] record, long hash) {
    lock.writeLock().lock();
    try {
      int slot = slotsById.get(id);
      if (slot < 0 || hashBySlot[slot] != hash) {
        return -1;
      }
      attributes.set(slot, RecordCodec.decode(schema, spec.dimension(), record).values());
      return slot;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The live slot of {@code id}, or -1. */
  int slotOf(long id) {
    lock.readLock().lock();
    try {
      return slotsById.get(id);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The caller id slot {@code slot} was added for. */
  long idOfSlot(int slot) {
    return idsBySlot[slot];
  }

  /** True once the structure can take vectors (always for Flat and HNSW). */
  public boolean isTrained() {
    return trained;
  }

  /** Records waiting for the trained quantizer (indexer thread). */
  public int pendingCount() {
    return pending.size();
  }

  /** The first {@code count} waiting records' vectors, row-major (indexer thread). */
  public float[] trainingSample(int count) {
    return pending.sample(count, schema, spec.dimension());
  }

  /**
   * Starts this untrained index over from the trained, empty structure {@code quantizer} ({@link
   * TrainedQuantizer}) and adds every waiting record (indexer thread). A no-op once trained; bad
   * bytes are kept as this index's failure.
   */
  public void installTrained(byte[] quantizer) {
    if (trained || failure != null || index == null) {
      return;
    }
    VectorIndex replacement;
    try {
      replacement = TrainedQuantizer.load(quantizer, spec);
    } catch (RuntimeException e) {
      failure = e;
      LOG.error("collection {}: its trained quantizer cannot be loaded: {}", name, e.toString());
      return;
    }
    List<Change> waiting = pending.drain();
    LOG.info("collection {}: trained quantizer installed; adding {} waiting records", name,
        waiting.size());
    try {
      addUnderTheirSlots(replacement, waiting);
    } catch (RuntimeException e) {
      replacement.close();
      failure = e;
      LOG.error("collection {}: adding the waiting records to the trained index failed: {}",
          name, e.toString(), e);
      return;
    }
    VectorIndex untrained;
    VectorIndex exact;
    AsyncSearcher untrainedAsync;
    synchronized (this) {
      if (closing) {
        replacement.close();
        return;
      }
      untrained = index;
      exact = untrainedExact;
      untrainedAsync = asyncSearcher;
      asyncSearcher = null;
      index = replacement;
      searcher = new ConcurrentSearcher(replacement);
      trained = true; // after index: a search that sees trained reads the trained index
      untrainedExact = null;
    }
    if (untrainedAsync != null) {
      untrainedAsync.close();
    }
    untrained.close();
    if (exact != null) {
      exact.close(); // waits for the searches still reading it
    }
  }

  /**
   * Adds the waiting records to the not yet published trained index under the slots they got
   * when applied to the exact index (indexer thread).
   */
  private void addUnderTheirSlots(VectorIndex trainedIndex, List<Change> waiting) {
    int dimension = spec.dimension();
    for (int from = 0; from < waiting.size(); from += INSTALL_CHUNK_RECORDS) {
      int to = Math.min(waiting.size(), from + INSTALL_CHUNK_RECORDS);
      long[] slots = new long[to - from];
      float[] vectors = new float[slots.length * dimension];
      for (int i = from; i < to; i++) {
        Change change = waiting.get(i);
        int slot = slotOf(change.id());
        if (slot < 0) {
          throw new IllegalStateException("collection " + name + ": waiting record "
              + change.id() + " has no slot");
        }
        slots[i - from] = slot;
        float[] vector = RecordCodec.decode(schema, dimension, change.record()).vector();
        System.arraycopy(vector, 0, vectors, (i - from) * dimension, dimension);
      }
      trainedIndex.add(slots, vectors);
    }
  }

  /**
   * Records searchable now: the live ids, less those an {@link #apply} has published but whose
   * vectors it has not yet added to the native index.
   */
  public long size() {
    lock.readLock().lock();
    try {
      return slotsById.size() - unindexedSlots;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Checks {@code filter} against this collection's attributes (on the caller's thread). */
  public FilterCompiler.Compiled compile(io.trident.Filter filter) {
    return FilterCompiler.compile(filter, schema);
  }

  /**
   * The k nearest records of each query, by caller id, best first; only records {@code filter}
   * (null: any) lets through. One native call for the batch; a single query goes through the
   * concurrent searcher (which gathers concurrent flat-index queries).
   */
  public SearchResult[] search(float[][] queries, int k, SearchParams params,
      FilterCompiler.Compiled filter) {
    checkUsable();
    SearchParams effective = withFilter(params, filter);
    SearchResult[] found = searchBySlot(queries, k, effective);
    for (int i = 0; i < found.length; i++) {
      found[i] = toCallerIds(found[i]);
    }
    return found;
  }

  /** The hits by slot: exact over the waiting records until trained, else the index's. */
  private SearchResult[] searchBySlot(float[][] queries, int k, SearchParams effective) {
    if (!trained) {
      VectorIndex exact = untrainedExact;
      try {
        if (exact != null) {
          return exact.searchBatch(queries, k, effective);
        }
      } catch (ClosedHandleException e) {
        if (!trained) {
          throw e; // closed with the collection
        } // else trained meanwhile: the trained index holds every record now
      }
      if (!trained) {
        throw new ClosedHandleException("collection " + name + " is closed");
      }
    }
    return queries.length == 1
        ? new SearchResult[] {searcher.search(queries[0], k, effective)}
        : index.searchBatch(queries, k, effective);
  }

  /**
   * {@link #search} of one query through this collection's {@link AsyncSearcher}; until
   * trained, the exact search runs on the caller's thread.
   */
  public CompletableFuture<SearchResult> searchAsync(float[] query, int k, SearchParams params,
      FilterCompiler.Compiled filter) {
    checkUsable();
    if (!trained) {
      try {
        return CompletableFuture.completedFuture(
            search(new float[][] {query}, k, params, filter)[0]);
      } catch (ClosedHandleException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    SearchParams effective = withFilter(params, filter);
    return asyncSearcher().searchAsync(query, k, effective).thenApply(this::toCallerIds);
  }

  private AsyncSearcher asyncSearcher() {
    AsyncSearcher current = asyncSearcher;
    if (current == null) {
      synchronized (this) {
        if (closing) {
          throw new ClosedHandleException("collection " + name + " is closed");
        }
        if (asyncSearcher == null) {
          asyncSearcher = new AsyncSearcher(index, searchPlacement);
        }
        current = asyncSearcher;
      }
    }
    return current;
  }

  private SearchParams withFilter(SearchParams params, FilterCompiler.Compiled filter) {
    if (filter == null) {
      return params;
    }
    BitSet slots;
    lock.readLock().lock();
    try {
      slots = filter.slots(attributes);
    } finally {
      lock.readLock().unlock();
    }
    return params.withFilter(IdFilter.ofBitSet(slots));
  }

  private SearchResult toCallerIds(SearchResult bySlot) {
    long[] ids = idsBySlot;
    long[] callerIds = new long[bySlot.count()];
    for (int i = 0; i < callerIds.length; i++) {
      callerIds[i] = ids[(int) bySlot.ids()[i]];
    }
    return new SearchResult(callerIds, bySlot.distances());
  }

  /** Throws when this index failed or is closed. */
  private void checkUsable() {
    RuntimeException failed = failure;
    if (failed != null) {
      throw new StorageIoException("the index of collection " + name + " failed (" + failed
          + "); restart this member to rebuild it from its stored records", failed);
    }
    if (index.isClosed()) {
      throw new ClosedHandleException("collection " + name + " is closed");
    }
  }

  /** Stops async searches, waits for searches in flight, frees the native index. Idempotent. */
  @Override
  public void close() {
    AsyncSearcher async;
    synchronized (this) {
      closing = true;
      async = asyncSearcher;
    }
    if (async != null) {
      async.close();
    }
    if (index != null) {
      index.close();
    }
    VectorIndex exact = untrainedExact;
    if (exact != null) {
      exact.close();
    }
  }

  @Override
  public String toString() {
    return "CollectionIndex{" + name + "#" + collectionId + ", " + spec + "}";
  }
}
