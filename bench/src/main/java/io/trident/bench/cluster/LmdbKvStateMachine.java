package io.trident.bench.cluster;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.core.StateMachineAdapter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

/**
 * The plain-jraft baseline's state machine: one LMDB write transaction per {@code onApply} range
 * puts every entry's key and value and the applied index, then the entries' closures run.
 * Opened with {@code MDB_NOSYNC}: durability comes from the Raft log (jraft's RocksDB log with
 * {@code sync=true}), which jraft replays from the start on restart, and puts are idempotent.
 * {@code onApply} runs on jraft's single FSM thread; {@link #get} may run on any thread
 * ({@code MDB_NOTLS}).
 *
 * <p>Keys and values pass through direct buffers, never lmdbjava's {@code ByteArrayProxy}: that
 * proxy hands LMDB native memory whose owner the GC may free during the call (lmdbjava issue
 * 252), which crashed a test JVM in {@code mdb_put}.
 */
final class LmdbKvStateMachine extends StateMachineAdapter implements AutoCloseable {
  private static final long MAP_SIZE_BYTES = 16L << 30;
  private static final int READERS_MAX = 1024;
  private static final byte[] APPLIED_INDEX_KEY = "applied_index".getBytes(StandardCharsets.US_ASCII);

  private final Env<ByteBuffer> env;
  private final Dbi<ByteBuffer> values;
  private final Dbi<ByteBuffer> meta;
  /** Staging for keys and values on the FSM thread (onApply), grown as needed. */
  private ByteBuffer applyKey = ByteBuffer.allocateDirect(64);
  private ByteBuffer applyValue = ByteBuffer.allocateDirect(1024);
  private final ByteBuffer appliedIndexKey = direct(APPLIED_INDEX_KEY);
  private final ByteBuffer appliedIndexValue = ByteBuffer.allocateDirect(Long.BYTES);
  private volatile boolean leader;

  LmdbKvStateMachine(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    env = Env.create().setMapSize(MAP_SIZE_BYTES).setMaxDbs(2)
        .setMaxReaders(READERS_MAX).open(directory.toFile(), EnvFlags.MDB_NOSYNC,
            EnvFlags.MDB_NOTLS);
    values = env.openDbi("kv", DbiFlags.MDB_CREATE);
    meta = env.openDbi("meta", DbiFlags.MDB_CREATE);
  }

  /** Entry payload of one put: key length (4 bytes, big-endian), key, value. */
  static ByteBuffer encodePut(byte[] key, byte[] value) {
    ByteBuffer entry = ByteBuffer.allocate(Integer.BYTES + key.length + value.length);
    entry.putInt(key.length).put(key).put(value).flip();
    return entry;
  }

  @Override
  public void onApply(Iterator iterator) {
    List<Closure> completed = new ArrayList<>();
    long appliedIndex = -1;
    try (Txn<ByteBuffer> txn = env.txnWrite()) {
      while (iterator.hasNext()) {
        ByteBuffer data = iterator.getData();
        if (data != null && data.remaining() >= Integer.BYTES) {
          ByteBuffer entry = data.duplicate();
          int keyBytes = entry.getInt();
          ByteBuffer key = entry.slice().limit(keyBytes);
          ByteBuffer value = entry.position(entry.position() + keyBytes).slice();
          applyKey = stage(applyKey, key);
          applyValue = stage(applyValue, value);
          values.put(txn, applyKey, applyValue);
        }
        appliedIndex = iterator.getIndex();
        if (iterator.done() != null) {
          completed.add(iterator.done());
        }
        iterator.next();
      }
      if (appliedIndex >= 0) {
        appliedIndexValue.clear();
        appliedIndexValue.putLong(0, appliedIndex);
        meta.put(txn, appliedIndexKey, appliedIndexValue);
      }
      txn.commit();
    }
    for (Closure done : completed) {
      done.run(Status.OK());
    }
  }

  /** The value under {@code key} in this replica, or null. */
  byte[] get(byte[] key) {
    try (Txn<ByteBuffer> txn = env.txnRead()) {
      ByteBuffer value = values.get(txn, direct(key));
      if (value == null) {
        return null;
      }
      byte[] copy = new byte[value.remaining()];
      value.get(copy);
      return copy;
    }
  }

  /** {@code source}'s bytes in {@code buffer}, or in a larger direct buffer when they do not fit. */
  private static ByteBuffer stage(ByteBuffer buffer, ByteBuffer source) {
    ByteBuffer target = buffer.capacity() >= source.remaining() ? buffer
        : ByteBuffer.allocateDirect(Math.max(source.remaining(), 2 * buffer.capacity()));
    target.clear();
    target.put(source).flip();
    return target;
  }

  private static ByteBuffer direct(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length);
    buffer.put(bytes).flip();
    return buffer;
  }

  @Override
  public void onLeaderStart(long term) {
    leader = true;
  }

  @Override
  public void onLeaderStop(Status status) {
    leader = false;
  }

  boolean isLeader() {
    return leader;
  }

  @Override
  public void close() {
    env.close();
  }
}
