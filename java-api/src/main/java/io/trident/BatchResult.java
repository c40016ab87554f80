package io.trident;

import java.util.Arrays;

/**
 * The outcome of each operation of a {@link WriteBatch}, in the batch's order. Immutable.
 */
public final class BatchResult {
  /** What happened to one operation. */
  public enum Outcome {
    /** Put, delete of a present key, or compare-and-set that matched: applied. */
    APPLIED,
    /** Delete of an absent key: nothing to do (not a failure; does not abort an atomic batch). */
    NOT_FOUND,
    /** The compare-and-set's expected value did not match: not applied. */
    CAS_FAILED,
    /** An atomic batch in which another operation failed: not applied. */
    ABORTED;

    private static final Outcome[] BY_CODE = values();

    /** The outcome's stable wire code. */
    public byte code() {
      return (byte) ordinal();
    }

    public static Outcome ofCode(byte code) {
      return BY_CODE[code];
    }
  }

  private final String batchId;
  private final Outcome[] outcomes;
  private final boolean duplicate;

  public BatchResult(String batchId, Outcome[] outcomes, boolean duplicate) {
    this.batchId = batchId;
    this.outcomes = outcomes.clone();
    this.duplicate = duplicate;
  }

  public String batchId() {
    return batchId;
  }

  public int size() {
    return outcomes.length;
  }

  public Outcome outcome(int operationIndex) {
    return outcomes[operationIndex];
  }

  /** True when no operation failed (NOT_FOUND deletes count as success). */
  public boolean succeeded() {
    return Arrays.stream(outcomes).noneMatch(o -> o == Outcome.CAS_FAILED || o == Outcome.ABORTED);
  }

  /** True when this id had been applied before: these are the first attempt's outcomes. */
  public boolean duplicate() {
    return duplicate;
  }

  @Override
  public String toString() {
    return "BatchResult{" + batchId + ", " + Arrays.toString(outcomes)
        + (duplicate ? ", duplicate" : "") + "}";
  }
}
