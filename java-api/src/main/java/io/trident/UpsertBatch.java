package io.trident;

import io.trident.error.InvalidArgumentException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Many upserts and deletes for one {@link VectorCollection}, sent as one call ({@link
 * VectorCollection#upsertAll}) and one Raft entry, with a client-chosen id: a retry of the same
 * id on the same collection (after a timeout, on any member) returns the first attempt's {@link
 * BatchResult} (marked {@link BatchResult#duplicate()}) and applies nothing again, for as long as
 * the group remembers the id ({@value WriteBatch#ID_RETENTION_ENTRIES} Raft entries).
 *
 * <p>Outcomes: {@code APPLIED} for an upsert and for a delete of a stored id, {@code NOT_FOUND}
 * for a delete of an absent id. Operations apply in order (the last one on an id wins). Vectors
 * and attributes are checked and copied when the batch is passed to {@code upsertAll}. Not
 * thread-safe.
 */
public final class UpsertBatch {
  /** One operation: an upsert, or a delete when {@code vector} is null. */
  public record Operation(long id, float[] vector, Map<String, Object> attributes) {
    public boolean isDelete() {
      return vector == null;
    }
  }

  private final String id;
  private final List<Operation> operations = new ArrayList<>();

  /** A batch with the caller's id (1..{@value WriteBatch#ID_BYTES_MAX} UTF-8 bytes; keep it to retry). */
  public UpsertBatch(String id) {
    this.id = WriteBatch.checkId(id);
  }

  /** A batch with a random id. */
  public UpsertBatch() {
    this(UUID.randomUUID().toString());
  }

  /** Stores {@code vector} and {@code attributes} (null: none) under {@code id}, replacing any record. */
  public UpsertBatch upsert(long id, float[] vector, Map<String, Object> attributes) {
    if (vector == null) {
      throw new InvalidArgumentException("upsert of id " + id + " has a null vector (use delete)");
    }
    operations.add(new Operation(id, vector, attributes));
    return this;
  }

  public UpsertBatch delete(long id) {
    operations.add(new Operation(id, null, null));
    return this;
  }

  public String id() {
    return id;
  }

  public int size() {
    return operations.size();
  }

  public List<Operation> operations() {
    return Collections.unmodifiableList(operations);
  }
}
