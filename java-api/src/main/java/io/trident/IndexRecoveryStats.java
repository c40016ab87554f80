package io.trident;

/**
 * How this member brought its collection indexes back since it opened ({@link
 * VectorCollections#indexRecoveryStats()}): at open and after each snapshot install, each
 * collection's native index is either loaded from the files its latest snapshot carries, then
 * brought up to the stored state by replaying the records that differ, or rebuilt from every
 * stored record (no snapshot, a collection created after it, or a missing or corrupt file).
 * Counts are cumulative; tests and operators read the path taken from them, not from timings.
 *
 * @param indexesLoaded indexes loaded from snapshot files
 * @param indexesRebuilt indexes rebuilt from every stored record
 * @param loadFallbacks indexes whose snapshot files were missing, corrupt or did not match, and
 *     so were rebuilt (also counted in {@code indexesRebuilt}; each is logged at WARN)
 * @param recordsReplayed upserts and deletes applied to loaded indexes to reach the stored state
 * @param recordsRebuilt records added to indexes by rebuilds
 * @param indexesSaved index files written into snapshots by this member
 */
public record IndexRecoveryStats(
    long indexesLoaded,
    long indexesRebuilt,
    long loadFallbacks,
    long recordsReplayed,
    long recordsRebuilt,
    long indexesSaved) {}
