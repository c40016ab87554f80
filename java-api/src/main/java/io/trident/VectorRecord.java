package io.trident;

import java.util.Map;

/**
 * One stored record of a {@link VectorCollection}: its id, vector and attributes (values typed as
 * declared: String, Long, Double, or an unmodifiable {@code List<String>} for TAG; absent
 * attributes are not in the map). The arrays and maps are the caller's.
 */
public record VectorRecord(long id, float[] vector, Map<String, Object> attributes) {}
