package io.trident.internal.collection;

import io.trident.AttributeType;
import io.trident.CollectionSpec;
import io.trident.search.IndexSpec;
import io.trident.search.Metric;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The byte form of a {@link CollectionSpec}, as Raft entries and the LMDB catalogue hold it:
 *
 * <pre>
 * spec := version:u8 dimension:i32 metric:text factory:text efConstruction:i32 count:u16
 *         (name:text type:text){count}          text := length:u16 UTF-8 bytes
 * </pre>
 *
 * Enum constants are stored by name, so adding constants never changes stored meaning. Big-endian.
 * Stateless.
 */
public final class SpecCodec {
  private static final byte VERSION = 1;

  private SpecCodec() {}

  public static byte[] encode(CollectionSpec spec) {
    ByteBuffer out = ByteBuffer.allocate(64 * 1024);
    out.put(VERSION).putInt(spec.dimension());
    putText(out, spec.metric().name());
    putText(out, spec.index().factory());
    out.putInt(spec.index().efConstruction());
    out.putShort((short) spec.attributes().size());
    for (Map.Entry<String, AttributeType> attribute : spec.attributes().entrySet()) {
      putText(out, attribute.getKey());
      putText(out, attribute.getValue().name());
    }
    byte[] bytes = new byte[out.position()];
    out.flip().get(bytes);
    return bytes;
  }

  /**
   * Reads a spec from {@code in} (advancing it).
   *
   * @throws IllegalStateException when the bytes are not a spec this code wrote
   */
  public static CollectionSpec decode(ByteBuffer in) {
    byte version = in.get();
    if (version != VERSION) {
      throw new IllegalStateException("collection spec has format version " + version);
    }
    int dimension = in.getInt();
    Metric metric = Metric.valueOf(text(in));
    IndexSpec index = IndexSpec.parse(text(in)).withEfConstruction(in.getInt());
    CollectionSpec.Builder builder = CollectionSpec.builder().dimension(dimension).metric(metric)
        .index(index);
    int count = Short.toUnsignedInt(in.getShort());
    for (int i = 0; i < count; i++) {
      builder.attribute(text(in), AttributeType.valueOf(text(in)));
    }
    return builder.build();
  }

  private static void putText(ByteBuffer out, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.putShort((short) bytes.length).put(bytes);
  }

  private static String text(ByteBuffer in) {
    byte[] bytes = new byte[Short.toUnsignedInt(in.getShort())];
    in.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
