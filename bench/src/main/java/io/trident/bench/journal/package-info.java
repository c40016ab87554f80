/**
 * Journal benchmark: durable {@code LogStorage.appendEntries} of Trident's ChronicleLogStorage
 * against jraft's RocksDBLogStorage (sync on) and a raw pwrite + fdatasync baseline.
 *
 * <p>{@link io.trident.bench.journal.JournalAppendBenchmark} is the JMH form (see
 * JournalAppendBenchmark.md); {@link io.trident.bench.journal.JournalBenchTool} is the
 * command-line form behind {@code scripts/bench.sh journal} (progress, table, CSV, PNG). Thread
 * rules: one appending thread per journal, as jraft's disk thread; stores are not shared.
 */
package io.trident.bench.journal;
