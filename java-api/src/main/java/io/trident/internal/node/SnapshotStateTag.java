package io.trident.internal.node;

import com.alipay.sofa.jraft.entity.LocalFileMetaOutter.LocalFileMeta;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import java.nio.ByteBuffer;

/**
 * The state copy's tag in a snapshot: the applied index of the {@link StateStore} it copies (the
 * last entry that changed the state), kept in the user meta of the snapshot's data file. jraft's
 * last included index can be later (entries without data: a new leader's no-op, configuration
 * changes); a store that has applied the tagged entry already holds the snapshot's state.
 */
final class SnapshotStateTag {
  private SnapshotStateTag() {}

  /** The file meta for the data file of a state copy at {@code appliedIndex}. */
  static LocalFileMeta of(long appliedIndex) {
    byte[] value = ByteBuffer.allocate(Long.BYTES).putLong(appliedIndex).array();
    return LocalFileMeta.newBuilder().setUserMeta(ByteString.copyFrom(value)).build();
  }

  /**
   * The applied index the data file's meta carries, or {@code lastIncludedIndex} for a snapshot
   * written before the tag existed.
   */
  static long appliedIndex(Message dataFileMeta, long lastIncludedIndex) {
    if (dataFileMeta instanceof LocalFileMeta meta && meta.hasUserMeta()
        && meta.getUserMeta().size() == Long.BYTES) {
      return meta.getUserMeta().asReadOnlyByteBuffer().getLong();
    }
    return lastIncludedIndex;
  }
}
