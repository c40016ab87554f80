package io.trident.internal.node;

import com.alipay.sofa.jraft.Closure;

/**
 * The closure of a proposed Trident entry: the state machine hands it the entry's results once
 * applied; {@link Closure#run} reports a failure to commit (then {@link #applied} is not called).
 */
interface EntryResultClosure extends Closure {
  /** Called on the state-machine thread with the entry's Raft index: must not block. */
  void applied(byte[] results, long index);
}
