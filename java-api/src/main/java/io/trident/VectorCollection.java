package io.trident;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A replicated collection of vectors with typed attributes ({@link CollectionSpec}), searched by
 * k nearest neighbours on any member. Obtained from {@link VectorCollections}; a handle stays
 * bound to the collection it was obtained for: once that is dropped, every call fails with
 * {@code UnknownCollectionException} (even if a new collection of the same name is created).
 *
 * <p>Writes ({@link #upsert}, {@link #upsertAll}, {@link #delete}) travel like {@link KvStore}
 * writes: packed with concurrent writes into shared Raft entries, acknowledged once durable on a
 * majority and applied to the leader's stored state; any member takes them. Acknowledged is not
 * yet searchable: each member adds applied records to its in-memory native index shortly after,
 * on its own thread ({@link ReadConsistency#READ_YOUR_WRITES} searches wait for that). Vectors
 * and attributes are checked and copied before the call returns; bad input throws at once ({@code
 * DimensionMismatchException}, {@code NonFiniteVectorException}, {@code
 * UnknownAttributeException}, {@code AttributeTypeException}, {@code InvalidArgumentException})
 * and nothing is applied. Futures fail as KvStore's do ({@code OperationTimeoutException}, ...),
 * or with {@code UnknownCollectionException} when the collection was dropped meanwhile.
 *
 * <p>Searches run on the calling thread against this member's index (one native copy per
 * collection per process, shared by every caller); k larger than the collection, or than what a
 * filter lets through, returns the hits there are. Deleted ids are never returned once the
 * delete is indexed. Thread-safe.
 */
public interface VectorCollection {
  String name();

  CollectionSpec spec();

  /**
   * Stores {@code vector} and {@code attributes} under {@code id} (any long), replacing any record.
   * Attributes must be declared in the spec, with values of their {@link AttributeType}; leave
   * an attribute out (or pass null for none) rather than mapping it to null.
   */
  CompletableFuture<Void> upsert(long id, float[] vector, Map<String, Object> attributes);

  /** Applies a batch (see {@link UpsertBatch}) in one Raft entry; one outcome per operation. */
  CompletableFuture<BatchResult> upsertAll(UpsertBatch batch);

  /** Removes the record; true when it existed. */
  CompletableFuture<Boolean> delete(long id);

  /** The stored record, or null, at the node's default {@link NodeOptions#readConsistency()}. */
  CompletableFuture<VectorRecord> get(long id);

  /** The stored record, or null; {@code READ_YOUR_WRITES} waits for this member's writes. */
  CompletableFuture<VectorRecord> get(long id, ReadConsistency consistency);

  /** The k nearest records to {@code query} on this replica ({@link ReadConsistency#LOCAL}). */
  SearchHits search(float[] query, int k);

  SearchHits search(SearchRequest request);

  /**
   * Many queries; those sharing k, knobs and filter run as one native call. One {@link
   * SearchHits} per request, in order; the strongest consistency asked for applies to all.
   */
  List<SearchHits> searchBatch(List<SearchRequest> requests);

  /**
   * Queues the search for this collection's search workers (one per core, first come first
   * served, concurrent queries gathered into native batches) and returns at once; bad input
   * throws at once. The future fails with {@code OverloadedException} when too many searches are
   * queued. Dependent stages without an executor run on a search worker: keep them short.
   */
  CompletableFuture<SearchHits> searchAsync(SearchRequest request);

  /** Records searchable on this member now (may trail acknowledged writes). */
  long size();

  /**
   * False while this member's index of an IVF, PQ or SQ collection waits for its trained
   * quantizer (trained once, on the leader's first {@link CollectionSpec#trainingRecords()}
   * records, and replicated): its searches are then exact scans of the stored records, so
   * nprobe has no effect. Always true for Flat and HNSW.
   */
  boolean isIndexTrained();
}
