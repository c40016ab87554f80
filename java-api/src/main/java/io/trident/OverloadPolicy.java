package io.trident;

/** What a write does when {@link NodeOptions#maxInflightOps()} operations are already in flight. */
public enum OverloadPolicy {
  /** The caller's thread waits for room, up to the request timeout (then OperationTimeoutException). */
  WAIT,
  /** The returned future fails at once with {@link io.trident.error.OverloadedException}. */
  FAIL
}
