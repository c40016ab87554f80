package io.trident.bench.journal;

import java.util.Locale;

/**
 * One measured cell: a storage at one batch size and entry size.
 *
 * @param storage store name (chronicle, rocksdb, raw-native, raw-filechannel)
 * @param batchSize entries per appendEntries call
 * @param entryBytes payload bytes per entry
 * @param measuredSeconds wall time of the measured phase
 * @param entries entries appended (and durable) in the measured phase
 * @param syncs durability barriers the store issued in the measured phase
 * @param latencyP50Micros median appendEntries latency (call to durable return)
 * @param latencyP99Micros 99th percentile appendEntries latency
 * @param latencyMaxMicros slowest appendEntries
 * @param deviceBytesWritten bytes the disk wrote meanwhile (device-wide, so other processes'
 *     writes count too), -1 when unknown
 */
record JournalResult(String storage, int batchSize, int entryBytes, double measuredSeconds,
    long entries, long syncs, double latencyP50Micros, double latencyP99Micros,
    double latencyMaxMicros, long deviceBytesWritten) {

  static final String CSV_HEADER = "storage,batch_size,entry_bytes,seconds,entries,syncs,"
      + "entries_per_s,syncs_per_s,mib_per_s,latency_p50_us,latency_p99_us,latency_max_us,"
      + "device_kib_per_sync";

  double entriesPerSecond() {
    return entries / measuredSeconds;
  }

  double syncsPerSecond() {
    return syncs / measuredSeconds;
  }

  /** Device KiB written per durability barrier; NaN when unknown. */
  double deviceKibPerSync() {
    return deviceBytesWritten < 0 || syncs == 0 ? Double.NaN : deviceBytesWritten / 1024.0 / syncs;
  }

  double payloadMebibytesPerSecond() {
    return entriesPerSecond() * entryBytes / (1024.0 * 1024.0);
  }

  String toCsvRow() {
    return String.format(Locale.ROOT, "%s,%d,%d,%.3f,%d,%d,%.1f,%.1f,%.2f,%.1f,%.1f,%.1f,%.1f",
        storage, batchSize, entryBytes, measuredSeconds, entries, syncs, entriesPerSecond(),
        syncsPerSecond(), payloadMebibytesPerSecond(), latencyP50Micros, latencyP99Micros,
        latencyMaxMicros, deviceKibPerSync());
  }

  String toTableRow() {
    return String.format(Locale.ROOT, "%-16s %6d %7d %13.0f %10.0f %9.1f %10.1f %10.1f %12.1f",
        storage, batchSize, entryBytes, entriesPerSecond(), syncsPerSecond(),
        payloadMebibytesPerSecond(), latencyP50Micros, latencyP99Micros, deviceKibPerSync());
  }

  static String tableHeader() {
    return String.format(Locale.ROOT, "%-16s %6s %7s %13s %10s %9s %10s %10s %12s", "storage",
        "batch", "bytes", "entries/s", "fsyncs/s", "MiB/s", "p50_us", "p99_us", "dev_KiB/sync");
  }
}
