package io.trident.bench.journal;

import java.nio.file.Path;
import java.util.Locale;

/** The journals the benchmark compares, by command-line name. */
enum JournalStoreKind {
  /** Trident's ChronicleLogStorage (Chronicle Queue + one fdatasync per batch). */
  CHRONICLE,
  /** jraft's own RocksDBLogStorage with sync on: one synced WriteBatch per appendEntries. */
  ROCKSDB,
  /** The disk's limit: the batch's bytes written and made durable, no log structure at all. */
  RAW;

  /** Opens a fresh store of this kind in an empty directory. */
  JournalStore open(Path directory) {
    switch (this) {
      case CHRONICLE:
        return LogStorageJournalStore.chronicle(directory);
      case ROCKSDB:
        return LogStorageJournalStore.rocksDb(directory);
      case RAW:
        return RawJournalStores.open(directory);
      default:
        throw new AssertionError(this);
    }
  }

  String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static JournalStoreKind parse(String text) {
    for (JournalStoreKind kind : values()) {
      if (kind.cliName().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown storage '" + text
        + "': expected chronicle, rocksdb or raw");
  }
}
