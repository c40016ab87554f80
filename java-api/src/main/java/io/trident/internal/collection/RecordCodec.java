package io.trident.internal.collection;

import io.trident.AttributeType;
import io.trident.CollectionSpec;
import io.trident.error.AttributeTypeException;
import io.trident.error.DimensionMismatchException;
import io.trident.error.InvalidArgumentException;
import io.trident.error.NonFiniteVectorException;
import io.trident.search.Metric;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The byte form of one record (vector + attributes), as Raft entries carry it and LMDB stores it,
 * and the checks a vector or attribute value passes before it is encoded:
 *
 * <pre>
 * record := vector:f32{dimension} count:u16 (position:u16 value){count}   (little-endian)
 * value  := LONG i64 | DOUBLE f64 | STRING text | TAG count:u16 text{count}
 * text   := length:u16 UTF-8 bytes
 * </pre>
 *
 * Attributes appear in position order; each value's type is its attribute's declared type.
 * Stateless.
 */
public final class RecordCodec {
  private RecordCodec() {}

  /** A decoded record: the vector and one value per attribute position (null: absent). */
  public record Decoded(float[] vector, Object[] values) {
    /** The attributes as the public API shows them (declaration order, absent ones left out). */
    public Map<String, Object> attributes(AttributeSchema schema) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (int i = 0; i < values.length; i++) {
        if (values[i] != null) {
          out.put(schema.name(i), values[i]);
        }
      }
      return out;
    }
  }

  /** Checks that {@code vector} fits the spec: dimension, finite, non-zero for cosine. */
  public static void checkVector(CollectionSpec spec, float[] vector, String what) {
    if (vector == null) {
      throw new InvalidArgumentException(what + " is null");
    }
    if (vector.length != spec.dimension()) {
      throw new DimensionMismatchException(what + " has dimension " + vector.length
          + " but the collection has dimension " + spec.dimension());
    }
    double squares = 0;
    for (int i = 0; i < vector.length; i++) {
      if (!Float.isFinite(vector[i])) {
        throw new NonFiniteVectorException(what + " holds " + vector[i] + " at component " + i
            + "; vectors must be finite");
      }
      squares += (double) vector[i] * vector[i];
    }
    if (spec.metric() == Metric.COSINE && squares == 0) {
      throw new InvalidArgumentException(what + " is all zeros: cosine needs a direction");
    }
  }

  /**
   * Checks and encodes one record.
   *
   * @throws io.trident.error.UnknownAttributeException for an undeclared attribute
   * @throws AttributeTypeException for a value its attribute's type does not accept
   */
  public static byte[] encode(CollectionSpec spec, AttributeSchema schema, long id,
      float[] vector, Map<String, Object> attributes) {
    checkVector(spec, vector, "vector of id " + id);
    Object[] values = new Object[schema.size()];
    int count = 0;
    int bytes = vector.length * Float.BYTES + Short.BYTES;
    if (attributes != null) {
      for (Map.Entry<String, Object> attribute : attributes.entrySet()) {
        int position = schema.position(attribute.getKey());
        values[position] = normalize(schema, position, attribute.getValue(), "id " + id);
        bytes += Short.BYTES + encodedBytes(values[position]);
        count++;
      }
    }
    ByteBuffer out = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    out.asFloatBuffer().put(vector);
    out.position(vector.length * Float.BYTES);
    out.putShort((short) count);
    for (int position = 0; position < values.length; position++) {
      if (values[position] != null) {
        out.putShort((short) position);
        putValue(out, values[position]);
      }
    }
    return out.array();
  }

  /**
   * The canonical value of attribute {@code position} for {@code value}: Long, Double, String, or
   * an unmodifiable {@code List<String>} of distinct tags.
   */
  public static Object normalize(AttributeSchema schema, int position, Object value,
      String where) {
    AttributeType type = schema.type(position);
    Object normal = switch (type) {
      case LONG -> value instanceof Long || value instanceof Integer || value instanceof Short
          || value instanceof Byte ? (Object) ((Number) value).longValue() : null;
      case DOUBLE -> value instanceof Number number && Double.isFinite(number.doubleValue())
          ? (Object) number.doubleValue() : null;
      case STRING -> value instanceof String text ? checkText(text, schema, position, where)
          : null;
      case TAG -> tags(value, schema, position, where);
    };
    if (normal == null) {
      throw new AttributeTypeException(where + ": attribute " + schema.name(position) + " of "
          + schema.collection() + " is " + type + " but got " + describe(value)
          + (type == AttributeType.DOUBLE ? " (doubles must be finite)" : ""));
    }
    return normal;
  }

  /** Decodes a record written by {@link #encode}. */
  public static Decoded decode(AttributeSchema schema, int dimension, byte[] record) {
    ByteBuffer in = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
    float[] vector = new float[dimension];
    in.asFloatBuffer().get(vector);
    in.position(dimension * Float.BYTES);
    Object[] values = new Object[schema.size()];
    int count = Short.toUnsignedInt(in.getShort());
    for (int i = 0; i < count; i++) {
      int position = Short.toUnsignedInt(in.getShort());
      values[position] = switch (schema.type(position)) {
        case LONG -> in.getLong();
        case DOUBLE -> in.getDouble();
        case STRING -> text(in);
        case TAG -> {
          String[] tags = new String[Short.toUnsignedInt(in.getShort())];
          for (int t = 0; t < tags.length; t++) {
            tags[t] = text(in);
          }
          yield List.of(tags);
        }
      };
    }
    return new Decoded(vector, values);
  }

  private static String checkText(String text, AttributeSchema schema, int position,
      String where) {
    if (text.getBytes(StandardCharsets.UTF_8).length > CollectionSpec.ATTRIBUTE_BYTES_MAX) {
      throw new InvalidArgumentException(where + ": a value of attribute " + schema.name(position)
          + " is over " + CollectionSpec.ATTRIBUTE_BYTES_MAX + " UTF-8 bytes");
    }
    return text;
  }

  private static List<String> tags(Object value, AttributeSchema schema, int position,
      String where) {
    Collection<?> given = value instanceof String text ? List.of(text)
        : value instanceof Collection<?> collection ? collection : null;
    if (given == null) {
      return null;
    }
    LinkedHashSet<String> distinct = new LinkedHashSet<>();
    for (Object tag : given) {
      if (!(tag instanceof String text)) {
        return null;
      }
      distinct.add(checkText(text, schema, position, where));
    }
    if (distinct.size() > CollectionSpec.TAGS_MAX) {
      throw new InvalidArgumentException(where + ": attribute " + schema.name(position)
          + " holds " + distinct.size() + " tags, over " + CollectionSpec.TAGS_MAX);
    }
    return Collections.unmodifiableList(new ArrayList<>(distinct));
  }

  private static int encodedBytes(Object value) {
    if (value instanceof String text) {
      return Short.BYTES + text.getBytes(StandardCharsets.UTF_8).length;
    }
    if (value instanceof List<?> tags) {
      int bytes = Short.BYTES;
      for (Object tag : tags) {
        bytes += encodedBytes(tag);
      }
      return bytes;
    }
    return Long.BYTES;
  }

  private static void putValue(ByteBuffer out, Object value) {
    if (value instanceof Long number) {
      out.putLong(number);
    } else if (value instanceof Double number) {
      out.putDouble(number);
    } else if (value instanceof String text) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      out.putShort((short) bytes.length).put(bytes);
    } else {
      List<?> tags = (List<?>) value;
      out.putShort((short) tags.size());
      for (Object tag : tags) {
        putValue(out, tag);
      }
    }
  }

  private static String text(ByteBuffer in) {
    byte[] bytes = new byte[Short.toUnsignedInt(in.getShort())];
    in.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static String describe(Object value) {
    return value == null ? "null" : value.getClass().getSimpleName() + " " + value;
  }
}
