/**
 * Test-only tools for checking what concurrent clients of the replicated key-value store saw.
 *
 * <p>{@link io.trident.testing.History} records operations as clients invoke and complete them
 * (from any number of threads); {@link io.trident.testing.LinearizabilityChecker} then decides,
 * key by key, whether some order of those operations that respects real time explains every
 * result under the register model of {@link io.trident.testing.OpType}. The checker is bounded
 * in states and time: a history too large to decide yields {@code UNKNOWN}, never a hang.
 *
 * <p>{@link io.trident.testing.Seeds} gives randomized tests a printed, replayable seed.
 *
 * <p>Nothing here is product code: it lives under {@code src/test} and depends only on the JDK.
 */
package io.trident.testing;
