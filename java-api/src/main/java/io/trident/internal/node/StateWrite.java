package io.trident.internal.node;

import java.nio.ByteBuffer;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;

/**
 * One open write transaction of the {@link StateStore}, as the state machine sees it. Keys and
 * values arrive as buffers positioned on their bytes (heap or direct, usually slices of a Raft
 * entry) and are copied into direct scratch buffers for LMDB. Atomic batches run in a nested
 * transaction ({@link #beginNested}) that is committed or aborted whole.
 *
 * <p>Threads: only the state-machine thread, only while {@link StateStore#write} runs.
 */
final class StateWrite {
  private static final int SCRATCH_BYTES_MIN = 4096;
  private static final ByteBuffer EMPTY = ByteBuffer.allocateDirect(0);

  /** Direct staging buffers, owned by one store and reused by its every transaction. */
  static final class Scratch {
    private ByteBuffer key = ByteBuffer.allocateDirect(SCRATCH_BYTES_MIN);
    private ByteBuffer value = ByteBuffer.allocateDirect(SCRATCH_BYTES_MIN);
  }

  private final Env<ByteBuffer> env;
  private final Scratch scratch;
  private final Txn<ByteBuffer> outer;
  private final Dbi<ByteBuffer> kv;
  private final Dbi<ByteBuffer> dedup;
  private final Dbi<ByteBuffer> dedupByIndex;
  private Txn<ByteBuffer> current;

  StateWrite(Env<ByteBuffer> env, Scratch scratch, Txn<ByteBuffer> txn, Dbi<ByteBuffer> kv,
      Dbi<ByteBuffer> dedup, Dbi<ByteBuffer> dedupByIndex) {
    this.env = env;
    this.scratch = scratch;
    this.outer = txn;
    this.current = txn;
    this.kv = kv;
    this.dedup = dedup;
    this.dedupByIndex = dedupByIndex;
  }

  void put(ByteBuffer key, ByteBuffer value) {
    kv.put(current, stageKey(key), stageValue(value));
  }

  /** True when the key existed. */
  boolean delete(ByteBuffer key) {
    return kv.delete(current, stageKey(key));
  }

  /** True when the key's value equals {@code expected} ({@code null}: the key is absent). */
  boolean holds(ByteBuffer key, ByteBuffer expected) {
    ByteBuffer stored = kv.get(current, stageKey(key));
    if (stored == null || expected == null) {
      return stored == null && expected == null;
    }
    return stored.equals(expected);
  }

  /** Starts a nested transaction: what follows commits or aborts whole in {@link #endNested}. */
  void beginNested() {
    if (current == outer) {
      current = env.txn(outer);
    }
  }

  void endNested(boolean commit) {
    if (current != outer) {
      if (commit) {
        current.commit();
      } else {
        current.abort();
      }
      current.close();
      current = outer;
    }
  }

  /** The results stored under {@code dedupKey}, or null. */
  byte[] dedupResults(byte[] dedupKey) {
    ByteBuffer stored = dedup.get(current, stageKey(ByteBuffer.wrap(dedupKey)));
    return stored == null ? null : StateStore.copy(stored);
  }

  /** Remembers {@code results} under {@code dedupKey}, added at Raft index {@code index}. */
  void rememberResults(long index, byte[] dedupKey, byte[] results) {
    dedup.put(current, stageKey(ByteBuffer.wrap(dedupKey)), stageValue(ByteBuffer.wrap(results)));
    ByteBuffer indexKey = ByteBuffer.allocate(Long.BYTES + dedupKey.length);
    indexKey.putLong(index).put(dedupKey).flip();
    dedupByIndex.put(current, stageKey(indexKey), EMPTY);
  }

  /** Forgets dedup keys added below Raft index {@code indexFloor}. */
  void forgetResultsBelow(long indexFloor) {
    if (indexFloor <= 0) {
      return;
    }
    try (Cursor<ByteBuffer> cursor = dedupByIndex.openCursor(current)) {
      int removed = 0;
      // Bounded per call: pruning keeps pace with appends without stalling one apply.
      while (removed < 4096 && cursor.first()) {
        ByteBuffer indexKey = cursor.key();
        if (indexKey.getLong(0) >= indexFloor) {
          break;
        }
        ByteBuffer dedupKey = indexKey.duplicate().position(Long.BYTES).slice();
        dedup.delete(current, dedupKey);
        cursor.delete();
        removed++;
      }
    }
  }

  private ByteBuffer stageKey(ByteBuffer key) {
    scratch.key = stage(scratch.key, key);
    return key.isDirect() ? key : scratch.key;
  }

  private ByteBuffer stageValue(ByteBuffer value) {
    scratch.value = stage(scratch.value, value);
    return value.isDirect() ? value : scratch.value;
  }

  /** {@code target} holding a copy of heap {@code source} (grown if needed); direct: unchanged. */
  private static ByteBuffer stage(ByteBuffer target, ByteBuffer source) {
    if (source.isDirect()) {
      return target;
    }
    if (target.capacity() < source.remaining()) {
      target = ByteBuffer.allocateDirect(Math.max(source.remaining(), target.capacity() * 2));
    }
    target.clear();
    target.put(source.duplicate()).flip();
    return target;
  }
}
