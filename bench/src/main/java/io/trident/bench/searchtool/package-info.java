/**
 * The {@code bench.sh search} tool: builds Trident and peer indexes on one data set, measures
 * recall@k, QPS per thread count and latency percentiles the same way for every system
 * ({@link io.trident.bench.searchtool.SearchMeasurement}), and reports a table, CSV, a PNG plot
 * and QPS ratios at equal recall. Systems are adapted through
 * {@link io.trident.bench.searchtool.AnnSystem}. Single-threaded driver; searches run on the
 * measurement's own worker threads.
 */
package io.trident.bench.searchtool;
