/**
 * {@code bench.sh sweep}: the seed-000 concurrency table on a real cluster of member processes
 * on 127.0.0.1 ({@link io.trident.bench.sweep.SweepTool} coordinates, {@link
 * io.trident.bench.sweep.SweepNodeMain} is one member). Each member process runs its own ingest
 * share and its own searchers; the coordinator only sends commands and merges answers, so the
 * numbers are what embedded callers in each member see. Thread rules: the coordinator is one
 * thread; each member serves one command at a time.
 */
package io.trident.bench.sweep;
