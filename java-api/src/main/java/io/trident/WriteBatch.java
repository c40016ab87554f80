package io.trident;

import io.trident.error.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * Many puts, deletes and compare-and-sets sent as one call ({@link KvStore#write}), with a
 * client-chosen id: a retry of the same id (after a timeout, on any member) returns the first
 * attempt's {@link BatchResult} and applies nothing again, for as long as the group remembers the
 * id (the last {@value #ID_RETENTION_ENTRIES} Raft entries).
 *
 * <p>{@link #atomic} batches apply all or nothing: one failed compare-and-set aborts them all.
 * {@link #perOperation} batches apply each operation on its own. Either way the batch is one Raft
 * entry, and no reader sees part of it. Not thread-safe; the store copies it when it is written.
 */
public final class WriteBatch {
  /** How many Raft entries back the group remembers batch ids. */
  public static final int ID_RETENTION_ENTRIES = 1_000_000;
  /** Longest batch id, in UTF-8 bytes. */
  public static final int ID_BYTES_MAX = 128;

  /** One operation of a batch; {@code value} null for a delete, {@code expected} for a CAS. */
  public record Operation(Kind kind, byte[] key, byte[] expected, byte[] value) {}

  /** What an {@link Operation} does. */
  public enum Kind { PUT, DELETE, COMPARE_AND_SET }

  private final String id;
  private final boolean atomic;
  private final List<Operation> operations = new ArrayList<>();

  private WriteBatch(String id, boolean atomic) {
    this.id = checkId(id);
    this.atomic = atomic;
  }

  /** {@code id} when it is a valid batch id (also of an {@link UpsertBatch}); else throws. */
  static String checkId(String id) {
    if (id == null || id.isEmpty()
        || id.getBytes(StandardCharsets.UTF_8).length > ID_BYTES_MAX) {
      throw new InvalidArgumentException("batch id must be 1.." + ID_BYTES_MAX
          + " UTF-8 bytes, was " + (id == null ? "null" : "\"" + id + "\""));
    }
    return id;
  }

  /** A batch applied all or nothing, with the caller's id (keep it to retry). */
  public static WriteBatch atomic(String id) {
    return new WriteBatch(id, true);
  }

  /** A batch applied all or nothing, with a random id. */
  public static WriteBatch atomic() {
    return atomic(UUID.randomUUID().toString());
  }

  /** A batch whose operations apply one by one (a failed CAS fails only itself). */
  public static WriteBatch perOperation(String id) {
    return new WriteBatch(id, false);
  }

  /** A per-operation batch with a random id. */
  public static WriteBatch perOperation() {
    return perOperation(UUID.randomUUID().toString());
  }

  public WriteBatch put(byte[] key, byte[] value) {
    operations.add(new Operation(Kind.PUT, key, null, value));
    return this;
  }

  public WriteBatch delete(byte[] key) {
    operations.add(new Operation(Kind.DELETE, key, null, null));
    return this;
  }

  /** {@code expected} null: the key must be absent; {@code update} null: delete it. */
  public WriteBatch compareAndSet(byte[] key, byte[] expected, byte[] update) {
    operations.add(new Operation(Kind.COMPARE_AND_SET, key, expected, update));
    return this;
  }

  public String id() {
    return id;
  }

  public boolean isAtomic() {
    return atomic;
  }

  public int size() {
    return operations.size();
  }

  /** The operations in the order they apply. */
  public List<Operation> operations() {
    return Collections.unmodifiableList(operations);
  }
}
