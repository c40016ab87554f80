/**
 * Measurement tools for the search core's issue-8 features, each comparing Trident variants side
 * by side in one run: {@link io.trident.bench.searchcore.FilteredBenchTool} (filtered against
 * unfiltered recall and QPS) and {@link io.trident.bench.searchcore.AsyncSweepTool} (synchronous
 * against asynchronous search by concurrent callers). Single-threaded drivers; not thread-safe.
 */
package io.trident.bench.searchcore;
