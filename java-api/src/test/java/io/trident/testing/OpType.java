package io.trident.testing;

/**
 * The operations of the per-key register model that {@link LinearizabilityChecker} checks
 * against. Arguments and results of each are listed on {@link Operation}.
 */
public enum OpType {
  /** Sets the value (never null: use {@link #DELETE}); result: none. */
  PUT,
  /** Reads the value; result: the value, or null when the key is absent. */
  GET,
  /** Removes the key; result: true when it existed. */
  DELETE,
  /**
   * Compare-and-set: if the value equals {@code expected} (null = absent), sets it to
   * {@code update} (null = delete); result: true when it was set.
   */
  CAS
}
