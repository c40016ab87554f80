package io.trident.internal.node;

import io.trident.BatchResult;
import io.trident.CollectionSpec;
import io.trident.Filter;
import io.trident.ReadConsistency;
import io.trident.SearchHit;
import io.trident.SearchHits;
import io.trident.SearchRequest;
import io.trident.UpsertBatch;
import io.trident.VectorCollection;
import io.trident.VectorRecord;
import io.trident.error.ClosedHandleException;
import io.trident.error.InvalidArgumentException;
import io.trident.error.UnknownCollectionException;
import io.trident.internal.collection.AttributeSchema;
import io.trident.internal.collection.CollectionIndex;
import io.trident.internal.collection.FilterCompiler;
import io.trident.internal.collection.RecordCodec;
import io.trident.search.SearchParams;
import io.trident.search.SearchResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * {@link VectorCollection} of a {@link ReplicatedNode}, bound to one collection id: every call
 * first finds that collection's {@link CollectionIndex} in the registry (gone: the collection was
 * dropped). Writes are checked and encoded on the caller's thread, then go through the batcher;
 * searches run on the caller's thread against the index, after waiting for the consistency they
 * ask; hits get their attributes and vectors from the stored records.
 */
final class ReplicatedVectorCollection implements VectorCollection {
  private final NodeServices services;
  private final String name;
  private final long collectionId;
  private final CollectionSpec spec;
  private final AttributeSchema schema;

  ReplicatedVectorCollection(NodeServices services, CollectionIndex index) {
    this.services = services;
    this.name = index.name();
    this.collectionId = index.collectionId();
    this.spec = index.spec();
    this.schema = index.schema();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CollectionSpec spec() {
    return spec;
  }

  @Override
  public CompletableFuture<Void> upsert(long id, float[] vector, Map<String, Object> attributes) {
    live();
    byte[] record = checkedRecord(id, vector, attributes);
    return services.batcher.submit(new CollectionWrites.Change(name, collectionId, id, record))
        .thenApply(applied -> null);
  }

  @Override
  public CompletableFuture<BatchResult> upsertAll(UpsertBatch batch) {
    live();
    if (batch == null || batch.size() == 0) {
      throw new InvalidArgumentException("upsert batch is null or empty");
    }
    long[] ids = new long[batch.size()];
    byte[][] records = new byte[batch.size()][];
    for (int i = 0; i < ids.length; i++) {
      UpsertBatch.Operation operation = batch.operations().get(i);
      ids[i] = operation.id();
      records[i] = operation.isDelete() ? null
          : checkedRecord(operation.id(), operation.vector(), operation.attributes());
    }
    CollectionWrites.Batch pending = new CollectionWrites.Batch(name, collectionId, batch.id(),
        ids, records);
    if (pending.encodedBytes() + EntryFormat.HEADER_BYTES > services.options.batchBytesMax()) {
      throw new InvalidArgumentException("upsert batch " + batch.id() + " encodes to "
          + pending.encodedBytes() + " bytes, over batchBytesMax ("
          + services.options.batchBytesMax() + "); split it");
    }
    return services.batcher.submit(pending);
  }

  @Override
  public CompletableFuture<Boolean> delete(long id) {
    live();
    return services.batcher.submit(new CollectionWrites.Change(name, collectionId, id, null));
  }

  @Override
  public CompletableFuture<VectorRecord> get(long id) {
    return get(id, services.options.readConsistency());
  }

  @Override
  public CompletableFuture<VectorRecord> get(long id, ReadConsistency consistency) {
    live();
    return services.read(consistency, () -> {
      live();
      byte[] record = storedRecord(id);
      if (record == null) {
        return null;
      }
      RecordCodec.Decoded decoded = RecordCodec.decode(schema, spec.dimension(), record);
      return new VectorRecord(id, decoded.vector(), decoded.attributes(schema));
    });
  }

  @Override
  public SearchHits search(float[] query, int k) {
    return search(SearchRequest.of(query, k));
  }

  @Override
  public SearchHits search(SearchRequest request) {
    if (request == null) {
      throw new InvalidArgumentException("search request is null");
    }
    return searchBatch(List.of(request)).get(0);
  }

  @Override
  public List<SearchHits> searchBatch(List<SearchRequest> requests) {
    if (requests == null || requests.isEmpty()
        || requests.stream().anyMatch(Objects::isNull)) {
      throw new InvalidArgumentException("searchBatch needs at least one request and no nulls");
    }
    Map<Filter, FilterCompiler.Compiled> filters = checkRequests(requests);
    ReadConsistency strongest = ReadConsistency.LOCAL;
    for (SearchRequest request : requests) {
      strongest = strength(request.consistency()) > strength(strongest) ? request.consistency()
          : strongest;
    }
    NodeServices.await(services.indexedFor(strongest));
    Map<Object, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < requests.size(); i++) {
      SearchRequest request = requests.get(i);
      groups.computeIfAbsent(List.of(request.k(), request.efSearch(), request.nprobe(),
          Objects.requireNonNullElse(request.filter(), "")), key -> new ArrayList<>()).add(i);
    }
    SearchHits[] out = new SearchHits[requests.size()];
    for (List<Integer> group : groups.values()) {
      SearchRequest first = requests.get(group.get(0));
      float[][] queries = group.stream().map(i -> requests.get(i).query())
          .toArray(float[][]::new);
      SearchResult[] results = onIndex(index -> index.search(queries, first.k(), params(first),
          filters.get(first.filter())));
      for (int i = 0; i < group.size(); i++) {
        out[group.get(i)] = hits(results[i], requests.get(group.get(i)));
      }
    }
    return List.of(out);
  }

  @Override
  public CompletableFuture<SearchHits> searchAsync(SearchRequest request) {
    if (request == null) {
      throw new InvalidArgumentException("search request is null");
    }
    FilterCompiler.Compiled filter = checkRequests(List.of(request)).get(request.filter());
    return services.indexedFor(request.consistency())
        .thenCompose(ready -> live().searchAsync(request.query(), request.k(), params(request),
            filter))
        .thenApply(result -> hits(result, request));
  }

  @Override
  public long size() {
    return onIndex(CollectionIndex::size);
  }

  @Override
  public boolean isIndexTrained() {
    return onIndex(CollectionIndex::isTrained);
  }

  /** Checks every request's query and filter; returns the compiled filters by filter. */
  private Map<Filter, FilterCompiler.Compiled> checkRequests(List<SearchRequest> requests) {
    CollectionIndex index = live();
    Map<Filter, FilterCompiler.Compiled> filters = new HashMap<>();
    for (int i = 0; i < requests.size(); i++) {
      SearchRequest request = requests.get(i);
      RecordCodec.checkVector(spec, request.query(), requests.size() == 1 ? "query"
          : "query " + i);
      if (request.filter() != null && !filters.containsKey(request.filter())) {
        filters.put(request.filter(), index.compile(request.filter()));
      }
    }
    return filters;
  }

  private static SearchParams params(SearchRequest request) {
    return new SearchParams(request.efSearch(), request.nprobe(), 1);
  }

  /** The public hits of one result; hits whose record is gone are left out when reading it. */
  private SearchHits hits(SearchResult result, SearchRequest request) {
    boolean read = request.includeAttributes() || request.includeVectors();
    List<SearchHit> hits = new ArrayList<>(result.count());
    for (int i = 0; i < result.count(); i++) {
      long id = result.ids()[i];
      if (!read) {
        hits.add(new SearchHit(id, result.distances()[i], null, null));
        continue;
      }
      byte[] record = storedRecord(id);
      if (record == null) {
        continue; // deleted since it was indexed
      }
      RecordCodec.Decoded decoded = RecordCodec.decode(schema, spec.dimension(), record);
      hits.add(new SearchHit(id, result.distances()[i],
          request.includeAttributes() ? decoded.attributes(schema) : null,
          request.includeVectors() ? decoded.vector() : null));
    }
    return new SearchHits(hits);
  }

  private byte[] storedRecord(long id) {
    return services.store.get(StateStore.Namespace.VECTORS,
        CollectionCatalogue.vectorKey(collectionId, id));
  }

  private byte[] checkedRecord(long id, float[] vector, Map<String, Object> attributes) {
    byte[] record = RecordCodec.encode(spec, schema, id, vector, attributes);
    if (record.length > services.options.valueBytesMax()) {
      throw new InvalidArgumentException("record of id " + id + " encodes to " + record.length
          + " bytes, over valueBytesMax (" + services.options.valueBytesMax() + ")");
    }
    return record;
  }

  /**
   * Runs {@code call} on this collection's index; when that index was closed meanwhile (a
   * snapshot install replaced it), once more on its replacement.
   */
  private <T> T onIndex(Function<CollectionIndex, T> call) {
    CollectionIndex index = live();
    try {
      return call.apply(index);
    } catch (ClosedHandleException e) {
      CollectionIndex replacement = live();
      if (replacement == index) {
        throw e;
      }
      return call.apply(replacement);
    }
  }

  /** This collection's index; throws when the node is closed or the collection dropped. */
  private CollectionIndex live() {
    services.checkOpen();
    CollectionIndex index = services.registry.byId(collectionId);
    if (index == null) {
      throw new UnknownCollectionException("collection " + name + " was dropped");
    }
    return index;
  }

  private static int strength(ReadConsistency consistency) {
    return switch (consistency) {
      case LOCAL -> 0;
      case READ_YOUR_WRITES -> 1;
      case LINEARIZABLE -> 2;
    };
  }

  @Override
  public String toString() {
    return "VectorCollection{" + name + ", " + spec + "}";
  }
}
