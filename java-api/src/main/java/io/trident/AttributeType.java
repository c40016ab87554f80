package io.trident;

/**
 * The type of a stored attribute, declared in a {@link CollectionSpec}: which Java values an
 * upsert may give it and which {@link Filter}s apply to it. An attribute a record omits is absent:
 * no filter on it matches that record (and {@link Filter#not} does).
 */
public enum AttributeType {
  /** A string ({@link String}, 0..{@value CollectionSpec#ATTRIBUTE_BYTES_MAX} UTF-8 bytes): eq, in. */
  STRING,
  /** A 64-bit integer ({@link Long}, {@link Integer}, {@link Short}, {@link Byte}): eq, in, range. */
  LONG,
  /** A finite double (any {@link Number}, converted): eq, in, range. */
  DOUBLE,
  /**
   * A set of strings (a {@link String} or a {@link java.util.Collection} of them, at most {@value
   * CollectionSpec#TAGS_MAX}): eq and in match a record holding any of the values.
   */
  TAG
}
