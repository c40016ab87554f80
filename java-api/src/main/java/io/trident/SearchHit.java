package io.trident;

import java.util.Map;

/**
 * One search result. {@code distance} follows the collection's metric: squared L2 (smaller is
 * closer) or inner product / cosine similarity (larger is closer). {@code attributes} and
 * {@code vector} are null unless the {@link SearchRequest} asked for them.
 */
public record SearchHit(long id, float distance, Map<String, Object> attributes, float[] vector) {}
