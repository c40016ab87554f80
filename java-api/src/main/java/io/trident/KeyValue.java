package io.trident;

/** One entry of a {@link KvStore#scan} result. The arrays are the caller's to keep. */
public record KeyValue(byte[] key, byte[] value) {}
